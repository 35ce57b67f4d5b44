// Property tests: random chunk lists round-trip through both formats and
// every API path (encoders: manual, iterators, encodeBytes, encryptStream;
// decoders: push byte-exact, blobs of random sizes, async variants,
// decryptStream, decryptReadable over default and byte sources), and Go-age-style boundary tests around 64 KiB.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeDecoder, AgeEncoder, AgeRTDecoder, AgeRTEncoder, aiterDecodeCallable, aiterDecodeChunks,
  aiterEncodeChunks, decodeBytes, decryptReadable, decryptStream, encodeBytes, encryptReadable, encryptStream, generateIdentity,
  identityToRecipient,
  iterDecodeCallable, iterDecodeChunks, iterEncodeChunks, type AnyEncoder, type Decoder,
} from "../src/index.js";

const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const CS = 65536;

const concat = (parts: Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.length)));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 7 + (i >>> 8)) & 0xff;
  return out;
}

/** Cuts data at the given relative split points. */
function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * data.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, data.length]) {
    if (p > prev) out.push(data.subarray(prev, p));
    prev = Math.max(prev, p);
  }
  return out;
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of it) out.push(c.slice());
  return out;
}

async function viaStream(input: Uint8Array[], ts: TransformStream<Uint8Array, Uint8Array>): Promise<Uint8Array[]> {
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      for (const b of input) c.enqueue(b);
      c.close();
    },
  });
  return collect(source.pipeThrough(ts) as unknown as AsyncIterable<Uint8Array>);
}

/** The pieces as a default ReadableStream, or as a byte stream (read with a BYOB reader by decryptReadable). */
function sourceOf(input: Uint8Array[], bytes = false): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    type: bytes ? "bytes" : undefined,
    start(c) {
      // A byte stream transfers the buffer of what it takes: a copy then (new Uint8Array, since a Buffer's slice() is a view).
      for (const b of input) if (b.length > 0 || !bytes) c.enqueue(bytes ? new Uint8Array(b) : b);
      c.close();
    },
  } as UnderlyingDefaultSource<Uint8Array>);
}

type Encode = (chunks: Uint8Array[], enc: AnyEncoder) => Promise<Uint8Array>;
const ENCODERS: Record<string, Encode> = {
  encodeBytes: async (c, e) => encodeBytes(c, e),
  iterEncodeChunks: async (c, e) => concat([...iterEncodeChunks(c, e)]),
  aiterEncodeChunks: async (c, e) => concat(await collect(aiterEncodeChunks(c, e))),
  encryptStream: async (c, e) => concat(await viaStream(c, encryptStream(e))),
  encryptReadable: async (c, e) => concat(await collect(encryptReadable(sourceOf(c), e) as unknown as AsyncIterable<Uint8Array>)),
};

type Decode = (file: Uint8Array, dec: Decoder, cuts: number[]) => Promise<Uint8Array[]>;
const DECODERS: Record<string, Decode> = {
  decodeBytes: async (f, d) => [...decodeBytes(f, d)].map((c) => c.slice()),
  "push, byte-exact": async (f, d) => {
    let off = 0;
    return [...iterDecodeCallable((n) => f.subarray(off, (off += n)), d)].map((c) => c.slice());
  },
  "blobs at random cuts": async (f, d, cuts) => [...iterDecodeChunks(split(f, cuts), d)].map((c) => c.slice()),
  aiterDecodeChunks: async (f, d, cuts) => collect(aiterDecodeChunks(split(f, cuts), d)),
  aiterDecodeCallable: async (f, d) => {
    let off = 0;
    return collect(aiterDecodeCallable(async (n) => f.subarray(off, (off += n)), d));
  },
  decryptStream: async (f, d, cuts) => viaStream(split(f, cuts), decryptStream(d)),
  decryptReadable: async (f, d, cuts) => collect(decryptReadable(sourceOf(split(f, cuts)), d) as unknown as AsyncIterable<Uint8Array>),
  "decryptReadable, byte source": async (f, d, cuts) =>
    collect(decryptReadable(sourceOf(split(f, cuts), true), d) as unknown as AsyncIterable<Uint8Array>),
};

const chunkList = fc.array(fc.integer({ min: 0, max: 150_000 }).chain((n) => fc.constantFrom(n, n % 70, 0, CS, CS - 1, CS + 1)), { maxLength: 5 });
const cutList = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });

describe("round trips, every encoder × every decoder", () => {
  for (const [encName, encode] of Object.entries(ENCODERS)) {
    for (const [decName, decode] of Object.entries(DECODERS)) {
      it(`age-rt: ${encName} → ${decName}`, async () => {
        await fc.assert(fc.asyncProperty(chunkList, cutList, fc.integer({ min: 1, max: 1000 }), async (sizes, cuts, seed) => {
          const chunks = sizes.map((n, i) => bytes(Math.min(n, CS), seed + i));
          const file = await encode(chunks, AgeRTEncoder.fromRecipients([recipient]));
          const out = await decode(file, new AgeRTDecoder({ identities: [identity] }), cuts);
          // Chunk boundaries are kept, and the stream ends with the empty final chunk
          // (decryptReadable's byte stream carries no empty chunks).
          const want = decName.startsWith("decryptReadable") ? chunks.filter((c) => c.length > 0) : [...chunks, new Uint8Array(0)];
          expect(out.length).toBe(want.length);
          want.forEach((c, i) => expect(same(out[i]!, c), `chunk ${i}`).toBe(true));
        }), { numRuns: 8 });
      });
      it(`age v1: ${encName} → ${decName}`, async () => {
        await fc.assert(fc.asyncProperty(chunkList, cutList, fc.integer({ min: 1, max: 1000 }), async (sizes, cuts, seed) => {
          const chunks = sizes.map((n, i) => bytes(n, seed + i));
          const file = await encode(chunks, AgeEncoder.fromRecipients([recipient]));
          const out = await decode(file, new AgeAutoDecoder({ identities: [identity] }), cuts);
          expect(same(concat(out), concat(chunks))).toBe(true);
        }), { numRuns: 8 });
      });
    }
  }
});

describe("encodeBytes of a lazy source", () => {
  it("seals each item before taking the next (the source is never held whole)", () => {
    const enc = AgeRTEncoder.fromRecipients([recipient]);
    const freshWhenAsked: boolean[] = [];
    function* source() {
      for (let i = 0; i < 3; i++) {
        freshWhenAsked.push(enc._isFresh);
        yield bytes(1000 + i, i);
      }
    }
    const file = encodeBytes(source(), enc);
    // Item 1 is asked for only after item 0 was sealed (age-rt seals each item as it comes).
    expect(freshWhenAsked).toEqual([true, false, false]);
    const got = [...decodeBytes(file, new AgeRTDecoder({ identities: [identity] }))];
    expect(got.map((c) => c.length)).toEqual([1000, 1001, 1002, 0]);
    got.slice(0, 3).forEach((c, i) => expect(same(c, bytes(1000 + i, i))).toBe(true));
  });

  it("a one-item generator gives what the one-item array gives (age v1, 3 chunks and a bit)", () => {
    const data = bytes(3 * CS + 17, 5);
    const file = encodeBytes((function* () { yield data; })(), AgeEncoder.fromRecipients([recipient]));
    expect(same(concat([...decodeBytes(file, new AgeDecoder({ identities: [identity] }))]), data)).toBe(true);
    expect(file.length).toBe(encodeBytes([data], AgeEncoder.fromRecipients([recipient])).length);
  });
});

describe("age-rt encodeBytes of one payload: the same frames as iterEncodeChunks", () => {
  // encodeBytes seals one payload straight into its result (AgeRTEncoder._encodeWhole);
  // the general path, iterEncodeChunks, is the oracle: the same chunks, the same file length.
  const cases: [number, number[]][] = [
    [1, [0, 1, 2, 5]],
    [7, [0, 6, 7, 8, 21, 23]],
    [CS, [0, CS - 1, CS, CS + 1, 16 * CS, 16 * CS + 1, 33 * CS + 5]],
    [300_000, [0, 299_999, 300_000, 300_001, 900_000, 2_100_005]], // 3 chunks per call into the core
    [2 ** 24, [2 ** 24 + 3]], // one chunk per call
  ];
  for (const [max, sizes] of cases) {
    for (const n of sizes) {
      it(`maxChunkSize ${max}, payload of ${n} bytes`, () => {
        const data = bytes(n, n + max);
        const whole = encodeBytes([data], AgeRTEncoder.fromRecipients([recipient], { maxChunkSize: max }));
        const general = concat([...iterEncodeChunks([data], AgeRTEncoder.fromRecipients([recipient], { maxChunkSize: max }))]);
        expect(whole.length).toBe(general.length);
        const decode = (file: Uint8Array) => [...decodeBytes(file, new AgeRTDecoder({ identities: [identity], maxChunkSize: max }))];
        const got = decode(whole);
        const want = decode(general);
        expect(got.map((c) => c.length)).toEqual(want.map((c) => c.length));
        got.forEach((c, i) => expect(same(c, want[i]!), `chunk ${i}`).toBe(true));
      });
    }
  }
});

describe("age v1 STREAM boundaries (like Go age's stream tests)", () => {
  // 17, 16 + 1 and 33 chunks and a bit: encodeBytes seals runs of 16 chunks straight into its result.
  const sizes = [0, 1, CS - 1, CS, CS + 1, 2 * CS - 1, 2 * CS, 2 * CS + 1, 16 * CS + 1, 17 * CS, 33 * CS + 5];
  for (const n of sizes) {
    it(`payload of ${n} bytes: exact chunk layout, and reads of 1, 7, 16 KiB, 64 KiB ± 1`, () => {
      const data = bytes(n, n);
      const enc = AgeEncoder.fromRecipients([recipient]);
      const file = encodeBytes([data], enc);
      const headerLength = enc.getHeader().length;
      // No empty final chunk after a full one: ceil(n / 64 KiB) chunks, at least one.
      const chunks = Math.max(1, Math.ceil(n / CS));
      expect(file.length - headerLength).toBe(n + 16 * chunks);
      for (const piece of [1, 7, 16384, CS + 15, CS + 16, CS + 17]) {
        if (piece === 1 && n > 2 * CS) continue; // byte by byte over 1 MiB is slow and adds nothing
        const blobs: Uint8Array[] = [];
        for (let i = 0; i < file.length; i += piece) blobs.push(file.subarray(i, i + piece));
        const out = concat([...iterDecodeChunks(blobs, new AgeDecoder({ identities: [identity] }))]);
        expect(same(out, data), `read size ${piece}`).toBe(true);
      }
    });
  }

  it("the encoder refuses an empty final chunk after a full one, and short non-final chunks", () => {
    const enc = AgeEncoder.fromRecipients([recipient]);
    enc.encodeChunk(bytes(CS, 1));
    expect(() => enc.encodeChunk(new Uint8Array(0), true)).toThrow(/empty final chunk/);
    expect(() => enc.encodeChunk(bytes(10, 1), false)).toThrow(/exactly 65536/);
  });
});
