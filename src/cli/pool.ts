// The CLI's worker pool (API.md "Several cores": the CLI uses one for files
// and pipes, in both directions): available parallelism − 1 workers, since
// this thread takes runs too (file runs, src/pool/file-runs.ts) or reads,
// hands runs over and writes (pipes, the pooled streams). Small files are
// done without it: a worker's start-up costs more than it saves there. For a
// large file the workers are started as soon as the input is open, so they
// come up while the header is read and the key unwrapped.
import { availableParallelism } from "node:os";
import type { PoolCore } from "../pool/pool.js";
import { createWorkerPool, type WorkerPool } from "../pool/worker-pool.js";
import { keepFreedHeap } from "./gc.js";
import type { FileInput, Input } from "./input.js";

/** Below this many bytes a regular file is done on this thread alone. */
const POOL_MIN_BYTES = 24 << 20;

let pool: WorkerPool | null | undefined;

function thePool(): WorkerPool | null {
  if (pool !== undefined) return pool;
  keepFreedHeap(); // the CLI's size first: the pool's own (keep-freed-heap.ts) would raise peak RSS
  try {
    pool = availableParallelism() < 2 ? null : createWorkerPool();
  } catch {
    pool = null; // no workers here: this thread alone
  }
  return pool;
}

const large = (file: FileInput) => file.size - file.start >= POOL_MIN_BYTES;

/** Starts the workers now when `input` is a large file (they take tens of milliseconds to come up). */
export function warmPool(input: Input): void {
  if (input.file !== undefined && large(input.file)) thePool()?._core.start();
}

/** The pool's core for file runs over `file`, or null for a small file (or no pool here). */
export function filePool(file: FileInput): PoolCore | null {
  return large(file) ? (thePool()?._core ?? null) : null;
}

/** The pool for a stream (a pipe, or a file taking the streaming path); null for typed input or a small file. */
export function streamPool(input: Input): WorkerPool | null {
  if (input.fromTerminal || (input.file !== undefined && !large(input.file))) return null;
  return thePool();
}

/** Stops the pool's workers (before the process exits, so none is left mid-run). */
export async function closePool(): Promise<void> {
  await pool?.close();
  pool = undefined;
}
