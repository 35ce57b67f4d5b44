// Embedded engines: the browser IIFE bundle (dist/browser/age-rt.iife.js,
// built fresh here from the current source) evaluated in QuickJS, which has
// no WebAssembly, no TextEncoder/TextDecoder, no crypto and no console.
//
// The host provides exactly what the library documents it needs of an
// embedded host: crypto.getRandomValues (here backed by node:crypto through
// a host function). Everything else is the bare language. The library then
// runs on its pure-JS @noble path: it decrypts CCTV vectors and files made
// by our Node build (X25519, and scrypt at a low work factor), reports
// failures with its typed errors, and encrypts files Node can decrypt.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getQuickJS, shouldInterruptAfterDeadline, type QuickJSContext, type QuickJSRuntime } from "quickjs-emscripten";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeEncoder, AgeRTEncoder, decodeBytes, encodeBytes, generateIdentity, identityToRecipient,
} from "../src/index.js";
import { loadVectors } from "./helpers/cctv.js";
import { repoRoot } from "./helpers/runtimes.js";
import { recordRun } from "./helpers/where-it-runs.js";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** The one thing an embedded host must supply (src/index.ts). */
const HOST_PRELUDE = `
globalThis.crypto = {
  getRandomValues(a) {
    new Uint8Array(a.buffer, a.byteOffset, a.byteLength).set(new Uint8Array(__hostRandom(a.byteLength)));
    return a;
  },
};`;

describe("QuickJS (no WebAssembly, no Encoding API)", () => {
  let dir: string;
  let runtime: QuickJSRuntime;
  let vm: QuickJSContext;

  /** Evaluates `code` in QuickJS; returns the dumped value or throws with QuickJS's error. */
  function run(code: string): unknown {
    const r = vm.evalCode(code, "test.js");
    if (r.error) {
      const e = vm.dump(r.error) as { name?: string; message?: string; stack?: string };
      r.error.dispose();
      throw new Error(`QuickJS: ${e?.name}: ${e?.message}\n${e?.stack ?? ""}`);
    }
    const v = vm.dump(r.value);
    r.value.dispose();
    return v;
  }

  /** Copies bytes into a QuickJS global ArrayBuffer. */
  function put(name: string, bytes: Uint8Array): void {
    const h = vm.newArrayBuffer(bytes.slice().buffer);
    vm.setProp(vm.global, name, h);
    h.dispose();
  }

  /** Copies a QuickJS global ArrayBuffer out. */
  function take(name: string): Uint8Array {
    const h = vm.getProp(vm.global, name);
    const lt = vm.getArrayBuffer(h);
    const out = lt.value.slice();
    lt.dispose();
    h.dispose();
    return out;
  }

  /** Decrypts `file` inside QuickJS with decoder options (JSON); the plaintext. */
  function decryptInQuickJS(file: Uint8Array, opts: object): Uint8Array {
    put("__input", file);
    run(`{
      const dec = new ageRt.AgeAutoDecoder(${JSON.stringify(opts)});
      const parts = [...ageRt.decodeBytes(new Uint8Array(__input), dec)];
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) { out.set(p, o); o += p.length; }
      globalThis.__output = out.buffer;
    }`);
    return take("__output");
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "age-rt-quickjs-"));
    execFileSync(process.execPath, ["scripts/bundle-browser.mjs", "--outdir", dir], { stdio: "ignore" });
    const QuickJS = await getQuickJS();
    runtime = QuickJS.newRuntime();
    runtime.setMemoryLimit(512 * 2 ** 20);
    runtime.setMaxStackSize(4 * 2 ** 20);
    runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + 240_000)); // never hang the suite
    vm = runtime.newContext();
    const random = vm.newFunction("__hostRandom", (n) => vm.newArrayBuffer(randomBytes(vm.getNumber(n)).buffer));
    vm.setProp(vm.global, "__hostRandom", random);
    random.dispose();
    run(HOST_PRELUDE);
    run(readFileSync(join(dir, "age-rt.iife.js"), "utf8"));
  }, 120_000);

  afterAll(() => {
    vm?.dispose();
    runtime?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the engine lacks what browsers have; the bundle loaded anyway", () => {
    expect(run("[typeof WebAssembly, typeof TextEncoder, typeof TextDecoder, typeof console, typeof ageRt.AgeAutoDecoder].join()"))
      .toBe("undefined,undefined,undefined,undefined,function");
    expect(run("ageRt.ready().then(() => 1) instanceof Promise")).toBe(true); // a no-op here
  });

  it("decodes CCTV vectors (X25519, scrypt, armored): SHA-256 of the payload matches", () => {
    const wanted = ["x25519", "scrypt", "armor_x25519", "armor_scrypt", "x25519_multiple_recipients", "stream_two_chunks"];
    const vectors = loadVectors().filter((v) => wanted.includes(v.name));
    expect(vectors.length).toBeGreaterThanOrEqual(5);
    for (const v of vectors) {
      expect(v.expect).toBe("success");
      const out = decryptInQuickJS(v.body, { identities: v.identities, passphrase: v.passphrases });
      expect(sha256(out), v.name).toBe(v.payloadHash);
    }
  }, 120_000);

  it("decrypts files made by the Node build: X25519 (age v1) and scrypt (age-rt, work factor 10)", () => {
    const plain = randomBytes(70_000); // crosses the 64 KiB chunk boundary
    const identity = generateIdentity();
    const x = encodeBytes([plain], AgeEncoder.fromRecipients([identityToRecipient(identity)]));
    expect(sha256(decryptInQuickJS(x, { identities: [identity] }))).toBe(sha256(plain));
    const p = encodeBytes([plain.subarray(0, 5000), plain.subarray(5000, 5100)], AgeRTEncoder.fromPassphrase("embedded", { workFactor: 10 }));
    expect(sha256(decryptInQuickJS(p, { passphrase: "embedded" }))).toBe(sha256(plain.subarray(0, 5100)));
  }, 120_000);

  it("times a 256 KiB X25519 decrypt (recorded for the README's table)", () => {
    const plain = randomBytes(256 * 1024);
    const identity = generateIdentity();
    const x = encodeBytes([plain], AgeEncoder.fromRecipients([identityToRecipient(identity)]));
    const t0 = performance.now();
    expect(sha256(decryptInQuickJS(x, { identities: [identity] }))).toBe(sha256(plain));
    const mbps = plain.length / 2 ** 20 / ((performance.now() - t0) / 1000);
    const version = JSON.parse(readFileSync(join(repoRoot(), "node_modules", "quickjs-emscripten", "package.json"), "utf8")).version;
    console.log(`QuickJS (quickjs-emscripten ${version}): 256 KiB X25519 decrypt ${mbps.toFixed(2)} MB/s (pure JS)`);
    recordRun({ runtime: "QuickJS", version: `quickjs-emscripten ${version}`, path: "pure JS", mbps, what: "256 KiB X25519 decrypt" });
  }, 120_000);

  it("failures are the library's typed errors", () => {
    const low = loadVectors().find((v) => v.name === "x25519_low_order")!;
    put("__input", low.body);
    expect(run(`{
      let err;
      try { [...ageRt.decodeBytes(new Uint8Array(__input), new ageRt.AgeAutoDecoder({ identities: ${JSON.stringify(low.identities)} }))]; }
      catch (e) { err = e; }
      [err instanceof ageRt.HeaderParseError, err instanceof ageRt.DecodeError, err.name].join();
    }`)).toBe("true,true,HeaderParseError");
    const x = encodeBytes([new Uint8Array(10)], AgeEncoder.fromRecipients([identityToRecipient(generateIdentity())]));
    put("__input", x);
    expect(run(`{
      let err;
      try { [...ageRt.decodeBytes(new Uint8Array(__input), new ageRt.AgeAutoDecoder({ identities: [ageRt.generateIdentity()] }))]; }
      catch (e) { err = e; }
      // A ChunkAuthenticationError too, as the Python reference reports a wrong key (issue 18).
      [err.name, err instanceof ageRt.NoIdentityMatchError, err instanceof ageRt.ChunkAuthenticationError, new ageRt.HeaderMacError("m") instanceof ageRt.ChunkAuthenticationError].join();
    }`)).toBe("NoIdentityMatchError,true,true,true");
  }, 60_000);

  it("encrypts with the host's randomness; Node decrypts", () => {
    const identity = generateIdentity();
    const plain = randomBytes(1000);
    put("__input", plain);
    run(`{
      const enc = ageRt.AgeEncoder.fromRecipients([${JSON.stringify(identityToRecipient(identity))}]);
      globalThis.__output = ageRt.encodeBytes([new Uint8Array(__input)], enc).slice().buffer;
    }`);
    const file = take("__output");
    const out = Buffer.concat([...decodeBytes(file, new AgeAutoDecoder({ identities: [identity] }))]);
    expect(sha256(out)).toBe(sha256(plain));
  }, 60_000);
});
