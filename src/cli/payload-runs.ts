// What the CLI's parallel file decryption (parallel-decrypt.ts) and its
// worker thread (run-worker.ts) share: where the runs of an age v1 payload
// lie in the file, how a run is read, and the layout of the shared memory
// through which the worker hands its plaintext back.
import { readSync } from "node:fs";
// Imports kept to node:fs and chunk-size.js: the worker loads this module.
import { AGE_CHUNK, AGE_SEALED_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";

export { RUN_CHUNKS };

/** The runs of non-final chunks: every full chunk before the last chunk of the file. */
export interface RunPlan {
  /** File offset of chunk 0 (after the header and the 16-byte nonce). */
  readonly payloadStart: number;
  /** Chunks opened in runs (the last chunk of the file is left to AgeStreamReader). */
  readonly bulkChunks: number;
  readonly runs: number;
}

export function planRuns(payloadStart: number, fileSize: number): RunPlan {
  const sealed = fileSize - payloadStart;
  // age v1 "Payload": the last chunk is final (full or short); all before it are full.
  const chunks = Math.max(1, Math.ceil(sealed / AGE_SEALED_CHUNK));
  const bulkChunks = chunks - 1;
  return { payloadStart, bulkChunks, runs: Math.ceil(bulkChunks / RUN_CHUNKS) };
}

/** The chunks of run `run` (the last run may be shorter). */
export function runLength(plan: RunPlan, run: number): number {
  return Math.min(RUN_CHUNKS, plan.bulkChunks - run * RUN_CHUNKS);
}

/**
 * Reads run `run`'s sealed chunks into `view`. False when the file ended
 * first: it shrank since its size was taken, which the sequential path then reports.
 */
export function readRun(fd: number, plan: RunPlan, run: number, view: Uint8Array): boolean {
  return readAt(fd, view, plan.payloadStart + run * RUN_CHUNKS * AGE_SEALED_CHUNK) === view.length;
}

/**
 * Reads into `buf` from file offset `at` until it is full or the file ends;
 * returns the bytes read. Positional reads: both threads share the descriptor.
 */
export function readAt(fd: number, buf: Uint8Array, at: number): number {
  let o = 0;
  while (o < buf.length) {
    const n = readSync(fd, buf, o, buf.length - o, at + o);
    if (n === 0) break;
    o += n;
  }
  return o;
}

// The shared memory: control words, then SLOTS buffers of one run's plaintext
// each, filled by the worker in the order it claims runs and emptied by the
// main thread in file order.
export const SLOTS = 3;
/** Int32 index of the next run to claim (Atomics.add by both threads). */
export const NEXT = 0;
/** Int32 index of the stop flag: set by the main thread after a failure. */
export const STOP = 1;
/** Int32 index of slot s's state (EMPTY or FULL), then its run and its count of opened chunks (-1: read failed). */
export const slotWord = (s: number) => 4 + 4 * s;
export const EMPTY = 0;
export const FULL = 1;
const CONTROL_BYTES = 64;

const SLOT_BYTES = RUN_CHUNKS * AGE_CHUNK;

export function sharedRunMemory(): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_BYTES + SLOTS * SLOT_BYTES);
}

export function controlWords(sab: SharedArrayBuffer): Int32Array {
  return new Int32Array(sab, 0, CONTROL_BYTES / 4);
}

export function slotData(sab: SharedArrayBuffer, s: number): Uint8Array {
  return new Uint8Array(sab, CONTROL_BYTES + s * SLOT_BYTES, SLOT_BYTES);
}

/** What the worker is started with (workerData). */
export interface RunJob {
  module: WebAssembly.Module;
  fd: number;
  plan: RunPlan;
  key: Uint8Array;
  sab: SharedArrayBuffer;
}
