// Constant time of the AES-256-GCM core (and of the ChaCha20-Poly1305 and
// XChaCha20-Poly1305 paths around it), read from the WebAssembly itself.
// Both builds of assembly/index.ts are compiled to text and every function
// but scrypt's (whose memory-hard mixing is data-dependent by design) and
// a23crypt's noise loops (keystream-driven positions, A23CRYPT.md §5) is
// run through a taint analysis (tests/helpers/wat-taint.ts): anything loaded
// from memory is secret, and no memory address, branch or select may depend
// on a secret. The only exceptions allowed are the accept/reject verdicts of
// the open functions (the tag comparison's result is public once the caller
// learns whether the message opened). The secret-handling kernels
// (assembly/ct/index.ts: S-box circuit, the rounds that fuse it with
// ShiftRows/MixColumns, transposes, carry-less multiply) must moreover be
// straight-line code. The analysis is
// itself checked on a table lookup and a secret branch.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseFunctions, scan } from "./helpers/wat-taint.js";

const dir = mkdtempSync(join(tmpdir(), "age-rt-ct-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The text of an entry point compiled as scripts/build-wasm.mjs compiles the core. */
function wat(entry: string, target: "simd" | "scalar"): string {
  const base = join(dir, `${entry.replace(/\W/g, "_")}.${target}`);
  execFileSync(process.execPath, [
    "node_modules/assemblyscript/bin/asc.js", entry, "--config", "asconfig.json", "--target", target,
    "--outFile", `${base}.wasm`, "--textFile", `${base}.wat`,
  ], { stdio: "pipe" });
  return readFileSync(`${base}.wat`, "utf8");
}

const VERDICTS = /\/(open|aead_stream_open_chunks|gcm_open|xchacha_open|aead_open|aead_stream_open)$/;

describe.each(["simd", "scalar"] as const)("%s build", (target) => {
  it("no secret-dependent address, branch or select outside the open verdicts", () => {
    const text = wat("assembly/index.ts", target);
    const names = parseFunctions(text).map((f) => f.name);
    expect(names.some((n) => n.includes("gcm"))).toBe(true);
    // a23crypt's noise loops step through the data by keystream nibbles: the format makes positions depend on
    // SHAKE-256(seed) (A23CRYPT.md §5), as the frame lengths already show; their Keccak (a23/keccak) is checked.
    const violations = scan(text, (n) => !n.includes("/scrypt/") && !n.includes("/a23/noise/"));
    const unexpected = violations.filter((v) => !(VERDICTS.test(v.func) && /^(if|br_if) on a secret condition$/.test(v.what)));
    expect(unexpected, JSON.stringify(unexpected, null, 1)).toEqual([]);
    // One verdict branch per open function, no more.
    const perFunc = new Map<string, number>();
    for (const v of violations) perFunc.set(v.func, (perFunc.get(v.func) ?? 0) + 1);
    for (const [f, n] of perFunc) expect(n, f).toBe(1);
    expect([...perFunc.keys()].some((f) => /gcm_open|gcm\/gcm\/gcmOpen/.test(f))).toBe(true);
  });
});

// One module: the kernels of both layouts (v128 and u64 planes) need SIMD to compile side by side.
it("the AES and GHASH kernels are straight-line code with fixed addresses", () => {
  const text = wat("assembly/ct/index.ts", "simd");
  expect(scan(text)).toEqual([]);
  const kernels = parseFunctions(text).filter((f) => /\/gcm\/(sbox|aes)\/|ct_clmul|ct_rev64/.test(f.name));
  expect(kernels.length).toBeGreaterThanOrEqual(8);
  for (const f of kernels) {
    const ops = f.body.map((l) => l.text.split(/\s+/)[0]);
    // The round kernels (S-box circuit fused with the linear layer) take `last` (public:
    // whether this is round 14) and branch on it once; toPlanes4/fromPlanes4 loop over the
    // 4 blocks of a batch (a fixed count).
    const allowedIfs = /roundPlanes<(v128|u64)>$/.test(f.name) ? 1 : 0;
    const allowedLoops = /Planes4$/.test(f.name) ? 1 : 0;
    expect(ops.filter((o) => o === "if").length, f.name).toBe(allowedIfs);
    expect(ops.filter((o) => o === "loop").length, f.name).toBe(allowedLoops);
    expect(ops.filter((o) => o === "select" || o === "br_table").length, f.name).toBe(0);
    expect(ops.filter((o) => o === "call").length, f.name).toBe(/Planes4$/.test(f.name) ? 1 : 0); // the transpose
  }
});

describe("the analysis itself", () => {
  const fn = (body: string) => `(module\n (func $t (param $0 i32) (param $1 i32) (result i32)\n${body}\n )\n)`;

  it("flags a table lookup indexed by a loaded byte", () => {
    const v = scan(fn("  local.get $1\n  local.get $0\n  i32.load8_u\n  i32.add\n  i32.load8_u"));
    expect(v.map((x) => x.what)).toEqual(["i32.load8_u at a secret address"]);
  });

  it("flags a branch and a select on a loaded value, through a local and a loop", () => {
    const v = scan(fn([
      "  (local $2 i32)", "  local.get $0", "  i32.load", "  local.set $2",
      "  loop $l", "  local.get $2", "  br_if $l", "  end",
      "  local.get $0", "  local.get $1", "  local.get $2", "  select",
    ].join("\n")));
    expect(v.map((x) => x.what)).toEqual(["br_if on a secret condition", "select on a secret condition"]);
  });

  it("does not blame a local reused for a public counter after holding a secret", () => {
    const v = scan(fn([
      "  (local $2 i32)", "  local.get $0", "  i32.load", "  local.set $2", "  local.get $2", "  drop",
      "  i32.const 0", "  local.set $2", "  local.get $2", "  i32.load",
    ].join("\n")));
    expect(v).toEqual([]);
  });
});
