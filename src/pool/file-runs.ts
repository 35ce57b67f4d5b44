// File runs (Node): a worker pool and the caller's own thread opening or
// sealing the full, non-final chunks of an age v1 payload that lies in a
// regular file (C2SP age.md "Payload": every chunk but the last is full and
// non-final, so a file's size fixes where each one is and which are final).
//
// Runs of RUN_CHUNKS chunks are claimed from a shared counter by this
// thread and by every worker of the pool (file-runs-worker.ts, a Node host
// extension of the pool's workers). Each reads its runs with positional
// reads and opens or seals them with the engine the caller chose
// (RunCipher): by default straight in its own WebAssembly instance's memory,
// where no buffer travels and no garbage is made per run; in the CLI with
// node:crypto (src/cli/openssl-runs.ts). A worker copies its result into one
// of its slots of a SharedArrayBuffer, after noting in a ring which slot
// holds which run; this thread writes every run in file order, its own
// straight out of its engine's window, a run only once all of it
// authenticated. So the release rule is the library's: a failure at chunk k
// writes exactly chunks before k.
//
// Node only (the workers read the file with node:fs); this module imports
// no Node built-in itself, the caller hands it its reads.
//
// This thread waits for a worker's run with Atomics.waitAsync, so a worker
// that dies is heard of (its claim rejects with a WorkerPoolError) instead
// of hanging the wait.
import { UsageError } from "../errors.js";
import { AGE_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";
import { ChunkRuns } from "../wasm/chunk-runs.js";
import { newInstance } from "../wasm/loader.js";
import { fileRunsWorker } from "./file-runs-worker.js";
import { exposeGc, gcPacer } from "./gc-pacer.js";
import { addNodeWorkerExtension } from "./hosts.js";
import { opensslChunks } from "./openssl-chunks.js";
import type { PoolCore } from "./pool.js";

// The workers' side: Node workers started from now on take "claim" messages.
addNodeWorkerExtension("claim", fileRunsWorker, opensslChunks, exposeGc, gcPacer);

const TAG = 16;

/** Slots per worker: one being filled, two waiting to be written out. */
const SLOTS = 3;
// Control words (Int32): the next run to claim, the stop flag, then the run
// ring, then three words per slot (state, run, chunks done: -1 when it could
// not be read or opened).
const NEXT = 0;
const STOP = 1;
const RING_WORDS = 4;
const EMPTY = 0;
const FULL = 1;

/** Writes all of `bytes` before returning; the view is reused afterwards. */
export type SyncWrite = (bytes: Uint8Array) => void;

/**
 * What opens and seals this thread's runs in place: the WebAssembly core's
 * ChunkRuns, or the CLI's OpenSslRuns. The pool's workers use the same engine.
 */
export interface RunCipher {
  readonly engine: "wasm" | "openssl";
  /** Where `n` sealed chunks go (frames of chunk size + 16 bytes). */
  sealedView(n: number): Uint8Array;
  /** Where `n` plaintext chunks go. */
  plaintextView(n: number): Uint8Array;
  /** Opens the `n` chunks in sealedView(n) into plaintextView(); returns how many authenticated, stopping at the first that did not. */
  open(key: Uint8Array, counter: number, n: number): number;
  /** Seals the `n` chunks in plaintextView(n) into sealedView(n). */
  seal(key: Uint8Array, counter: number, n: number): void;
  /** Zeroes both windows. */
  wipe(): void;
}

export interface FileRuns {
  op: "open" | "seal";
  fd: number;
  /** File offset of chunk `counter`'s input (sealed for "open", plaintext for "seal"). */
  at: number;
  /** Full, non-final chunks to do, from STREAM counter `counter` on. */
  chunks: number;
  counter: number;
  key: Uint8Array;
  /** This thread's positional reads: fills `buf` from file offset `at` unless the file ends first; returns the bytes read. */
  readAt(buf: Uint8Array, at: number): number;
  /** This thread's engine for runs of up to RUN_CHUNKS chunks of AGE_CHUNK bytes (default: the WebAssembly core's ChunkRuns). */
  runs?: RunCipher;
}

/**
 * The chunks of a payload of `bytes` (sealed: stride AGE_SEALED_CHUNK;
 * plaintext: AGE_CHUNK) that lie before its last chunk: all full and non-final
 * (age v1 "Payload"; an empty payload is one empty final chunk).
 */
export function chunksBeforeLast(bytes: number, stride: number): number {
  return Math.max(1, Math.ceil(bytes / stride)) - 1;
}

function wasmRuns(): RunCipher {
  const instance = newInstance();
  if (instance === null) throw new UsageError("file runs need the WebAssembly core");
  return new ChunkRuns(instance, AGE_CHUNK, RUN_CHUNKS);
}

/**
 * Does `job` on this thread and the pool's workers (none: this thread alone)
 * and writes the results in order. Returns how many chunks were written: all
 * of them, or those before the first that could not be read or did not
 * authenticate (the caller goes on from there one chunk at a time, and says
 * why). Throws a WorkerPoolError if a worker dies, after writing what came
 * before the run it was doing.
 */
export async function doFileRuns(pool: PoolCore | null, job: FileRuns, write: SyncWrite): Promise<number> {
  if (job.chunks <= 0) return 0;
  const runs = Math.ceil(job.chunks / RUN_CHUNKS);
  const workers = pool === null ? 0 : pool.threads;
  // At most workers × SLOTS + 1 runs are claimed and not yet written: the ring is larger.
  const ring = 2 * (workers * SLOTS + 2);
  const slotWords = RING_WORDS + ring;
  const controlWords = slotWords + 3 * workers * SLOTS;
  const slotData = Math.ceil((controlWords * 4) / 64) * 64;
  const slotBytes = RUN_CHUNKS * (AGE_CHUNK + TAG);
  const sab = new SharedArrayBuffer(slotData + workers * SLOTS * slotBytes);
  const ctl = new Int32Array(sab, 0, controlWords);
  const own = job.runs ?? wasmRuns();
  const opening = job.op === "open";
  const inStride = opening ? AGE_CHUNK + TAG : AGE_CHUNK;
  const outStride = opening ? AGE_CHUNK : AGE_CHUNK + TAG;
  const runLength = (run: number) => Math.min(RUN_CHUNKS, job.chunks - run * RUN_CHUNKS);

  let stream = -1;
  let claims: Promise<number>[] = [];
  let died: unknown = null;
  if (pool !== null && runs > 1) {
    stream = pool.openStream(job.key);
    claims = pool.claimEach(stream, (k) => ({
      op: job.op, engine: own.engine, fd: job.fd, at: job.at, chunks: job.chunks, counter: job.counter, runs, runChunks: RUN_CHUNKS, size: AGE_CHUNK,
      sab, controlWords, nextWord: NEXT, stopWord: STOP, ringWords: RING_WORDS, ring, slotWords, slots: SLOTS,
      firstSlot: k * SLOTS, slotData, slotBytes,
    }));
  }
  // The workers still claiming: a wait for one of their runs ends when they stop too.
  const live = new Set(claims);
  for (const c of claims) {
    c.then(
      () => live.delete(c),
      (e: unknown) => {
        live.delete(c);
        died ??= e;
      },
    );
  }

  /** Waits, while some worker may still change it, until `word` is no longer `value`. */
  const until = async (word: number, value: number): Promise<void> => {
    while (Atomics.load(ctl, word) === value) {
      if (died !== null) throw died;
      if (live.size === 0) throw new Error(`internal error: file run word ${word} left at ${value} by the workers`);
      const w = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } })
        .waitAsync(ctl, word, value);
      if (w.async) await Promise.race([w.value, ...live]).catch(() => {});
    }
  };

  try {
    let written = 0; // runs written so far
    for (;;) {
      const mine = Atomics.add(ctl, NEXT, 1);
      const ownLength = mine < runs ? runLength(mine) : 0;
      let ownDone = -1;
      if (ownLength > 0) {
        const into = opening ? own.sealedView(ownLength) : own.plaintextView(ownLength);
        if (job.readAt(into, job.at + mine * RUN_CHUNKS * inStride) === into.length) {
          const counter = job.counter + mine * RUN_CHUNKS;
          if (opening) ownDone = own.open(job.key, counter, ownLength);
          else {
            own.seal(job.key, counter, ownLength);
            ownDone = ownLength;
          }
        }
      }
      // The workers' runs before mine, in order.
      for (const last = Math.min(mine, runs); written < last; written++) {
        const at = RING_WORDS + (written % ring);
        await until(at, 0);
        const slot = ctl[at]! - 1;
        const state = slotWords + 3 * slot;
        await until(state, EMPTY);
        if (ctl[state + 1] !== written) throw new Error(`internal error: slot ${slot} holds run ${ctl[state + 1]}, expected ${written}`);
        const done = ctl[state + 2]!;
        if (done > 0) write(new Uint8Array(sab, slotData + slot * slotBytes, done * outStride));
        Atomics.store(ctl, at, 0);
        Atomics.store(ctl, state, EMPTY);
        Atomics.notify(ctl, state);
        if (done < runLength(written)) return written * RUN_CHUNKS + Math.max(done, 0);
      }
      if (mine >= runs) return job.chunks;
      if (ownDone > 0) write(opening ? own.plaintextView(ownDone) : own.sealedView(ownDone));
      if (ownDone < ownLength) return mine * RUN_CHUNKS + Math.max(ownDone, 0);
      written++;
    }
  } finally {
    // Stop the workers (one waiting for a slot is let go) and wait for them
    // to finish the run in hand, so nothing lands after the wipe below.
    Atomics.store(ctl, STOP, 1);
    for (let w = slotWords; w < controlWords; w += 3) {
      Atomics.store(ctl, w, EMPTY);
      Atomics.notify(ctl, w);
    }
    for (let w = RING_WORDS; w < slotWords; w++) Atomics.notify(ctl, w);
    await Promise.allSettled(claims);
    if (stream >= 0) pool!.closeStream(stream);
    own.wipe();
    new Uint8Array(sab).fill(0);
  }
}
