// decryptReadable / encryptReadable (src/io/readable.ts): the pull-based
// streams over a source ReadableStream. Their round trips are in
// roundtrip.property.test.ts; here: the release rule and the errors (the
// same as decryptStream's), what happens to the source on cancel and on
// error, the byte stream's reads (never waiting past the next age-rt frame),
// and age-rt framing kept on encryption.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeEncoder, AgeRTDecoder, AgeRTEncoder, ChunkAuthenticationError, decodeBytes, decryptReadable,
  encodeBytes, encryptReadable, generateIdentity, identityToRecipient, StreamTruncatedError, type Identity,
} from "../src/index.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK } from "../src/format/chunk-size.js";
import { parseIdentity } from "../src/recipients/keys.js";

const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const dec = () => new AgeAutoDecoder({ identities: [identity] });
const plain = randomBytes(4 * AGE_CHUNK + 1000);
const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
const header = file.length - (4 * AGE_SEALED_CHUNK + 1000 + 16);

/** A source of `pieces` (copies), recording whether it was cancelled and with what. */
function source(pieces: Uint8Array[], opts: { bytes?: boolean; failAt?: number } = {}) {
  const seen = { cancelled: undefined as unknown, pulls: 0 };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    type: opts.bytes ? "bytes" : undefined,
    pull(c) {
      seen.pulls++;
      if (i === opts.failAt) throw new Error("source failed");
      if (i < pieces.length) return c.enqueue(new Uint8Array(pieces[i++]!)); // a copy: a byte stream transfers its buffer
      c.close();
      // A byte stream closed while a BYOB read waits must answer that read (Streams spec, "close").
      if (opts.bytes) (c as unknown as ReadableByteStreamController).byobRequest?.respond(0);
    },
    cancel(reason) {
      seen.cancelled = reason;
    },
  } as UnderlyingDefaultSource<Uint8Array>);
  return { stream, seen };
}

function cut(bytes: Uint8Array, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += n) out.push(bytes.subarray(i, i + n));
  return out;
}

/** Reads the stream to its end or error; returns the chunks and the error. */
async function drain(s: ReadableStream<Uint8Array>): Promise<{ chunks: Uint8Array[]; error: unknown }> {
  const chunks: Uint8Array[] = [];
  const reader = s.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { chunks, error: undefined };
      chunks.push(value);
    }
  } catch (error) {
    return { chunks, error };
  }
}

describe("decryptReadable", () => {
  for (const bytes of [false, true]) {
    const kind = bytes ? "byte source" : "default source";

    it(`${kind}: 1 KiB pieces give the plaintext, chunk by chunk`, async () => {
      const { stream } = source(cut(file, 1024), { bytes });
      const { chunks, error } = await drain(decryptReadable(stream, dec()));
      expect(error).toBeUndefined();
      expect(chunks.map((c) => c.length)).toEqual([...decodeBytes(file, dec())].map((c) => c.length));
      expect(Buffer.concat(chunks).equals(plain)).toBe(true);
    });

    it(`${kind}: a tampered chunk k releases exactly chunks 0..k-1, then ChunkAuthenticationError; the source is cancelled`, async () => {
      for (const k of [0, 2, 4]) {
        const bad = file.slice();
        bad[header + k * AGE_SEALED_CHUNK + 7] ^= 0x40;
        const { stream, seen } = source(cut(bad, 4096), { bytes });
        const { chunks, error } = await drain(decryptReadable(stream, dec()));
        expect(error).toBeInstanceOf(ChunkAuthenticationError);
        expect(chunks).toHaveLength(k);
        expect(Buffer.concat(chunks).equals(plain.subarray(0, k * AGE_CHUNK))).toBe(true);
        // Met before the source ended, the error cancels it (the last chunk fails only at the end).
        expect(seen.cancelled).toBe(k < 4 ? error : undefined);
      }
    });

    it(`${kind}: a file cut after a chunk is StreamTruncatedError after the chunks that authenticated`, async () => {
      const { stream } = source(cut(file.subarray(0, header + 2 * AGE_SEALED_CHUNK), 3000), { bytes });
      const { chunks, error } = await drain(decryptReadable(stream, dec()));
      expect(error).toBeInstanceOf(StreamTruncatedError);
      expect(Buffer.concat(chunks).equals(plain.subarray(0, 2 * AGE_CHUNK))).toBe(true);
    });

    it(`${kind}: the source's error errors the output`, async () => {
      const { stream } = source(cut(file, 8192), { bytes, failAt: 20 });
      const { chunks, error } = await drain(decryptReadable(stream, dec()));
      expect((error as Error).message).toBe("source failed");
      expect(Buffer.concat(chunks).equals(plain.subarray(0, chunks.length * AGE_CHUNK))).toBe(true);
    });

    it(`${kind}: cancelling the output cancels the source with the reason`, async () => {
      const { stream, seen } = source(cut(file, 4096), { bytes });
      const out = decryptReadable(stream, dec()).getReader();
      expect((await out.read()).value!.length).toBe(AGE_CHUNK);
      await out.cancel("enough");
      expect(seen.cancelled).toBe("enough");
    });
  }

  it("a live age-rt byte stream: each frame is released before the next one is sent", async () => {
    const enc = AgeRTEncoder.fromRecipients([recipient]);
    const frames = [enc.getHeader(), ...[10, 5000, 1].map((n) => enc.encodeChunk(randomBytes(n))), enc.encodeChunk(new Uint8Array(0), true)];
    let sent = 0;
    let controller!: ReadableByteStreamController;
    const live = new ReadableStream({
      type: "bytes",
      start: (c: ReadableByteStreamController) => void (controller = c),
    }) as ReadableStream<Uint8Array>;
    const send = () => controller.enqueue(new Uint8Array(frames[sent++]!));
    const out = decryptReadable(live, new AgeRTDecoder({ identities: [identity] })).getReader();
    send(); // the header
    for (const n of [10, 5000, 1]) {
      send(); // one frame, and nothing after it yet: its plaintext must come out now
      const { value } = await out.read();
      expect(value!.length).toBe(n);
    }
    send(); // the empty final frame
    controller.close();
    expect((await out.read()).done).toBe(true);
  });

  it("works ahead of its reader by at most 256 KiB: the source is read before the first read(), then no further", async () => {
    const big = randomBytes(12 * AGE_CHUNK);
    const bigFile = encodeBytes([big], AgeEncoder.fromRecipients([recipient]));
    for (const bytes of [false, true]) {
      const src = source(cut(bigFile, 4096), { bytes });
      const out = decryptReadable(src.stream, dec());
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 20)); // let it run ahead, no reader yet
      const readAhead = src.seen.pulls * 4096;
      // Four 64 KiB chunks wait to be read: the header, four sealed chunks and
      // the byte that showed the fourth was not final were taken, and at most
      // the rest of that piece and the one the source queues ahead of its reader.
      const kind = `${bytes ? "byte" : "default"} source`;
      expect(readAhead, kind).toBeGreaterThanOrEqual(header + 4 * AGE_SEALED_CHUNK + 1);
      expect(readAhead, kind).toBeLessThanOrEqual(header + 4 * AGE_SEALED_CHUNK + 2 * 4096);
      const { chunks, error } = await drain(out);
      expect(error).toBeUndefined();
      expect(Buffer.concat(chunks).equals(big)).toBe(true);
    }
  });

  it("an asynchronous identity is awaited", async () => {
    const sync = parseIdentity(identity);
    const slow: Identity = { unwrapFileKey: async (stanzas) => sync.unwrapFileKey(stanzas) };
    const { stream } = source(cut(file, 5000));
    const { chunks, error } = await drain(decryptReadable(stream, new AgeAutoDecoder({ identities: [slow] })));
    expect(error).toBeUndefined();
    expect(Buffer.concat(chunks).equals(plain)).toBe(true);
  });
});

describe("encryptReadable", () => {
  it("age-rt: one frame per source piece, as encryptStream", async () => {
    const pieces = [randomBytes(3), randomBytes(70_000), randomBytes(1)];
    const { stream } = source(pieces);
    const { chunks, error } = await drain(encryptReadable(stream, AgeRTEncoder.fromRecipients([recipient])));
    expect(error).toBeUndefined();
    const got = [...decodeBytes(Buffer.concat(chunks), new AgeRTDecoder({ identities: [identity] }))];
    expect(got.map((c) => c.length)).toEqual([3, 65536, 70_000 - 65536, 1, 0]); // above maxChunkSize: split
    expect(Buffer.concat(got).equals(Buffer.concat(pieces))).toBe(true);
  });

  it("age v1: 1 KiB pieces give a file that decrypts to them", async () => {
    const { stream } = source(cut(plain, 1024));
    const { chunks } = await drain(encryptReadable(stream, AgeEncoder.fromRecipients([recipient])));
    const out = Buffer.concat(chunks);
    expect(out.length).toBe(file.length);
    expect(Buffer.concat([...decodeBytes(out, dec())]).equals(plain)).toBe(true);
  });

  it("the source's error errors the output; cancelling the output cancels the source", async () => {
    const failing = source(cut(plain, 4096), { failAt: 3 });
    expect(((await drain(encryptReadable(failing.stream, AgeEncoder.fromRecipients([recipient])))).error as Error).message).toBe("source failed");
    const { stream, seen } = source(cut(plain, 4096));
    const out = encryptReadable(stream, AgeEncoder.fromRecipients([recipient])).getReader();
    await out.read(); // the header
    await out.cancel("stop");
    expect(seen.cancelled).toBe("stop");
  });
});
