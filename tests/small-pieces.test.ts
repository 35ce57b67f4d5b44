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
  identityToRecipient, iterDecodeChunks, iterEncodeChunks, aiterDecodeChunks, aiterEncodeChunks,
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

/**
 * What a loop does with a source: the steps it takes (next, return), logged.
 * `failAt` makes that next() throw (sync) or reject (async).
 */
function loggedSource(pieces: Uint8Array[], kind: "sync" | "async", log: string[], failAt = -1) {
  let i = 0;
  const step = () => {
    log.push(`next ${i}`);
    if (i === failAt) throw new Error("source failed");
    return i < pieces.length ? { value: pieces[i++]!, done: false } : { value: undefined, done: true as const };
  };
  const close = () => {
    log.push("return");
    return { value: undefined, done: true as const };
  };
  if (kind === "sync") return { [Symbol.iterator]: () => ({ next: step, return: close }) } as Iterable<Uint8Array>;
  return { [Symbol.asyncIterator]: () => ({ next: async () => step(), return: async () => close() }) } as AsyncIterable<Uint8Array>;
}

describe("aiterDecodeChunks / aiterEncodeChunks: a sync source is stepped without a tick per piece, as `for await` would step it", () => {
  const plain = randomBytes(2 * AGE_CHUNK + 100);
  const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
  const pieces = cut(file, [1000, 3000]);

  /** The reference: the same consumer over `for await`, on an identical source. */
  async function forAwaitLog(kind: "sync" | "async", stopAfter: number, failAt: number): Promise<string[]> {
    const log: string[] = [];
    let seen = 0;
    try {
      for await (const p of loggedSource(pieces, kind, log, failAt)) {
        void p;
        if (++seen > stopAfter) break;
      }
    } catch {}
    return log;
  }

  for (const kind of ["sync", "async"] as const) {
    it(`${kind} source: the same plaintext; the source is read lazily, one piece per step`, async () => {
      const log: string[] = [];
      const out: Uint8Array[] = [];
      for await (const c of aiterDecodeChunks(loggedSource(pieces, kind, log), dec())) {
        out.push(c);
        // A 64 KiB chunk is released by the piece after it: no more than one piece beyond it was taken.
        const taken = log.filter((l) => l.startsWith("next")).length;
        expect(taken * 1000).toBeLessThanOrEqual(file.length);
      }
      expect(Buffer.concat(out).equals(plain)).toBe(true);
      expect(log.at(-1)).toBe(`next ${pieces.length}`); // ran out: not closed
      expect(log).not.toContain("return");
    });

    it(`${kind} source: a consumer that stops early closes it, a source that fails is not closed (as \`for await\` does)`, async () => {
      // Stopping after the first plaintext chunk: the source is closed.
      const log: string[] = [];
      for await (const c of aiterDecodeChunks(loggedSource(pieces, kind, log), dec())) {
        void c;
        break;
      }
      expect(log.at(-1)).toBe("return");
      expect(log.filter((l) => l === "return")).toHaveLength(1);
      // A source whose next() fails: the error comes through, and no return() follows.
      const failing: string[] = [];
      await expect(async () => {
        for await (const c of aiterDecodeChunks(loggedSource(pieces, kind, failing, 5), dec())) void c;
      }).rejects.toThrow("source failed");
      expect(failing).toEqual(await forAwaitLog(kind, Infinity, 5));
      // A decoding error after some pieces: the source is closed, as leaving a `for await` body by an exception does.
      const bad = pieces.map((p) => p.slice());
      bad[40]![10]! ^= 1; // ~80 KB in: inside the second chunk
      const tampered: string[] = [];
      await expect(async () => {
        for await (const c of aiterDecodeChunks(loggedSource(bad, kind, tampered), dec())) void c;
      }).rejects.toThrow(ChunkAuthenticationError);
      expect(tampered.at(-1)).toBe("return");
    });

    it(`${kind} source: aiterEncodeChunks gives iterEncodeChunks' chunks; stopping early closes the source`, async () => {
      const data = cut(randomBytes(3 * AGE_CHUNK), [777]);
      const enc = AgeRTEncoder.fromRecipients([recipient]);
      const seen: string[] = [];
      const out: Uint8Array[] = [];
      for await (const c of aiterEncodeChunks(loggedSource(data, kind, seen), enc)) out.push(c);
      expect(out.length).toBe(1 + data.length + 1); // header, a frame per piece, the final frame
      expect(seen).not.toContain("return");
      const plainOut = Buffer.concat([...iterDecodeChunks([Buffer.concat(out)], dec())]);
      expect(plainOut.equals(Buffer.concat(data))).toBe(true);

      const stopped: string[] = [];
      let n = 0;
      for await (const c of aiterEncodeChunks(loggedSource(data, kind, stopped), AgeEncoder.fromRecipients([recipient]))) {
        void c;
        if (++n === 2) break; // the header and the first 64 KiB chunk
      }
      expect(stopped.at(-1)).toBe("return");
    });
  }
});
