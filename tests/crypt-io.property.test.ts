// crypt-io properties (CRYPT-IO.md §2, §7): random chunk lists round-trip for
// all three algorithms × both versions × chunkSizeLog2 ∈ {10, 12, 16, 20},
// with the crate's exact length; and tampering, truncation, reordering,
// duplication, appending and header edits fail with the right class while
// releasing only whole chunks of the original, in order, before the damage.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChunkAuthenticationError, CryptIoDecoder, CryptIoEncoder, HeaderParseError, StreamTruncatedError, UsageError,
  cryptIoDecrypt, cryptIoEncrypt, type CryptIoAlgorithm,
} from "../src/crypt-io/index.js";
import { decodeBytes, decryptStream, encryptStream, iterDecodeChunks, iterEncodeChunks } from "../src/index.js";
import { randomSplits, seededRandom } from "./helpers/random.js";
import { ChunkCipher } from "../src/crypt-io/chunk-cipher.js";
import { encodeHeader, parseHeader } from "../src/crypt-io/header.js";

const cat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const KEY = Uint8Array.from({ length: 32 }, (_, i) => 100 + i);
const ALGS: CryptIoAlgorithm[] = ["chacha20-poly1305", "aes-256-gcm", "xchacha20-poly1305"];
const COMBOS = ALGS.flatMap((algorithm) => ([1, 2] as const).filter((v) => v === 2 || algorithm !== "xchacha20-poly1305")
  .flatMap((version) => [10, 12, 16, 20].map((chunkSizeLog2) => ({ algorithm, version, chunkSizeLog2 }))));

/** Random bytes from a seed (fast, no CSPRNG needed for plaintext). */
function bytes(n: number, rand: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (rand() * 256) | 0;
  return out;
}

/** The crate's stream length for n plaintext bytes (§2). */
const expectedLength = (n: number, version: 1 | 2, log2: number) => 24 + (version === 2 ? 32 : 0) + n + 16 * (Math.floor(n / 2 ** log2) + 1);

/** Decodes with random splits and returns what was released and the error, if any. */
function decodeSome(stream: Uint8Array, key: Uint8Array, rand: () => number): { out: Uint8Array; error: unknown } {
  const parts: Uint8Array[] = [];
  try {
    for (const c of iterDecodeChunks(randomSplits(stream, rand, 5000), new CryptIoDecoder(key))) parts.push(c.slice());
    return { out: cat(parts), error: null };
  } catch (error) {
    return { out: cat(parts), error };
  }
}

describe.each(COMBOS)("$algorithm v$version log2 $chunkSizeLog2", ({ algorithm, version, chunkSizeLog2 }) => {
  const size = 2 ** chunkSizeLog2;
  // Sizes around chunk boundaries; large chunk sizes get fewer, shorter runs.
  const maxTotal = Math.min(3 * size + 100, 3 << 20);
  const runs = chunkSizeLog2 >= 16 ? 4 : 12;

  it("random chunk lists round-trip through the iterators, with the crate's length", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(maxTotal), { minLength: 0, maxLength: 4 }), fc.integer(), fc.boolean(), (sizes, seed, exact) => {
        const rand = seededRandom(String(seed));
        const chunks = sizes.map((n) => bytes(exact && sizes.length === 1 ? size * (1 + (n % 2)) : Math.floor(n / Math.max(1, sizes.length)), rand));
        const plain = cat(chunks);
        const enc = CryptIoEncoder.create(KEY, { algorithm, version, chunkSizeLog2 });
        const stream = cat([...iterEncodeChunks(chunks, enc)]);
        expect(stream.length).toBe(expectedLength(plain.length, version, chunkSizeLog2));
        expect(enc.finalized).toBe(true);
        const back = cat([...iterDecodeChunks(randomSplits(stream, rand, size + 1000), new CryptIoDecoder(KEY))]);
        expect(same(back, plain)).toBe(true);
        expect(same(cryptIoDecrypt(stream, KEY), plain)).toBe(true);
      }),
      { numRuns: runs },
    );
  });

  it("cryptIoEncrypt and encodeChunk agree on length; an exact multiple ends with an empty final chunk", () => {
    const plain = bytes(2 * size, seededRandom("exact"));
    const stream = cryptIoEncrypt(plain, KEY, { algorithm, version, chunkSizeLog2 });
    expect(stream.length).toBe(expectedLength(plain.length, version, chunkSizeLog2));
    expect(stream.length - 2 * (size + 16) - (version === 2 ? 56 : 24)).toBe(16); // the empty final chunk: a tag only
    expect(same(cryptIoDecrypt(stream, KEY), plain)).toBe(true);
  });
});

describe("tampering, truncation, reordering, duplication, header edits", () => {
  const rand = seededRandom("tamper");
  const cases = COMBOS.filter((c) => c.chunkSizeLog2 === 10);

  it.each(cases)("$algorithm v$version: every kind of damage fails with the right class, releasing only a prefix", ({ algorithm, version }) => {
    const size = 1024;
    const plain = bytes(5 * size + 300, rand);
    const stream = cryptIoEncrypt(plain, KEY, { algorithm, version, chunkSizeLog2: 10 });
    const start = version === 2 ? 56 : 24;
    const frame = size + 16;
    const chunkAt = (i: number) => start + i * frame;
    const check = (damaged: Uint8Array, classes: Array<new (...a: never[]) => Error>, firstBadChunk: number) => {
      const { out, error } = decodeSome(damaged, KEY, rand);
      expect(error, "must fail").not.toBeNull();
      expect(classes.some((c) => error instanceof c), String(error)).toBe(true);
      expect(out.length % size).toBe(0);
      expect(out.length).toBeLessThanOrEqual(firstBadChunk * size);
      expect(same(out, plain.subarray(0, out.length))).toBe(true);
      expect(() => cryptIoDecrypt(damaged, KEY)).toThrow();
    };
    // A flipped bit anywhere in a chunk (tag included).
    for (let t = 0; t < 20; t++) {
      const at = start + Math.floor(rand() * (stream.length - start));
      const bad = stream.slice();
      bad[at]! ^= 1 << Math.floor(rand() * 8);
      check(bad, [ChunkAuthenticationError], Math.floor((at - start) / frame));
    }
    // A flipped salt bit (v2): another subkey, so the first chunk fails.
    if (version === 2) {
      const bad = stream.slice();
      bad[24 + 7]! ^= 0x10;
      check(bad, [ChunkAuthenticationError], 0);
    }
    // Truncation anywhere.
    for (let t = 0; t < 20; t++) {
      const len = Math.floor(rand() * stream.length);
      const cls = len < 24 ? [HeaderParseError] : [StreamTruncatedError, ChunkAuthenticationError];
      check(stream.subarray(0, len), cls, Math.max(0, Math.floor((len - start) / frame)));
    }
    for (const len of [0, 23, 24, start + 15, chunkAt(1), chunkAt(5), chunkAt(5) + 15]) {
      const cls = len < 24 ? [HeaderParseError] : [StreamTruncatedError];
      check(stream.subarray(0, len), cls, 5);
    }
    // Reordering and duplication of whole chunks.
    const c = (i: number) => stream.subarray(chunkAt(i), chunkAt(i + 1));
    const head = stream.subarray(0, start), tail = stream.subarray(chunkAt(5));
    check(cat([head, c(0), c(2), c(1), c(3), c(4), tail]), [ChunkAuthenticationError], 1);
    check(cat([head, c(0), c(1), c(1), c(2), c(3), c(4), tail]), [ChunkAuthenticationError], 2);
    check(cat([head, c(0), c(1), c(2), c(3), c(4), tail, tail]), [ChunkAuthenticationError], 5);
    check(cat([stream, new Uint8Array([0])]), [ChunkAuthenticationError], 5); // appended byte
    check(cat([head, c(0), c(1), c(2), c(3), tail]), [ChunkAuthenticationError], 4); // a chunk dropped
    // Header edits: magic, version, algorithm, chunk size, reserved bytes.
    const edit = (at: number, value: number) => {
      const bad = stream.slice();
      bad[at] = value;
      return bad;
    };
    check(edit(0, 0x88), [HeaderParseError], 0);
    check(edit(8, 3), [HeaderParseError], 0);
    check(edit(9, 3), [HeaderParseError], 0);
    check(edit(10, 9), [HeaderParseError], 0);
    check(edit(10, 25), [HeaderParseError], 0);
    check(edit(10, 11), [ChunkAuthenticationError, StreamTruncatedError], 0); // a valid but different chunk size
    check(edit(9, algorithm === "aes-256-gcm" ? 0 : 1), [ChunkAuthenticationError], 0);
    // v1 ignores its reserved bytes (but they are AAD); v2 requires zeros.
    check(edit(12, 1), version === 1 ? [ChunkAuthenticationError] : [HeaderParseError], 0);
    check(edit(23, 1), version === 1 ? [ChunkAuthenticationError] : [HeaderParseError], 0);
    check(edit(17, stream[17]! ^ 1), version === 1 ? [ChunkAuthenticationError] : [HeaderParseError], 0);
  });

  it("v1 streams written with non-zero reserved bytes decode (the 1.0 promise), v2 ones are refused", () => {
    // Build a v1 stream by hand with reserved bytes set, sealing chunks as the crate would: via a patched header.
    const v1 = cryptIoEncrypt(bytes(100, rand), KEY, { version: 1 });
    const dec = new CryptIoDecoder(KEY);
    const bad = v1.slice();
    bad[11] = 0xff;
    expect(() => cat([...decodeBytes(bad, dec)])).toThrow(ChunkAuthenticationError); // AAD mismatch, not a header error
  });

  it("refuses chunk sizes above the decoder's cap before allocating, and bad arguments with UsageError", () => {
    const stream = cryptIoEncrypt(bytes(10, rand), KEY, { chunkSizeLog2: 20 });
    const dec = new CryptIoDecoder(KEY, { maxChunkSizeLog2: 16 });
    expect(() => dec.feed(stream.subarray(0, 24))).toThrow(HeaderParseError);
    expect(() => dec.feed(stream.subarray(0, 24))).toThrow(HeaderParseError); // sticky
    expect(() => new CryptIoDecoder(new Uint8Array(31))).toThrow(UsageError);
    expect(() => new CryptIoDecoder(KEY, { maxChunkSizeLog2: 25 })).toThrow(UsageError);
    expect(() => CryptIoEncoder.create(KEY, { version: 1, algorithm: "xchacha20-poly1305" })).toThrow(UsageError);
    expect(() => CryptIoEncoder.create(KEY, { chunkSizeLog2: 9 })).toThrow(UsageError);
    expect(() => CryptIoEncoder.create(KEY, { chunkSizeLog2: 25 })).toThrow(UsageError);
    const enc = CryptIoEncoder.create(KEY, { chunkSizeLog2: 10 });
    expect(() => enc.encodeChunk(new Uint8Array(1000), false)).toThrow(UsageError);
    expect(() => enc.encodeChunk(new Uint8Array(1025), true)).toThrow(UsageError);
    enc.encodeChunk(new Uint8Array(5));
    expect(enc.finalized).toBe(true);
    expect(() => enc.encodeChunk(new Uint8Array(0))).toThrow(UsageError);
  });

  it("a full final chunk given to encodeChunk is written as the crate writes it: non-final, then an empty final chunk", () => {
    const full = bytes(1024, rand);
    const enc = CryptIoEncoder.create(KEY, { chunkSizeLog2: 10, _fixedRandom: new Uint8Array(32).fill(3) });
    const out = cat([enc.getHeader(), enc.encodeChunk(full, true)]);
    expect(enc.finalized).toBe(true);
    const crate = CryptIoEncoder.create(KEY, { chunkSizeLog2: 10, _fixedRandom: new Uint8Array(32).fill(3) })._encodeWhole(full);
    expect(same(out, crate)).toBe(true);
    expect(out.length).toBe(56 + 1040 + 16);
  });

  it("a final chunk of exactly a frame, which the crate reads but never writes, decodes; bytes after it fail", () => {
    // Another writer's stream: header, then one full chunk sealed with the last flag.
    const header = parseHeader(encodeHeader(1, "chacha20-poly1305", 10, new Uint8Array(7).fill(9)));
    const full = bytes(1024, rand);
    const stream = cat([header.bytes, new ChunkCipher(KEY, header).seal(0, true, full)]);
    expect(same(cryptIoDecrypt(stream, KEY), full)).toBe(true);
    expect(() => cryptIoDecrypt(cat([stream, new Uint8Array(20)]), KEY)).toThrow(ChunkAuthenticationError);
    // The crate's own truncation case: one full non-final chunk and nothing after it.
    const crate = cryptIoEncrypt(full, KEY, { version: 1, chunkSizeLog2: 10 });
    expect(() => cryptIoDecrypt(crate.subarray(0, 24 + 1040), KEY)).toThrow(StreamTruncatedError);
  });

  it("WHATWG streams: encryptStream and decryptStream take the crypt-io encoder and decoder", async () => {
    const plain = bytes(5000, rand);
    const pieces = randomSplits(plain, rand, 1500);
    const src = new ReadableStream<Uint8Array>({ start(c) { for (const p of pieces) c.enqueue(p); c.close(); } });
    const enc = CryptIoEncoder.create(KEY, { algorithm: "aes-256-gcm", chunkSizeLog2: 10 });
    const parts: Uint8Array[] = [];
    for await (const p of src.pipeThrough(encryptStream(enc)).pipeThrough(decryptStream(new CryptIoDecoder(KEY))) as unknown as AsyncIterable<Uint8Array>) parts.push(p);
    expect(same(cat(parts), plain)).toBe(true);
  });
});

describe("caller's buffers", () => {
  it("the encoder and decoder never modify the caller's key or input, Buffers included", () => {
    const key = Buffer.from(KEY);
    const plain = Buffer.from(bytes(3000, seededRandom("buffers")));
    for (const algorithm of ALGS) {
      const stream = Buffer.from(cryptIoEncrypt(plain, key, { algorithm, chunkSizeLog2: 10 }));
      const copy = Buffer.from(stream);
      expect(same(cryptIoDecrypt(stream, key), plain)).toBe(true);
      expect(same(key, KEY)).toBe(true);
      expect(same(stream, copy)).toBe(true);
    }
    const v1 = Buffer.from(cryptIoEncrypt(plain, key, { version: 1 }));
    expect(same(cryptIoDecrypt(v1, key), plain)).toBe(true);
    expect(same(key, KEY)).toBe(true);
  });
});
