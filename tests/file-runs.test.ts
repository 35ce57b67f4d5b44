// File runs (src/pool/file-runs.ts): this thread and a pool's workers opening
// and sealing the full chunks of an age v1 payload read straight from a file.
// The oracle is the pure-JS backend (jsAead): the same bytes for any number of
// runs and workers (none, one, two), with either engine (the WebAssembly core,
// the CLI's node:crypto one); a corrupt chunk k writes exactly chunks
// 0..k-1 and returns k; a worker killed mid-run gives a WorkerPoolError (or,
// if it had no run in hand, a complete result), never a hang, and only whole
// authenticated runs are written before it.
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jsAead } from "../src/crypto/aead-js.js";
import { WorkerPoolError } from "../src/errors.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK, RUN_CHUNKS } from "../src/format/chunk-size.js";
import { OpenSslRuns } from "../src/cli/openssl-runs.js";
import { doFileRuns, type FileRuns, type RunCipher } from "../src/pool/file-runs.js";
import { createWorkerPool } from "../src/pool/worker-pool.js";
import type { PoolCore } from "../src/pool/pool.js";
import { seededRandom } from "./helpers/random.js";

const dir = mkdtempSync(join(tmpdir(), "age-rt-file-runs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pools = [createWorkerPool({ threads: 1 }), createWorkerPool({ threads: 2 })];
afterAll(() => Promise.all(pools.map((p) => p.close())));

const cat = (parts: Uint8Array[]) => Buffer.concat(parts);

/** Writes `bytes` after `skip` bytes of filler to a file; returns its descriptor. */
function fileOf(name: string, bytes: Uint8Array, skip: number): number {
  const path = join(dir, name);
  writeFileSync(path, cat([randomBytes(skip), bytes]));
  return openSync(path, "r");
}

function reader(fd: number): FileRuns["readAt"] {
  return (buf, at) => {
    let o = 0;
    for (let n = 1; o < buf.length && n > 0; o += n) n = readSync(fd, buf, o, buf.length - o, at + o);
    return o;
  };
}

async function run(pool: PoolCore | null, job: Omit<FileRuns, "readAt">): Promise<{ out: Buffer; done: number | null; error: unknown }> {
  const parts: Uint8Array[] = [];
  try {
    const done = await doFileRuns(pool, { ...job, readAt: reader(job.fd) }, (b) => parts.push(b.slice()));
    return { out: cat(parts), done, error: null };
  } catch (error) {
    return { out: cat(parts), done: null, error };
  }
}

const threads: [string, () => PoolCore | null][] = [
  ["this thread alone", () => null],
  ["with a pool of 1", () => pools[0]!._core],
  ["with a pool of 2", () => pools[1]!._core],
];
/** Who opens and seals: the default WebAssembly core, or the CLI's node:crypto engine (here and in the workers). */
const ciphers: [string, () => RunCipher | undefined][] = [
  ["WebAssembly", () => undefined],
  ["OpenSSL", () => new OpenSslRuns()],
];
const engines = ciphers.flatMap(([c, runs]) => threads.map(([t, pool]) => [`${c}, ${t}`, pool, runs] as const));

describe("file runs: the same bytes as the single-threaded backend", () => {
  const rand = seededRandom("file-runs");
  for (const [name, pool, runs] of engines) {
    it(`seals and opens ${name}, any number of chunks and file offsets`, async () => {
      for (const chunks of [1, RUN_CHUNKS, RUN_CHUNKS + 1, 5 * RUN_CHUNKS + 7, 40 * RUN_CHUNKS]) {
        const key = randomBytes(32);
        const counter = Math.floor(rand() * 1000);
        const skip = Math.floor(rand() * 5000);
        const plain = randomBytes(chunks * AGE_CHUNK);
        const sealed = cat(jsAead.sealChunks(key, counter, plain, AGE_CHUNK));

        const p = fileOf(`${name}-${chunks}.plain`, plain, skip);
        const s = await run(pool(), { op: "seal", fd: p, at: skip, chunks, counter, key, runs: runs() });
        closeSync(p);
        expect(s.error).toBe(null);
        expect(s.done).toBe(chunks);
        expect(Buffer.compare(s.out, sealed), `seal, ${chunks} chunks`).toBe(0);

        const f = fileOf(`${name}-${chunks}.sealed`, sealed, skip);
        const o = await run(pool(), { op: "open", fd: f, at: skip, chunks, counter, key, runs: runs() });
        closeSync(f);
        expect(o.error).toBe(null);
        expect(o.done).toBe(chunks);
        expect(Buffer.compare(o.out, plain), `open, ${chunks} chunks`).toBe(0);
      }
    }, 60_000);

    it(`${name}: a corrupt chunk k writes exactly chunks 0..k-1 and returns k`, async () => {
      const chunks = 12 * RUN_CHUNKS + 3;
      const key = randomBytes(32);
      const plain = randomBytes(chunks * AGE_CHUNK);
      const sealed = cat(jsAead.sealChunks(key, 0, plain, AGE_CHUNK));
      for (const k of [0, 1, RUN_CHUNKS - 1, RUN_CHUNKS, 5 * RUN_CHUNKS + 9, chunks - 1, Math.floor(rand() * chunks)]) {
        const bad = Buffer.from(sealed);
        bad[k * AGE_SEALED_CHUNK + Math.floor(rand() * AGE_SEALED_CHUNK)]! ^= 1 << Math.floor(rand() * 8);
        const f = fileOf(`${name}-bad-${k}`, bad, 0);
        const o = await run(pool(), { op: "open", fd: f, at: 0, chunks, counter: 0, key, runs: runs() });
        closeSync(f);
        expect(o.error).toBe(null);
        expect(o.done, `corrupt chunk ${k}`).toBe(k);
        expect(Buffer.compare(o.out, plain.subarray(0, k * AGE_CHUNK)), `corrupt chunk ${k}`).toBe(0);
      }
    }, 60_000);

    it(`${name}: a file shorter than planned stops at the first run it cuts`, async () => {
      const chunks = 6 * RUN_CHUNKS;
      const key = randomBytes(32);
      const plain = randomBytes(chunks * AGE_CHUNK);
      const sealed = cat(jsAead.sealChunks(key, 0, plain, AGE_CHUNK));
      const f = fileOf(`${name}-short`, sealed.subarray(0, 3 * RUN_CHUNKS * AGE_SEALED_CHUNK + 100), 0);
      const o = await run(pool(), { op: "open", fd: f, at: 0, chunks, counter: 0, key, runs: runs() });
      closeSync(f);
      expect(o.done).toBe(3 * RUN_CHUNKS);
      expect(Buffer.compare(o.out, plain.subarray(0, 3 * RUN_CHUNKS * AGE_CHUNK))).toBe(0);
    }, 60_000);
  }
});

describe.each(ciphers)("file runs (%s): a worker that dies", (_, runs) => {
  it("gives a WorkerPoolError (or a complete result), no hang, and only whole authenticated runs before it", async () => {
    const chunks = 64 * RUN_CHUNKS;
    const key = randomBytes(32);
    const plain = randomBytes(chunks * AGE_CHUNK);
    const sealed = cat(jsAead.sealChunks(key, 0, plain, AGE_CHUNK));
    const f = fileOf("killed", sealed, 0);
    let errors = 0;
    for (let round = 0; round < 3; round++) {
      const pool = createWorkerPool({ threads: 1 });
      pool._core.start();
      await new Promise((r) => setTimeout(r, 300)); // the worker is up
      const parts: Uint8Array[] = [];
      let error: unknown = null;
      try {
        await doFileRuns(pool._core, { op: "open", fd: f, at: 0, chunks, counter: 0, key, readAt: reader(f), runs: runs() }, (b) => {
          parts.push(b.slice());
          if (parts.length === 2) pool._core.killWorker(0);
        });
      } catch (e) {
        error = e;
      }
      await pool.close();
      const out = cat(parts);
      if (error !== null) {
        errors++;
        expect(error).toBeInstanceOf(WorkerPoolError);
        expect(out.length % (RUN_CHUNKS * AGE_CHUNK)).toBe(0);
      } else {
        expect(out.length).toBe(plain.length);
      }
      expect(Buffer.compare(out, plain.subarray(0, out.length))).toBe(0);
    }
    closeSync(f);
    expect(errors).toBeGreaterThan(0); // the worker had a run in hand at least once
  }, 60_000);
});
