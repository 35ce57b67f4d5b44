// Small pieces (src/io/feeder.ts, src/io/rechunker.ts): input handed over in
// 1 byte to 4 KiB at a time, as request bodies and sockets do, is gathered
// without changing what is released or when: each age v1 chunk comes out as
// soon as the byte after it arrives (so it is known not to be final), a
// tampered chunk releases nothing, and age-rt keeps one chunk per write.
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeEncoder, AgeRTEncoder, ChunkAuthenticationError, decodeBytes, encodeBytes, generateIdentity,
  identityToRecipient, iterDecodeChunks, iterEncodeChunks,
} from "../src/index.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK } from "../src/format/chunk-size.js";

const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const dec = () => new AgeAutoDecoder({ identities: [identity] });

/** `bytes` cut at the given sizes, cycling through them; fresh copies, as a socket's reads. */
function cut(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0, k = 0; i < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(bytes.slice(i, i + n));
    i += n;
  }
  return out;
}

describe("decrypting small pieces", () => {
  const plain = randomBytes(3 * AGE_CHUNK + 5000);
  const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
  const header = file.length - (3 * AGE_SEALED_CHUNK + 5000 + 16);

  it("1-byte pieces: the same chunks as the whole file (and a backlog of thousands of pieces)", () => {
    const whole = [...decodeBytes(file, dec())];
    const pieces = [...iterDecodeChunks(cut(file, [1]), dec())];
    expect(pieces.map((c) => c.length)).toEqual(whole.map((c) => c.length));
    expect(Buffer.concat(pieces).equals(plain)).toBe(true);
  });

  it("each chunk is released when the byte after it arrives, not later", () => {
    let fed = 0;
    const released: number[] = [];
    function* counted(pieces: Uint8Array[]) {
      for (const p of pieces) {
        fed += p.length;
        yield p;
      }
    }
    for (const _ of iterDecodeChunks(counted(cut(file, [1000, 3000, 1, 4096])), dec())) released.push(fed);
    // Chunk i (non-final) ends at header + (i+1) * 65552; it can go once one more byte is in.
    for (let i = 0; i < 3; i++) {
      const end = header + (i + 1) * AGE_SEALED_CHUNK;
      expect(released[i]).toBeGreaterThan(end);
      expect(released[i]! - end).toBeLessThanOrEqual(4096); // within the piece that brought that byte
    }
    expect(released).toHaveLength(4);
    expect(released[3]).toBe(file.length); // the final chunk: only at the end of the input
  });

  it("a tampered chunk fed in 4 KiB pieces releases nothing of itself", () => {
    const bad = file.slice();
    bad[header + AGE_SEALED_CHUNK + 100] ^= 1; // second chunk
    const got: Uint8Array[] = [];
    expect(() => {
      for (const c of iterDecodeChunks(cut(bad, [4096]), dec())) got.push(c);
    }).toThrow(ChunkAuthenticationError);
    expect(got).toHaveLength(1);
    expect(Buffer.concat(got).equals(plain.subarray(0, AGE_CHUNK))).toBe(true);
  });

  it("any piece sizes: the same plaintext and chunking (property)", () => {
    const whole = [...decodeBytes(file, dec())].map((c) => c.length);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 8 }), (sizes) => {
        const out = [...iterDecodeChunks(cut(file, sizes), dec())];
        return Buffer.concat(out).equals(plain) && out.map((c) => c.length).join() === whole.join();
      }),
      { numRuns: 25 },
    );
  });
});

describe("encrypting small pieces", () => {
  it("age v1: pieces of 1 byte to 4 KiB give a file that decrypts to the same bytes, 64 KiB chunks", () => {
    const plain = randomBytes(2 * AGE_CHUNK + 777);
    const file = Buffer.concat([...iterEncodeChunks(cut(plain, [1, 4096, 1000, 65535]), AgeEncoder.fromRecipients([recipient]))]);
    const chunks = [...decodeBytes(file, dec())];
    expect(chunks.map((c) => c.length)).toEqual([AGE_CHUNK, AGE_CHUNK, 777]);
    expect(Buffer.concat(chunks).equals(plain)).toBe(true);
  });

  it("age v1: a payload of exactly one chunk in small pieces ends with that chunk as the final one", () => {
    const plain = randomBytes(AGE_CHUNK);
    const file = Buffer.concat([...iterEncodeChunks(cut(plain, [4096]), AgeEncoder.fromRecipients([recipient]))]);
    expect(file.length).toBe(encodeBytes([plain], AgeEncoder.fromRecipients([recipient])).length); // no empty chunk after it
    expect(Buffer.concat([...decodeBytes(file, dec())]).equals(plain)).toBe(true);
  });

  it("age-rt: still one chunk per piece, however small", () => {
    const pieces = cut(randomBytes(5000), [1, 10, 1000]);
    const file = Buffer.concat([...iterEncodeChunks(pieces, AgeRTEncoder.fromRecipients([recipient]))]);
    const chunks = [...decodeBytes(file, dec())];
    expect(chunks.map((c) => c.length)).toEqual([...pieces.map((p) => p.length), 0]);
  });
});
