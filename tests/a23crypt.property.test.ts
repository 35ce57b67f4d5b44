// a23crypt properties (A23CRYPT.md §5-§7) with fast-check: random plaintext
// pieces round-trip through the iterators and streams, byte for byte what
// the independent node:crypto codec writes for the same salt (the encoder
// re-chunks into 65536-byte chunks); records decode fed in random splits on
// every path, compressed or not; the noise layer inverts itself for any
// data and seed on both loops (WASM and JS); a record cut anywhere or with
// a byte changed never releases more than whole authenticated chunks of
// the original, in order, before the damage.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { A23Decoder, A23Encoder, DecryptionError, IntegrityError, decryptStream, encryptStream, ready, type A23Keys } from "../src/a23crypt/index.js";
import { jsNoise, noiseAdd, noiseRemove } from "../src/a23crypt/noise.js";
import { wasmNoise } from "../src/wasm/noise.js";
import { aiterDecodeChunks, encryptStream as encryptStreamOf, iterDecodeChunks, iterEncodeChunks } from "../src/index.js";
import { refEncode, refNoiseAdd } from "./helpers/a23-reference.js";
import { randomSplits, seededRandom } from "./helpers/random.js";
import { streamed } from "./helpers/streams.js";

const cat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const KEYS: A23Keys = { serverKey: new Uint8Array(32).fill(1), clientKey: new Uint8Array(32).fill(2), recordKey: new Uint8Array([9, 8, 7]) };
const CHUNK = 65536;
// vitest.nowasm.config.ts runs this file too: only the JS loop, and no zstd compression, there.
const HAS_WASM = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === "object";

function bytes(n: number, rand: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (rand() * 256) | 0;
  return out;
}

/** Plaintext that compresses (so zstd's paths are exercised on real matches) or not. */
function plaintext(n: number, rand: () => number, text: boolean): Uint8Array {
  if (!text) return bytes(n, rand);
  const words = ["alpha ", "beta ", "gamma ", "delta\n", "epsilon "];
  let s = "";
  while (s.length < n) s += words[(rand() * words.length) | 0];
  return new Uint8Array(Buffer.from(s.slice(0, n)));
}

function streamOf(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(p);
      c.close();
    },
  });
}

describe("a23crypt properties", () => {
  beforeAll(() => ready());

  it("random pieces encode byte for byte as the reference, and decode on every path in random splits", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(3 * CHUNK + 10), { maxLength: 4 }), fc.integer(), fc.boolean(), async (sizes, seed, exact) => {
        const rand = seededRandom(String(seed));
        const pieces = sizes.map((n) => bytes(exact && sizes.length === 1 ? CHUNK * (1 + (n % 3)) : Math.floor(n / Math.max(1, sizes.length)), rand));
        const plain = cat(pieces);
        const salt = bytes(16, rand);
        const rec = cat([...iterEncodeChunks(pieces, new A23Encoder(KEYS, { _salt: salt }))]);
        const chunks = Array.from({ length: Math.max(1, Math.ceil(plain.length / CHUNK)) }, (_, i) => plain.subarray(i * CHUNK, (i + 1) * CHUNK));
        expect(same(rec, refEncode(KEYS, salt, chunks))).toBe(true);
        // The WHATWG encrypt stream writes the same bytes.
        const viaStream = await streamed(streamOf(randomSplits(plain, rand, 30000)).pipeThrough(new TransformStream()).pipeThrough(encryptStreamWithSalt(salt)));
        expect(same(viaStream, rec)).toBe(true);
        const splits = randomSplits(rec, rand, 1 + ((rand() * 20000) | 0));
        expect(same(cat([...iterDecodeChunks(splits, new A23Decoder(KEYS))]), plain)).toBe(true);
        const got: Uint8Array[] = [];
        for await (const c of aiterDecodeChunks(splits, new A23Decoder(KEYS))) got.push(c);
        expect(same(cat(got), plain)).toBe(true);
        expect(same(await streamed(streamOf(splits).pipeThrough(decryptStream(KEYS))), plain)).toBe(true);
      }),
      { numRuns: 12 },
    );
  });

  it.skipIf(!HAS_WASM)("compressed records round-trip at random levels 1..13 through the streams, in random splits", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(3 * CHUNK), fc.integer({ min: 1, max: 22 }), fc.integer(), fc.boolean(), async (n, level, seed, text) => {
        const rand = seededRandom(String(seed));
        const plain = plaintext(n, rand, text);
        const rec = await streamed(streamOf(randomSplits(plain, rand, 40000)).pipeThrough(encryptStream({ ...KEYS, compressLevel: level > 9 ? level - 9 : level })));
        expect(rec[1]).toBe(level > 9 ? level - 9 : level);
        const out = await streamed(streamOf(randomSplits(rec, rand, 5000)).pipeThrough(decryptStream(KEYS)));
        expect(same(out, plain)).toBe(true);
      }),
      { numRuns: 10 },
    );
  });

  it("NoiseRemove(NoiseAdd(d, s), s) = d for any data and seed; the WASM and JS loops agree with the reference", () => {
    const loops = HAS_WASM ? [jsNoise, wasmNoise()!] : [jsNoise];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (d, seed) => {
        const ref = refNoiseAdd(d, seed);
        for (const l of loops) {
          const added = noiseAdd(d, seed, l);
          expect(same(added, ref)).toBe(true);
          expect(same(noiseRemove(added, seed, l), d)).toBe(true);
          // Any input, any seed: NoiseRemove returns some bytes and never fails, the same on both loops.
          const removed = noiseRemove(d, seed, l);
          expect(removed.length).toBeLessThanOrEqual(d.length);
          expect(same(removed, noiseRemove(d, seed, jsNoise))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("damage anywhere: an error of the two classes, after at most whole chunks of the original, in order", () => {
    const rand = seededRandom("damage");
    const plain = bytes(3 * CHUNK + 77, rand);
    const rec = cat([...iterEncodeChunks([plain], new A23Encoder(KEYS))]);
    fc.assert(
      fc.property(fc.nat(rec.length - 1), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 255 }), (at, kind, x) => {
        let bad: Uint8Array;
        if (kind === 0) bad = rec.subarray(0, at); // cut
        else if (kind === 1) {
          bad = Uint8Array.from(rec);
          bad[at]! ^= x; // change a byte
        } else if (kind === 2) bad = cat([rec.subarray(0, at), rec.subarray(at + 1)]); // drop a byte
        else bad = cat([rec.subarray(0, at), Uint8Array.of(x), rec.subarray(at)]); // insert a byte
        const released: Uint8Array[] = [];
        let error: unknown = null;
        try {
          for (const c of iterDecodeChunks(randomSplits(bad, rand, 9000), new A23Decoder(KEYS))) released.push(c.slice());
        } catch (e) {
          error = e;
        }
        expect(error instanceof IntegrityError || error instanceof DecryptionError).toBe(true);
        const out = cat(released);
        expect(out.length % CHUNK).toBe(0);
        expect(same(out, plain.subarray(0, out.length))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

/** encryptStream with a fixed salt, to compare with the reference byte for byte. */
function encryptStreamWithSalt(salt: Uint8Array): TransformStream<Uint8Array, Uint8Array> {
  return encryptStreamOf(new A23Encoder(KEYS, { _salt: salt }));
}
