// The worker pool (API.md "Several cores", src/pool/): pooled and
// single-threaded output identical over random sizes and split points, both
// formats, both directions; the release rule under corruption (chunk k bad:
// exactly chunks 0..k-1 released); a worker killed mid-run and close() while
// busy give a WorkerPoolError, no hang, nothing unauthenticated; an idle
// pool lets Node exit.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  AgeAutoDecoder, AgeDecoder, AgeEncoder, AgeRTEncoder, ChunkAuthenticationError, UsageError, WorkerPoolError, armor,
  createWorkerPool, decryptStream, encodeBytes, encryptStream, generateIdentity, identityToRecipient,
} from "../src/index.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK } from "../src/format/chunk-size.js";
import { decodeFile, decryptFile, decryptTransform, encodeFile, encryptFile, encryptTransform } from "../src/node.js";
import type { Decoder } from "../src/index.js";
import { pooledIterate } from "../src/pool/iterate.js";
import type { Sink } from "../src/pool/ordered-runs.js";
import { seededRandom } from "./helpers/random.js";
import { streamed } from "./helpers/streams.js";

const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const pool = createWorkerPool({ threads: 2 });
afterAll(() => pool.close());

const dec = () => new AgeAutoDecoder({ identities: [identity] });

function source(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i < parts.length) c.enqueue(parts[i++]!);
      else c.close();
    },
  });
}

/** The pool once its workers have started (a cold pool lets this thread do the work). */
async function warm<T extends ReturnType<typeof createWorkerPool>>(p: T): Promise<T> {
  p._core.start();
  while (!p._core.warm) await new Promise((r) => setTimeout(r, 5));
  return p;
}

/** `bytes` cut at the given offsets (sorted, deduplicated), fresh copies as a socket hands them out. */
function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.slice(from, p));
    from = Math.max(from, p);
  }
  return out;
}

/** An encoder built twice from the same random bytes: the same file key, nonce and stanzas. */
function twinEncoders(rt: boolean, seed: string): [AgeEncoder | AgeRTEncoder, AgeEncoder | AgeRTEncoder] {
  const make = () => {
    const rand = seededRandom(seed);
    const spy = vi.spyOn(globalThis.crypto, "getRandomValues").mockImplementation(<T extends ArrayBufferView | null>(a: T): T => {
      const b = new Uint8Array(a!.buffer, a!.byteOffset, a!.byteLength);
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(rand() * 256);
      return a;
    });
    try {
      return rt ? AgeRTEncoder.fromRecipients([recipient], { maxChunkSize: 65536 }) : AgeEncoder.fromRecipients([recipient]);
    } finally {
      spy.mockRestore();
    }
  };
  return [make(), make()];
}

describe("pooled and single-threaded output are identical", () => {
  const sizes = fc.oneof(fc.integer({ min: 0, max: 3 * AGE_CHUNK }), fc.integer({ min: 0, max: 3 << 20 }));
  const cuts = fc.array(fc.nat(), { maxLength: 40 });

  it("decryption, age v1 and age-rt, random sizes and split points", async () => {
    await warm(pool); // a cold pool leaves the first MiB of each stream to this thread
    const jobsBefore = pool._core.jobsDone;
    await fc.assert(
      fc.asyncProperty(sizes, cuts, fc.boolean(), fc.array(fc.integer({ min: 0, max: 200_000 }), { maxLength: 12 }), async (size, at, rt, pieces) => {
        const plain = randomBytes(size);
        // age-rt: the plaintext written in pieces of random sizes (frames of all lengths, empty ones too).
        const enc = rt ? AgeRTEncoder.fromRecipients([recipient], { maxChunkSize: 60_000 }) : AgeEncoder.fromRecipients([recipient]);
        const file = await streamed(source(rt ? splitAt(plain, pieces) : [plain]).pipeThrough(encryptStream(enc)));
        const input = splitAt(file, at);
        const single = await streamed(source(input).pipeThrough(decryptStream(dec())));
        const pooled = await streamed(source(input).pipeThrough(decryptStream(dec(), { pool })));
        expect(Buffer.from(single).equals(plain)).toBe(true);
        expect(Buffer.from(pooled).equals(single)).toBe(true);
      }),
      { numRuns: 25, seed: 14 },
    );
    expect(pool._core.jobsDone).toBeGreaterThan(jobsBefore); // the workers did open runs
  });

  it("encryption, age v1 and age-rt: the same bytes for the same encoder state", async () => {
    await warm(pool);
    const jobsBefore = pool._core.jobsDone;
    await fc.assert(
      fc.asyncProperty(sizes, cuts, fc.boolean(), fc.string(), async (size, at, rt, seed) => {
        const plain = randomBytes(size);
        const pieces = splitAt(plain, at);
        const [a, b] = twinEncoders(rt, seed);
        const single = await streamed(source(pieces).pipeThrough(encryptStream(a)));
        const pooled = await streamed(source(pieces).pipeThrough(encryptStream(b, { pool })));
        expect(Buffer.from(pooled).equals(single)).toBe(true);
        const back = await streamed(source([pooled]).pipeThrough(decryptStream(dec())));
        expect(Buffer.from(back).equals(plain)).toBe(true);
      }),
      { numRuns: 25, seed: 14 },
    );
    expect(pool._core.jobsDone).toBeGreaterThan(jobsBefore); // the workers did seal runs
  });

  it("a cold pool: a small stream starts no worker; a large one starts them and works on this thread meanwhile", async () => {
    const p = createWorkerPool({ threads: 2 });
    for (const [size, starts] of [[300_000, false], [6 << 20, true]] as const) {
      const plain = randomBytes(size);
      const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
      const out = await streamed(source(splitAt(file, Array.from({ length: 12 }, (_, i) => i << 19))).pipeThrough(decryptStream(dec(), { pool: p })));
      expect(Buffer.from(out).equals(plain)).toBe(true);
      const enc = await streamed(source([plain]).pipeThrough(encryptStream(AgeEncoder.fromRecipients([recipient]), { pool: p })));
      expect(Buffer.from(await streamed(source([enc]).pipeThrough(decryptStream(dec())))).equals(plain)).toBe(true);
      expect(p._core.started > 0, `${size} bytes`).toBe(starts);
    }
    await p.close();
  });

  it("armored input goes through the decoder's armor path, same output", async () => {
    const plain = randomBytes(3 * AGE_CHUNK + 17);
    const text = new TextEncoder().encode(armor.encode(encodeBytes([plain], AgeEncoder.fromRecipients([recipient]))));
    const pooled = await streamed(source(splitAt(text, [1000, 70_000, 150_000])).pipeThrough(decryptStream(dec(), { pool })));
    expect(Buffer.from(pooled).equals(plain)).toBe(true);
  });
});

describe("what leaves with an output", () => {
  // Run buffers are not zeroed when made (run-buffer.ts) and are reused when the consumer hands them back
  // (the CLI): whatever an output's buffer holds past the run's own bytes must be zeros, never what the
  // buffer held before. Each output is poisoned once read, so a reused buffer carries the poison.
  const POISON = 0xa5;
  const poisonRun = (b: Uint8Array) => Buffer.from(b).includes(Buffer.alloc(32, POISON));

  async function outputs(make: (sink: Sink) => any, pieces: Uint8Array[], check: (b: Uint8Array) => void): Promise<Uint8Array> {
    const got: Uint8Array[] = [];
    for await (const b of pooledIterate(pieces, make, { recycle: true })) {
      check(b);
      got.push(b.slice());
      new Uint8Array(b.buffer).fill(POISON);
    }
    return Buffer.concat(got);
  }

  it("encryption: past the sealed run, zeros; decryption: past the plaintext, only this run's sealed bytes and zeros", async () => {
    await warm(pool);
    const plain = randomBytes(5 * (1 << 20) + 12345);
    const pieces = splitAt(plain, Array.from({ length: 40 }, (_, i) => i * 140_001));
    let checked = 0;
    const file = await outputs((sink) => pool._encrypter(AgeEncoder.fromRecipients([recipient]), sink), pieces, (b) => {
      if (b.length <= AGE_SEALED_CHUNK) return; // the header, or the final chunk sealed on this thread
      const tail = new Uint8Array(b.buffer, b.byteOffset + b.length);
      expect(tail.every((x) => x === 0), "tail of a sealed run").toBe(true);
      checked++;
    });
    const back = await outputs((sink) => pool._decrypter(dec(), sink), splitAt(file, Array.from({ length: 40 }, (_, i) => i * 150_007)), (b) => {
      if (b.length <= AGE_CHUNK) return; // a chunk the decoder opened on this thread
      expect(poisonRun(new Uint8Array(b.buffer)), "an earlier output in a decrypted run's buffer").toBe(false);
      checked++;
    });
    expect(Buffer.from(back).equals(plain)).toBe(true);
    expect(checked).toBeGreaterThan(6); // runs the workers did, each checked
  });
});

describe("the release rule with a pool", () => {
  // What a pooled decryption releases, seen through decodeFile, which yields
  // every chunk released before it throws (a WHATWG stream's error would
  // discard chunks still queued for its reader, with or without a pool).
  async function released(pieces: Uint8Array[], d: Decoder) {
    await warm(pool);
    const out: Uint8Array[] = [];
    let err: unknown = null;
    try {
      for await (const c of decodeFile(Readable.from(pieces), d, { pool })) out.push(c);
    } catch (e) {
      err = e;
    }
    return { out, err };
  }

  it("age v1: a corrupt chunk k releases exactly chunks 0..k-1, then ChunkAuthenticationError", async () => {
    const chunks = 70;
    const plain = randomBytes(chunks * AGE_CHUNK + 999);
    const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
    const payload = file.length - (chunks * AGE_SEALED_CHUNK + 999 + 16);
    for (const k of [0, 1, 15, 16, 17, 40, 69, 70]) {
      const bad = file.slice();
      bad[payload + k * AGE_SEALED_CHUNK + 100]! ^= 1;
      const { out, err } = await released(splitAt(bad, [65536, 1 << 20, 3 << 20]), new AgeDecoder({ identities: [identity] }));
      expect(err, `chunk ${k}`).toBeInstanceOf(ChunkAuthenticationError);
      expect(Buffer.concat(out).equals(plain.subarray(0, k * AGE_CHUNK)), `chunk ${k}`).toBe(true);
      expect(out.length, "released in runs, by the workers").toBeLessThan(Math.max(k, 2));
    }
  });

  it("age-rt: a corrupt frame k releases exactly frames 0..k-1", async () => {
    const rand = seededRandom("frames");
    const pieces = Array.from({ length: 60 }, () => randomBytes(Math.floor(rand() * 40_000)));
    const enc = AgeRTEncoder.fromRecipients([recipient], { maxChunkSize: 40_000 });
    const frames = [enc.getHeader(), ...pieces.map((p) => enc.encodeChunk(p)), enc.encodeChunk(new Uint8Array(0), true)];
    for (const k of [0, 7, 33, 59, 60]) {
      const bad = frames.map((f) => f.slice());
      bad[1 + k]![10]! ^= 1; // inside frame k's ciphertext (or its tag, for the empty final frame)
      const file = Buffer.concat(bad);
      const { out, err } = await released(splitAt(file, [5000, 300_000, 900_000]), dec());
      expect(err, `frame ${k}`).toBeInstanceOf(ChunkAuthenticationError);
      expect(Buffer.concat(out).equals(Buffer.concat(pieces.slice(0, k))), `frame ${k}`).toBe(true);
    }
  });

  it("trailing data after a full final age v1 chunk is an error, as without a pool", async () => {
    const plain = randomBytes(20 * AGE_CHUNK); // the last chunk is full and final
    const file = Buffer.concat([encodeBytes([plain], AgeEncoder.fromRecipients([recipient])), randomBytes(3 * AGE_SEALED_CHUNK)]);
    const err = await streamed(source([file]).pipeThrough(decryptStream(dec(), { pool }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChunkAuthenticationError);
    expect(String(err)).toMatch(/trailing data/);
  });
});

describe("failures of the pool itself", () => {
  const plain = randomBytes(40 << 20);
  const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
  const pieces = splitAt(file, Array.from({ length: 40 }, (_, i) => i << 20));

  /** Decrypts with `p`, calling `hit` at the first output; resolves with what came out and the error. */
  async function run(p: ReturnType<typeof createWorkerPool>, hit: () => void) {
    const out: Uint8Array[] = [];
    const reader = source(pieces).pipeThrough(decryptStream(dec(), { pool: p })).getReader();
    let error: unknown = null;
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        if (out.length === 0) hit();
        out.push(r.value);
      }
    } catch (e) {
      error = e;
    }
    return { out: Buffer.concat(out), error };
  }

  it("a worker killed mid-run: WorkerPoolError, no hang, only authenticated plaintext out", async () => {
    const p = await warm(createWorkerPool({ threads: 2 }));
    const { out, error } = await run(p, () => {
      p._core.killWorker(0);
      p._core.killWorker(1);
    });
    expect(error).toBeInstanceOf(WorkerPoolError);
    expect(out.length % AGE_CHUNK).toBe(0);
    expect(out.length).toBeLessThan(plain.length);
    expect(out.equals(plain.subarray(0, out.length))).toBe(true);
    // The pool replaces its workers: the next stream works.
    const again = await streamed(source(pieces).pipeThrough(decryptStream(dec(), { pool: p })));
    expect(Buffer.from(again).equals(plain)).toBe(true);
    await p.close();
  });

  it("close() while busy: the stream fails with WorkerPoolError; the pool refuses new work", async () => {
    const p = await warm(createWorkerPool({ threads: 2 }));
    let closed: Promise<void> | null = null;
    const { out, error } = await run(p, () => {
      closed = p.close();
    });
    await closed;
    expect(error).toBeInstanceOf(WorkerPoolError);
    expect(out.equals(plain.subarray(0, out.length))).toBe(true);
    expect(() => decryptStream(dec(), { pool: p })).toThrow(UsageError);
  });

  it("bad threads are a UsageError", () => {
    expect(() => createWorkerPool({ threads: 0 })).toThrow(UsageError);
    expect(() => createWorkerPool({ threads: 1.5 })).toThrow(UsageError);
  });
});

describe("lifetime", () => {
  it("an idle pool does not keep Node's event loop alive (dist/index.js)", () => {
    const script = `
      import { createWorkerPool, decryptStream, encryptStream, AgeEncoder, AgeDecoder, generateIdentity, identityToRecipient } from "./dist/index.js";
      const id = generateIdentity();
      const pool = createWorkerPool();
      const plain = new Uint8Array(8 << 20);
      const enc = new Blob([plain]).stream().pipeThrough(encryptStream(AgeEncoder.fromRecipients([identityToRecipient(id)]), { pool }));
      const out = await new Response(enc.pipeThrough(decryptStream(new AgeDecoder({ identities: [id] }), { pool }))).arrayBuffer();
      console.log(pool.threads >= 1 && out.byteLength === plain.length ? "ok" : "bad");
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("ok");
    expect(r.status).toBe(0); // exited by itself, without close()
  });
});

describe("age-rt/node's transforms and file helpers with a pool", () => {
  const plain = randomBytes(5 * AGE_CHUNK * 16 + 12345);

  it("encryptFile / decryptFile, encodeFile / decodeFile: pooled output decrypts to the input", async () => {
    const dir = mkdtempSync(join(tmpdir(), "age-rt-pool-"));
    try {
      await warm(pool);
      writeFileSync(join(dir, "in"), plain);
      for (const rt of [false, true]) {
        const enc = rt ? AgeRTEncoder.fromRecipients([recipient]) : AgeEncoder.fromRecipients([recipient]);
        await encryptFile(join(dir, "in"), join(dir, "enc"), enc, { pool });
        await decryptFile(join(dir, "enc"), join(dir, "out"), dec(), { pool });
        expect(readFileSync(join(dir, "out")).equals(plain)).toBe(true);
        const enc2 = rt ? AgeRTEncoder.fromRecipients([recipient]) : AgeEncoder.fromRecipients([recipient]);
        await encodeFile(splitAt(plain, [1, 70_000, 2 << 20]), join(dir, "enc2"), enc2, { pool });
        const back: Uint8Array[] = [];
        for await (const c of decodeFile(join(dir, "enc2"), dec(), { pool })) back.push(c);
        expect(Buffer.concat(back).equals(plain)).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("encryptTransform / decryptTransform: the same bytes as without a pool", async () => {
    await warm(pool);
    for (const rt of [false, true]) {
      const [a, b] = twinEncoders(rt, `transform-${rt}`);
      const single = Buffer.concat(await Readable.from(splitAt(plain, [100, 1 << 20])).pipe(encryptTransform(a)).toArray());
      const pooled = Buffer.concat(await Readable.from(splitAt(plain, [100, 1 << 20])).pipe(encryptTransform(b, { pool })).toArray());
      expect(pooled.equals(single)).toBe(true);
      const back = Buffer.concat(await Readable.from(splitAt(pooled, [7, 65_552, 3 << 20])).pipe(decryptTransform(dec(), { pool })).toArray());
      expect(back.equals(plain)).toBe(true);
    }
  });

  it("decryptTransform: a corrupt chunk destroys the stream with ChunkAuthenticationError", async () => {
    const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
    file[file.length - 40 * AGE_SEALED_CHUNK]! ^= 1;
    const err = await Readable.from(splitAt(file, [1 << 20])).pipe(decryptTransform(dec(), { pool })).toArray().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChunkAuthenticationError);
  });
});
