// The pieces of file runs (src/pool/file-runs.ts) that can be checked on
// their own: ChunkRuns (runs of age STREAM chunks opened and sealed in place
// in one instance's memory, against the pure-JS backend) and which chunks
// of a payload of a given size are done in runs. The whole path, threads
// included, is tests/file-runs.test.ts and tests/cli-parallel.test.ts.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import simdBytes from "../build/core.simd.wasm";
import scalarBytes from "../build/core.scalar.wasm";
import { ChunkRuns } from "../src/wasm/chunk-runs.js";
import { jsAead } from "../src/crypto/aead-js.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK } from "../src/format/chunk-size.js";
import { RUN_CHUNKS } from "../src/format/chunk-size.js";
import { chunksBeforeLast } from "../src/pool/file-runs.js";

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const cat = (parts: Uint8Array[]) => Buffer.concat(parts);

for (const [build, bytes] of [["SIMD", simdBytes], ["scalar", scalarBytes]] as const) {
  describe(`ChunkRuns (${build} build)`, () => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    const memory = instance.exports.memory as WebAssembly.Memory;
    const keyAt = (instance.exports.aead_key_ptr as () => number)();

    it("opens runs in place like the pure-JS backend, at any counter, and leaves no key behind", () => {
      const runs = new ChunkRuns(instance, AGE_CHUNK, RUN_CHUNKS);
      const key = randomBytes(32);
      for (const [counter, n] of [[0, 16], [2 ** 32 - 3, 7], [1000, 1]] as const) {
        const plain = randomBytes(n * AGE_CHUNK);
        runs.sealedView(n).set(cat(jsAead.sealChunks(key, counter, plain, AGE_CHUNK)));
        expect(runs.open(key, counter, n)).toBe(n);
        expect(same(runs.plaintextView(n), plain), `counter ${counter}`).toBe(true);
        expect(new Uint8Array(memory.buffer, keyAt, 32).every((b) => b === 0)).toBe(true);
      }
    });

    it("stops at the first chunk that does not authenticate, a final one included", () => {
      const runs = new ChunkRuns(instance, AGE_CHUNK, RUN_CHUNKS);
      const key = randomBytes(32);
      const plain = randomBytes(5 * AGE_CHUNK);
      const sealed = cat(jsAead.sealChunks(key, 40, plain, AGE_CHUNK));
      sealed[3 * AGE_SEALED_CHUNK + 17]! ^= 1;
      runs.sealedView(5).set(sealed);
      expect(runs.open(key, 40, 5)).toBe(3);
      expect(same(runs.plaintextView(3), plain.subarray(0, 3 * AGE_CHUNK))).toBe(true);
      // A final chunk is never opened as a non-final one.
      runs.sealedView(1).set(jsAead.sealChunk(key, 0, true, plain.subarray(0, AGE_CHUNK)));
      expect(runs.open(key, 0, 1)).toBe(0);
      // The wrong starting counter fails at once.
      runs.sealedView(5).set(cat(jsAead.sealChunks(key, 40, plain, AGE_CHUNK)));
      expect(runs.open(key, 41, 5)).toBe(0);
    });

    it("seals runs in place like the pure-JS backend, wiping the plaintext, and leaves no key behind", () => {
      const runs = new ChunkRuns(instance, AGE_CHUNK, RUN_CHUNKS);
      const key = randomBytes(32);
      for (const [counter, n] of [[0, 16], [2 ** 32 - 3, 7], [1000, 1]] as const) {
        const plain = randomBytes(n * AGE_CHUNK);
        runs.plaintextView(n).set(plain);
        runs.seal(key, counter, n);
        expect(same(runs.sealedView(n), cat(jsAead.sealChunks(key, counter, plain, AGE_CHUNK))), `counter ${counter}`).toBe(true);
        expect(runs.plaintextView(n).every((b) => b === 0)).toBe(true);
        expect(new Uint8Array(memory.buffer, keyAt, 32).every((b) => b === 0)).toBe(true);
      }
      expect(() => runs.seal(key, -1, 1)).toThrow(RangeError);
    });

    it("wipes both windows, and refuses counts outside its windows", () => {
      const runs = new ChunkRuns(instance, 64, 4);
      const key = randomBytes(32);
      const plain = randomBytes(4 * 64);
      runs.sealedView(4).set(cat(jsAead.sealChunks(key, 0, plain, 64)));
      expect(runs.open(key, 0, 4)).toBe(4);
      runs.wipe();
      expect(runs.sealedView(4).every((b) => b === 0) && runs.plaintextView(4).every((b) => b === 0)).toBe(true);
      expect(() => runs.sealedView(5)).toThrow(RangeError);
      expect(() => runs.open(key, 0, -1)).toThrow(RangeError);
      expect(() => runs.open(key, Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
    });
  });
}

describe("chunksBeforeLast: every chunk before the last of the payload", () => {
  const cases: [string, number, number, number][] = [
    // name, payload bytes, stride, chunks before the last
    ["an empty payload (one empty final chunk)", 16, AGE_SEALED_CHUNK, 0],
    ["one short chunk", 1000, AGE_SEALED_CHUNK, 0],
    ["exactly one full chunk (final)", AGE_SEALED_CHUNK, AGE_SEALED_CHUNK, 0],
    ["17 full chunks, the last final", 17 * AGE_SEALED_CHUNK, AGE_SEALED_CHUNK, 16],
    ["17 full chunks and a short one", 17 * AGE_SEALED_CHUNK + 100, AGE_SEALED_CHUNK, 17],
    ["plaintext: empty", 0, AGE_CHUNK, 0],
    ["plaintext: 33 full chunks and a byte", 33 * AGE_CHUNK + 1, AGE_CHUNK, 33],
    ["plaintext: exactly 33 full chunks", 33 * AGE_CHUNK, AGE_CHUNK, 32],
  ];
  for (const [name, bytes, stride, before] of cases) {
    it(name, () => expect(chunksBeforeLast(bytes, stride)).toBe(before));
  }
});
