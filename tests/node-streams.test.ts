// age-rt/node: the node:stream Transforms (round trips, chunk boundaries,
// backpressure with a slow consumer, typed errors through pipeline) and the
// file helpers (encodeFile/decodeFile on paths, FileHandles and streams;
// encryptFile/decryptFile, including what a failed decryption leaves).
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { afterAll, describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeDecoder, AgeEncoder, AgeRTDecoder, AgeRTEncoder, ChunkAuthenticationError, DecodeError,
  NoIdentityMatchError, StreamTruncatedError, armor, decodeFile, decryptFile, decryptTransform, encodeBytes,
  encodeFile, encryptFile, encryptTransform, generateIdentity, identityToRecipient,
} from "../src/node.js";
import { randomSplits, seededRandom } from "./helpers/random.js";

const id = generateIdentity();
const rcpt = identityToRecipient(id);
const dir = mkdtempSync(join(tmpdir(), "age-rt-node-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function payload(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761;
  for (let i = 0; i < n; i++) out[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return out;
}
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Collects a Readable's output, keeping the chunk boundaries ('data' events; for-await would merge them). */
function collect(r: Readable): Promise<Buffer[]> {
  const out: Buffer[] = [];
  return new Promise((resolve, reject) => {
    r.on("data", (c: Buffer) => out.push(c)).on("end", () => resolve(out)).on("error", reject);
  });
}

async function encryptAll(pieces: Uint8Array[], enc: AgeEncoder | AgeRTEncoder): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  await pipeline(Readable.from(pieces, { objectMode: false }), encryptTransform(enc), new Writable({
    write(c: Buffer, _e, cb) { parts.push(c); cb(); },
  }));
  return Buffer.concat(parts);
}

describe("encryptTransform / decryptTransform", () => {
  for (const n of [0, 1, 65535, 65536, 65537, 1_000_003]) {
    it(`round-trips ${n} bytes through a pipeline (age v1 and age-rt, random splits)`, async () => {
      const data = payload(n, n);
      const rand = seededRandom(`node-${n}`);
      for (const enc of [AgeEncoder.fromRecipients([rcpt]), AgeRTEncoder.fromRecipients([rcpt])]) {
        const file = await encryptAll(randomSplits(data, rand), enc);
        const dec = new AgeAutoDecoder({ identities: [id] });
        const out = await collect(Readable.from(randomSplits(file, rand)).pipe(decryptTransform(dec)));
        expect(sha(Buffer.concat(out))).toBe(sha(data));
      }
    });
  }

  it("age-rt: each write is one chunk, and the header is pushed before any plaintext", async () => {
    const t = encryptTransform(AgeRTEncoder.fromRecipients([rcpt]));
    const dt = decryptTransform(new AgeRTDecoder({ identities: [id] }));
    t.pipe(dt);
    const got: string[] = [];
    dt.on("data", (c: Buffer) => got.push(c.toString()));
    // The header alone reaches the decoder: no plaintext yet, no error.
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([]);
    for (const line of ["one\n", "two\n", "three\n"]) {
      t.write(line);
      // Real time: the chunk comes out before the next one is written.
      await new Promise((r) => setTimeout(r, 10));
      expect(got.at(-1)).toBe(line);
    }
    t.end();
    await new Promise((r) => dt.on("end", r));
    expect(got).toEqual(["one\n", "two\n", "three\n", ""].filter((s) => s !== "")); // the empty final chunk pushes nothing
  });

  it("age-rt: writes above maxChunkSize are split", async () => {
    const file = await encryptAll([payload(10_000)], AgeRTEncoder.fromRecipients([rcpt], { maxChunkSize: 4096 }));
    const out = await collect(Readable.from([file]).pipe(decryptTransform(new AgeRTDecoder({ identities: [id], maxChunkSize: 4096 }))));
    expect(out.map((c) => c.length)).toEqual([4096, 4096, 1808]);
  });

  it("decrypts ASCII armor with the auto decoder", async () => {
    const data = payload(200_000);
    const text = armor.encode(encodeBytes([data], AgeEncoder.fromRecipients([rcpt])));
    const out = await collect(Readable.from(randomSplits(Buffer.from(text), seededRandom("armor"), 5000)).pipe(
      decryptTransform(new AgeAutoDecoder({ identities: [id] })),
    ));
    expect(sha(Buffer.concat(out))).toBe(sha(data));
  });

  it("respects backpressure: a slow consumer holds the producer back", async () => {
    const total = 16 << 20;
    const piece = 64 << 10;
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    const source = new Readable({
      highWaterMark: piece,
      read() {
        if (produced >= total) return void this.push(null);
        produced += piece;
        maxAhead = Math.max(maxAhead, produced - consumed);
        this.push(payload(piece, produced / piece));
      },
    });
    let ticks = 0;
    const slow = new Writable({
      highWaterMark: piece,
      write(c: Buffer, _e, cb) {
        consumed += c.length;
        // Yield to the event loop on every chunk, and sleep now and then.
        if (++ticks % 16 === 0) setTimeout(cb, 5);
        else setImmediate(cb);
      },
    });
    await pipeline(source, encryptTransform(AgeEncoder.fromRecipients([rcpt])),
      decryptTransform(new AgeDecoder({ identities: [id] })), slow);
    expect(consumed).toBe(total);
    // Only the streams' buffers (a few highWaterMarks each) lie between the
    // two ends, not the 16 MiB.
    expect(maxAhead).toBeLessThan(2 << 20);
  });

  it("propagates typed errors: a tampered chunk after authenticated plaintext", async () => {
    const data = payload(5 * 65536 + 100);
    const file = encodeBytes([data], AgeEncoder.fromRecipients([rcpt]));
    const headerLen = file.length - (data.length + 6 * 16);
    file[headerLen + 16 + 3 * (65536 + 16) + 7]! ^= 1; // inside chunk 3
    const got: Buffer[] = [];
    const p = pipeline(Readable.from(randomSplits(file, seededRandom("t"), 30_000)), decryptTransform(new AgeDecoder({ identities: [id] })),
      new Writable({ write(c: Buffer, _e, cb) { got.push(c); cb(); } }));
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ChunkAuthenticationError);
    expect(String((err as Error).message)).toMatch(/chunk 3/);
    // Exactly the chunks before the tampered one, and nothing of it.
    expect(Buffer.concat(got).equals(Buffer.from(data.subarray(0, 3 * 65536)))).toBe(true);
  });

  it("propagates typed errors: truncation and a wrong identity", async () => {
    const file = encodeBytes([payload(100_000)], AgeRTEncoder.fromRecipients([rcpt]));
    const run = (bytes: Uint8Array, ids: string[]) => pipeline(Readable.from([bytes]),
      decryptTransform(new AgeAutoDecoder({ identities: ids })), new PassThrough().resume());
    await expect(run(file.subarray(0, file.length - 5), [id])).rejects.toBeInstanceOf(StreamTruncatedError);
    await expect(run(file, [generateIdentity()])).rejects.toBeInstanceOf(NoIdentityMatchError);
  });
});

describe("encodeFile / decodeFile / encryptFile / decryptFile", () => {
  it("encodeFile to a path, decodeFile from a path (age-rt keeps the chunks)", async () => {
    const path = join(dir, "chunks.agert");
    await encodeFile([Buffer.from("Hello"), Buffer.from("World"), Buffer.from("!")], path, AgeRTEncoder.fromRecipients([rcpt]));
    const chunks: string[] = [];
    for await (const c of decodeFile(path, new AgeRTDecoder({ identities: [id] }))) chunks.push(Buffer.from(c).toString());
    expect(chunks).toEqual(["Hello", "World", "!", ""]); // the reference's empty final chunk
  });

  it("encodeFile to a FileHandle and a Writable (left open), decodeFile from a FileHandle and a Readable", async () => {
    const data = payload(300_000);
    async function* gen() { yield data.subarray(0, 1000); yield data.subarray(1000); }
    const path = join(dir, "handle.age");
    const h = await open(path, "w");
    await encodeFile(gen(), h, AgeEncoder.fromRecipients([rcpt]));
    await h.write(Buffer.alloc(0)); // still open
    await h.close();

    const parts: Buffer[] = [];
    const w = new Writable({ write(c: Buffer, _e, cb) { parts.push(c); cb(); } });
    await encodeFile([data], w, AgeEncoder.fromRecipients([rcpt]));
    expect(w.writableEnded).toBe(false);

    const r = await open(path, "r");
    const fromHandle: Uint8Array[] = [];
    for await (const c of decodeFile(r, new AgeDecoder({ identities: [id] }))) fromHandle.push(c);
    await r.close();
    expect(sha(Buffer.concat(fromHandle))).toBe(sha(data));

    const fromStream: Uint8Array[] = [];
    for await (const c of decodeFile(Readable.from(parts), new AgeDecoder({ identities: [id] }))) fromStream.push(c);
    expect(sha(Buffer.concat(fromStream))).toBe(sha(data));
  });

  it("encodeFile rejects with the Writable's error instead of leaving it unhandled", async () => {
    const w = new Writable({ write(_c, _e, cb) { cb(new Error("disk full")); } });
    await expect(encodeFile([payload(100_000)], w, AgeEncoder.fromRecipients([rcpt]))).rejects.toThrow(/disk full/);
  });

  it("encryptFile / decryptFile round-trip, both formats", async () => {
    const data = payload(3 * 1024 * 1024 + 77);
    const plain = join(dir, "plain");
    writeFileSync(plain, data);
    for (const enc of [AgeEncoder.fromRecipients([rcpt]), AgeRTEncoder.fromRecipients([rcpt])]) {
      await encryptFile(plain, join(dir, "f.enc"), enc);
      await decryptFile(join(dir, "f.enc"), join(dir, "f.dec"), new AgeAutoDecoder({ identities: [id] }));
      expect(sha(readFileSync(join(dir, "f.dec")))).toBe(sha(data));
    }
  });

  it("decryptFile on a tampered file: rejects typed, output holds exactly the authenticated prefix", async () => {
    const data = payload(4 * 65536);
    const file = encodeBytes([data], AgeEncoder.fromRecipients([rcpt]));
    file[file.length - 20]! ^= 0x80; // the last chunk
    writeFileSync(join(dir, "bad.age"), file);
    const err = await decryptFile(join(dir, "bad.age"), join(dir, "bad.out"), new AgeDecoder({ identities: [id] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChunkAuthenticationError);
    expect(err).toBeInstanceOf(DecodeError);
    expect(readFileSync(join(dir, "bad.out")).equals(Buffer.from(data.subarray(0, 3 * 65536)))).toBe(true);
  });

  it("a missing input leaves an existing output alone", async () => {
    const out = join(dir, "keep");
    writeFileSync(out, "precious");
    await expect(decryptFile(join(dir, "nope"), out, new AgeDecoder({ identities: [id] }))).rejects.toThrow(/ENOENT/);
    await expect(encryptFile(join(dir, "nope"), out, AgeEncoder.fromRecipients([rcpt]))).rejects.toThrow(/ENOENT/);
    expect(readFileSync(out, "utf8")).toBe("precious");
  });
});
