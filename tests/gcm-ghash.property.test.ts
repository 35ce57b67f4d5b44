// Property tests for the aggregated GHASH of assembly/gcm/ghash.ts (groups of
// four blocks with H^1..H^4, then a tail of one to three), the SIMD build's
// lane GHASH of long inputs (ghash-lanes.ts: 128 blocks and more, 32
// chains in groups of 32, then the rest four at a time) and the AES-256-GCM paths
// around them, on both builds: GHASH against the bit-serial multiplication
// of NIST SP 800-38D §6.3 (Algorithm 1), and seal/open against node:crypto
// for random payload and AAD lengths (every group/tail split of both, short
// and long), with forged tags opening nothing.
import { createCipheriv } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import simdBytes from "../build/core.simd.wasm";
import scalarBytes from "../build/core.scalar.wasm";
import { gcmOver, gcmPrimitivesOver } from "../src/wasm/gcm.js";

const big = (b: Uint8Array): bigint => BigInt("0x" + (Buffer.from(b).toString("hex") || "0"));

/** X · Y in GF(2^128), SP 800-38D Algorithm 1 (bit 0 = the leftmost bit). */
function gfMul(x: bigint, y: bigint): bigint {
  const R = 0xe1n << 120n;
  let z = 0n, v = y;
  for (let i = 127n; i >= 0n; i--) {
    if ((x >> i) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}

/** GHASH_H of whole blocks (SP 800-38D §6.4), bit-serial. */
function ghashRef(h: Uint8Array, msg: Uint8Array): string {
  const hh = big(h);
  let y = 0n;
  for (let i = 0; i < msg.length; i += 16) y = gfMul(y ^ big(msg.subarray(i, i + 16)), hh);
  return y.toString(16).padStart(32, "0");
}

function nodeSeal(key: Uint8Array, iv: Uint8Array, pt: Uint8Array, aad: Uint8Array): Buffer {
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(aad);
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
/** Uniform lengths 0..max (fast-check's own array sizes favour short ones). */
const upTo = (max: number) => fc.integer({ min: 0, max }).chain(bytes);
const builds = [["simd", simdBytes], ["scalar", scalarBytes]] as const;

describe.each(builds)("%s build", (_name, wasm) => {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  const raw = gcmPrimitivesOver(instance);
  const ours = gcmOver(instance);

  it("GHASH of 0..21 blocks equals the bit-serial definition", () => {
    fc.assert(
      fc.property(bytes(16), fc.integer({ min: 0, max: 21 }).chain((n) => bytes(16 * n)), (h, msg) => {
        expect(Buffer.from(raw.ghash(h, msg)).toString("hex")).toBe(ghashRef(h, msg));
      }),
      { numRuns: 150 },
    );
  });

  it("GHASH of 120..300 blocks (where the SIMD build switches to lanes) equals the bit-serial definition", () => {
    fc.assert(
      fc.property(bytes(16), fc.integer({ min: 120, max: 300 }).chain((n) => bytes(16 * n)), (h, msg) => {
        expect(Buffer.from(raw.ghash(h, msg)).toString("hex")).toBe(ghashRef(h, msg));
      }),
      { numRuns: 25 },
    );
  });

  /** Seal and open of random lengths up to `maxPt` / `maxAad` against node:crypto; a flipped bit opens nothing. */
  const agreesWithNode = (maxPt: number, maxAad: number, numRuns: number) =>
    fc.assert(
      fc.property(bytes(32), bytes(12), upTo(maxPt), upTo(maxAad), fc.nat(), (key, iv, pt, aad, flip) => {
        const sealed = ours.seal(key, iv, pt, aad);
        expect(Buffer.compare(sealed, nodeSeal(key, iv, pt, aad))).toBe(0);
        expect(Buffer.compare(ours.open(key, iv, sealed, aad)!, pt)).toBe(0);
        const bad = Uint8Array.from(sealed);
        bad[flip % bad.length]! ^= 1 << (flip % 8);
        expect(ours.open(key, iv, bad, aad)).toBeNull();
      }),
      { numRuns },
    );

  it("seal and open agree with node:crypto for random payload and AAD lengths; a flipped bit opens nothing", () => {
    agreesWithNode(700, 300, 200);
  });

  it("seal and open agree with node:crypto for long payloads and AADs (both through the lanes)", () => {
    agreesWithNode(9000, 5000, 60);
  });
});
