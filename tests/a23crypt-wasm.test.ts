// a23crypt's WebAssembly code (assembly/a23/) on both builds, SIMD and
// scalar: SHAKE-256 (FIPS 202) against node:crypto for every input length
// up to the rate and outputs across several squeezes; the noise loops
// (SHAKE-256 fused with the byte loop) against the JS layer over
// @noble/hashes and the independent reference, for random data and seeds.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import simdBytes from "../build/core.simd.wasm";
import scalarBytes from "../build/core.scalar.wasm";
import { jsNoise } from "../src/a23crypt/noise.js";
import { noiseOver } from "../src/wasm/noise.js";
import { refNoiseAdd } from "./helpers/a23-reference.js";

const builds = [["simd", simdBytes], ["scalar", scalarBytes]] as const;
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

describe.each(builds)("a23crypt WebAssembly, %s build", (_name, bytes) => {
  const layer = noiseOver(new WebAssembly.Instance(new WebAssembly.Module(bytes), {}));

  it("SHAKE-256 matches node:crypto for inputs of 0..135 bytes and outputs across squeezes", () => {
    for (let n = 0; n < 136; n++) {
      const input = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 255);
      for (const outLen of [1, 32, 135, 136, 137, 272, 1000]) {
        const want = createHash("shake256", { outputLength: outLen }).update(input).digest();
        expect(Buffer.from(layer.shake256(input, outLen)).equals(want)).toBe(true);
      }
    }
  });

  it("the noise loops agree with the JS layer and the reference; NoiseRemove inverts NoiseAdd", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (d, seed) => {
        if (d.length === 0) return;
        const added = layer.add(d, seed);
        expect(same(added, refNoiseAdd(d, seed))).toBe(true);
        expect(same(added, jsNoise.add(d, seed))).toBe(true);
        expect(same(layer.remove(added, seed), d)).toBe(true);
        expect(same(layer.remove(d, seed), jsNoise.remove(d, seed))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("a full chunk's inner ciphertext (65552 bytes)", () => {
    const d = Uint8Array.from({ length: 65552 }, (_, i) => (i * 7) & 255);
    const seed = Uint8Array.from({ length: 16 }, (_, i) => 200 - i);
    const added = layer.add(d, seed);
    expect(same(added, jsNoise.add(d, seed))).toBe(true);
    expect(same(layer.remove(added, seed), d)).toBe(true);
  });
});
