// `age-rt -d FILE` (or `< FILE`) for a large age v1 file: its payload opened by two threads,
// straight from the file into WebAssembly memory and from there to the
// output, with no copies, allocation or garbage per chunk.
//
// The file's size gives every chunk's position, and every chunk before the
// last is non-final by position (age v1 "Payload"), so those can be opened
// in any order: this thread and one worker (run-worker.ts) claim runs of 16
// from a shared counter. This thread writes the plaintext in file order, a
// run only once all its chunks authenticated. The last chunk, and everything
// from the first chunk that fails, go through the push decoders'
// AgeStreamReader one chunk at a time, so the errors — and the plaintext
// released before them — are the decoders' own.
//
// Anything else (armor, age-rt, a small file, a header that does not parse
// within the first read) is left to the usual path, which reports it.
import { Worker } from "node:worker_threads";
import { payloadKey } from "../crypto/kdf.js";
import type { ResolvedOptions } from "../decoder/options.js";
import { unlockFileKey } from "../decoder/unlock.js";
import { ChunkAuthenticationError, StreamTruncatedError } from "../errors.js";
import { HeaderReader } from "../format/header.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK } from "../format/chunk-size.js";
import { AgeStreamReader } from "../stream/age-reader.js";
import { ChunkRuns } from "../wasm/chunk-runs.js";
import { coreModule } from "../wasm/loader.js";
import {
  EMPTY, FULL, NEXT, RUN_CHUNKS, SLOTS, STOP, controlWords, planRuns, readAt, readRun, runLength, sharedRunMemory, slotData,
  slotWord, type RunJob, type RunPlan,
} from "./payload-runs.js";

/** Where the header is looked for; a larger one (rare) takes the usual path. */
const HEAD_READ = 64 * 1024;
const NONCE = 16;
/** Below this many runs the usual path is as fast. */
const MIN_RUNS = 4;
/** Below this many runs (MiB) a worker's start-up (~40 ms) costs more than it saves. */
const WORKER_MIN_RUNS = 48;

export interface FileInput {
  fd: number;
  size: number;
  /** Offset of the first byte of the input (standard input may stand past 0). */
  start: number;
}

/** Writes all of `bytes` before returning; the view is reused afterwards. */
export type SyncWrite = (bytes: Uint8Array) => void;

/**
 * Decrypts the age v1 file `input` to `write` and returns true, or returns
 * false without writing anything when this path does not serve the file.
 * Throws the decoders' typed errors, after writing what authenticated.
 */
export async function decryptFileInRuns(input: FileInput, write: SyncWrite, opts: ResolvedOptions): Promise<boolean> {
  const module = coreModule();
  if (module === null) return false;
  const head = new Uint8Array(Math.max(0, Math.min(HEAD_READ, input.size - input.start)));
  if (readAt(input.fd, head, input.start) !== head.length) return false;
  const reader = new HeaderReader(opts.limits);
  let headerLength: number;
  try {
    headerLength = reader.push(head);
  } catch {
    return false; // malformed: the usual path says how
  }
  const header = reader.header;
  // The nonce must lie within what was read too.
  if (header === null || header.version.format !== "age" || headerLength + NONCE > head.length) return false;
  const plan = planRuns(input.start + headerLength + NONCE, input.size);
  if (plan.runs < MIN_RUNS) return false;

  const fileKey = await unlockFileKey(header, opts.identities); // identities may be asynchronous
  const key = payloadKey(fileKey, head.subarray(headerLength, headerLength + NONCE));
  fileKey.fill(0);
  try {
    const released = openRuns(module, input.fd, plan, key, write);
    finishSequentially(input, plan, key, released, write);
  } finally {
    key.fill(0);
  }
  return true;
}

/**
 * Opens the runs with a worker when there are enough; returns how many
 * chunks were written: all of the bulk, or those before the first failure.
 */
function openRuns(module: WebAssembly.Module, fd: number, plan: RunPlan, key: Uint8Array, write: SyncWrite): number {
  const sab = sharedRunMemory();
  const ctl = controlWords(sab);
  const runs = new ChunkRuns(new WebAssembly.Instance(module, {}), AGE_CHUNK, RUN_CHUNKS);
  let worker: Worker | null = null;
  if (plan.runs >= WORKER_MIN_RUNS) {
    try {
      const job: RunJob = { module, fd, plan, key, sab };
      worker = new Worker(new URL("../cli/run-worker.js", import.meta.url), { workerData: job });
      worker.unref();
      worker.on("error", () => {}); // a worker that fails to start claims nothing; this thread does it all
    } catch {
      worker = null;
    }
  }
  try {
    return pump(fd, plan, key, runs, sab, write);
  } finally {
    // Release a worker waiting for a slot, and let it go.
    Atomics.store(ctl, STOP, 1);
    for (let s = 0; s < SLOTS; s++) {
      Atomics.store(ctl, slotWord(s), EMPTY);
      Atomics.notify(ctl, slotWord(s));
    }
    void worker?.terminate();
    runs.wipe();
    for (let s = 0; s < SLOTS; s++) slotData(sab, s).fill(0);
  }
}

/**
 * Claims a run, opens it, then writes every earlier run (the worker's, from
 * the slots, in order) and then its own; returns the chunks written.
 */
function pump(fd: number, plan: RunPlan, key: Uint8Array, runs: ChunkRuns, sab: SharedArrayBuffer, write: SyncWrite): number {
  const ctl = controlWords(sab);
  let written = 0; // runs written so far
  for (let taken = 0; ; ) {
    const mine = Atomics.add(ctl, NEXT, 1);
    const ownLength = mine < plan.runs ? runLength(plan, mine) : 0;
    const own = mine < plan.runs && readRun(fd, plan, mine, runs.sealedView(ownLength))
      ? runs.open(key, mine * RUN_CHUNKS, ownLength)
      : -1;
    for (const until = Math.min(mine, plan.runs); written < until; written++, taken++) {
      const s = taken % SLOTS;
      const state = slotWord(s);
      while (Atomics.load(ctl, state) !== FULL) Atomics.wait(ctl, state, EMPTY);
      const opened = ctl[state + 2]!;
      if (ctl[state + 1] !== written) throw new Error(`internal error: slot holds run ${ctl[state + 1]}, expected ${written}`);
      if (opened > 0) write(slotData(sab, s).subarray(0, opened * AGE_CHUNK));
      Atomics.store(ctl, state, EMPTY);
      Atomics.notify(ctl, state);
      if (opened < runLength(plan, written)) return written * RUN_CHUNKS + Math.max(opened, 0);
    }
    if (mine >= plan.runs) return plan.bulkChunks;
    if (own > 0) write(runs.plaintextView(own));
    if (own < ownLength) return mine * RUN_CHUNKS + Math.max(own, 0);
    written++;
  }
}

/**
 * From chunk `from` to the end of the file, one chunk at a time through
 * AgeStreamReader (the last chunk; after a failure, the failing chunk and
 * the rest), with the push decoders' rules and errors.
 */
function finishSequentially(input: FileInput, plan: RunPlan, key: Uint8Array, from: number, write: SyncWrite): void {
  const reader = new AgeStreamReader(key, from);
  const chunk = new Uint8Array(AGE_SEALED_CHUNK);
  let at = plan.payloadStart + from * AGE_SEALED_CHUNK;
  for (;;) {
    const n = readAt(input.fd, chunk, at);
    if (n === 0) break;
    // What is left of the file: at least the n bytes just read, if it grew since its size was taken.
    if (reader.done) throw new ChunkAuthenticationError(`${Math.max(n, input.size - at)} bytes of trailing data after the final chunk`);
    const plaintext = reader.read(chunk.subarray(0, n));
    if (plaintext.length > 0) write(plaintext);
    plaintext.fill(0);
    at += n;
  }
  if (!reader.done) throw new StreamTruncatedError("input ended before the final chunk");
}
