// scrypt with the WebAssembly core against node:crypto.scryptSync (OpenSSL),
// on both builds, plus the facade's contract: parameter checks, the memory
// limit enforced before any allocation, progress reports, wiping, and no
// instance kept alive after a derivation.
import { scryptSync } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import simdBytes from "../build/core.simd.wasm";
import scalarBytes from "../build/core.scalar.wasm";
import { UsageError } from "../src/errors.js";
import { scryptOver, wasmScrypt } from "../src/wasm/scrypt.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const simdModule = new WebAssembly.Module(simdBytes);

/** A factory that remembers every instance it made (the test holds them; the facade must not). */
function recording(module: WebAssembly.Module) {
  const made: WebAssembly.Instance[] = [];
  const make = () => {
    const i = new WebAssembly.Instance(module, {});
    made.push(i);
    return i;
  };
  return { made, make, memory: (i: WebAssembly.Instance) => i.exports.memory as WebAssembly.Memory };
}

/** Bytes of the instance's memory from the scrypt work area to the end. */
function workArea(i: WebAssembly.Instance): Uint8Array {
  const base = (i.exports.scrypt_base as () => number)();
  return new Uint8Array((i.exports.memory as WebAssembly.Memory).buffer, base);
}

for (const [build, bytes] of [["simd", simdBytes], ["scalar", scalarBytes]] as const) {
  describe(`scrypt vs node:crypto (${build} build)`, () => {
    const module = new WebAssembly.Module(bytes);
    const scrypt = scryptOver(() => new WebAssembly.Instance(module, {}))!;

    it("matches scryptSync on random inputs (logN 1..14, r 1..8, p 1..3, dkLen 1..100)", () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 40 }),
          fc.integer({ min: 1, max: 14 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 100 }),
          (password, salt, logN, r, p, dkLen) => {
            const want = scryptSync(password, salt, dkLen, { N: 2 ** logN, r, p, maxmem: 2 ** 30 });
            expect(hex(scrypt(password, salt, logN, r, p, dkLen))).toBe(want.toString("hex"));
          },
        ),
        { numRuns: 40, seed: 7914 },
      );
    });
  });
}

describe("scrypt facade", () => {
  it("wasmScrypt() uses the WebAssembly core here", () => {
    const f = wasmScrypt();
    expect(f).not.toBeNull();
    const want = scryptSync("pw", "salt", 32, { N: 1024, r: 8, p: 1 });
    expect(hex(f!(new TextEncoder().encode("pw"), new TextEncoder().encode("salt"), 10, 8, 1, 32))).toBe(want.toString("hex"));
  });

  it("returns null when no instance can be made", () => {
    expect(scryptOver(() => null)).toBeNull();
  });

  it("rejects invalid parameters with UsageError", () => {
    const f = scryptOver(() => new WebAssembly.Instance(simdModule, {}))!;
    const e = new Uint8Array(0);
    for (const [logN, r, p, dkLen] of [
      [0, 8, 1, 32], [31, 1, 1, 32], [1.5, 8, 1, 32], [10, 0, 1, 32], [10, 8, 0, 32],
      [10, 2 ** 15, 2 ** 15, 32], [10, 8, 1, 0], [10, 8, 1, 2.5], [10, 8, 1, 2 ** 37],
    ]) {
      expect(() => f(e, e, logN!, r!, p!, dkLen!), `logN=${logN} r=${r} p=${p} dkLen=${dkLen}`).toThrow(UsageError);
    }
  });

  it("refuses above the memory limit before growing any memory", () => {
    const rec = recording(simdModule);
    const f = scryptOver(rec.make)!;
    const initial = rec.memory(rec.made[0]!).buffer.byteLength;
    const e = new Uint8Array(0);
    // 128·8·2^14 = 16 MiB of V against an 8 MiB limit
    expect(() => f(e, e, 14, 8, 1, 32, { maxmem: 8 * 2 ** 20 })).toThrow(/N=2\^14, r=8, p=1 needs 16\.1 MiB, above the 8 MiB limit/);
    // the default limit (4 GiB, what wasm32 addresses): N = 2^22, r = 8 needs 4 GiB + X, Y
    expect(() => f(e, e, 22, 8, 1, 32)).toThrow(UsageError);
    // B (p blocks) counts too: 2^22 blocks of 1 KiB would be 4 GiB in JS
    expect(() => f(e, e, 1, 8, 2 ** 22, 32)).toThrow(/p=4194304 needs 4096\.\d MiB/);
    // beyond wasm32 even with a larger limit
    expect(() => f(e, e, 22, 8, 1, 32, { maxmem: 2 ** 40 })).toThrow(/4 GiB/);
    for (const i of rec.made) expect(rec.memory(i).buffer.byteLength).toBe(initial);
    // the same derivation within a large enough limit goes through
    expect(f(e, e, 14, 8, 1, 32, { maxmem: 17 * 2 ** 20 })).toHaveLength(32);
  });

  it("reports increasing progress ending at 1", () => {
    const f = scryptOver(() => new WebAssembly.Instance(simdModule, {}))!;
    const e = new Uint8Array(0);
    for (const [logN, p] of [[4, 1], [16, 1], [15, 3]]) {
      const seen: number[] = [];
      f(e, e, logN!, 8, p!, 32, { onProgress: (x) => seen.push(x) });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.length).toBeLessThanOrEqual(257);
      for (let k = 1; k < seen.length; k++) expect(seen[k]!).toBeGreaterThan(seen[k - 1]!);
      expect(seen[0]!).toBeGreaterThan(0);
      expect(seen.at(-1)).toBe(1);
    }
  });

  it("wipes the whole work area after a derivation and after a failing one", () => {
    const rec = recording(simdModule);
    const f = scryptOver(rec.make)!;
    const pw = new TextEncoder().encode("secret");
    f(pw, pw, 12, 8, 2, 32);
    const ok = rec.made.at(-1)!;
    expect(rec.memory(ok).buffer.byteLength).toBeGreaterThan(128 * 8 * 2 ** 12);
    expect(workArea(ok).every((b) => b === 0)).toBe(true);

    const boom = new Error("stop");
    expect(() => f(pw, pw, 15, 8, 1, 32, { onProgress: (x) => { if (x > 0.6) throw boom; } })).toThrow(boom);
    const failed = rec.made.at(-1)!;
    expect(failed).not.toBe(ok);
    expect(workArea(failed).every((b) => b === 0)).toBe(true);
  });

  it("keeps no reference to the instance after a derivation at logN 16", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    let instance: WeakRef<WebAssembly.Instance> | undefined;
    let memory: WeakRef<WebAssembly.Memory> | undefined;
    const f = scryptOver(() => {
      const i = new WebAssembly.Instance(simdModule, {});
      instance = new WeakRef(i);
      memory = new WeakRef(i.exports.memory as WebAssembly.Memory);
      return i;
    })!;
    const e = new Uint8Array(0);
    expect(f(e, e, 16, 8, 1, 32)).toHaveLength(32);
    expect(memory!.deref()!.buffer.byteLength).toBeGreaterThanOrEqual(128 * 8 * 2 ** 16);
    // WeakRefs hold their target until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(instance!.deref()).toBeUndefined();
    expect(memory!.deref()).toBeUndefined();
  });
});
