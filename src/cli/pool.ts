// The CLI's worker pool (API.md "Several cores": the CLI uses one for file
// input in both directions, and for pipes): one worker per core, since this
// thread only reads, hands runs over and writes. Small files are done
// without one: starting a worker costs more than it saves below a few MiB.
// The workers start at once, so they come up while the header is read and
// the key unwrapped; until then the stream works on this thread.
import { availableParallelism } from "node:os";
import { createWorkerPool, type WorkerPool } from "../pool/worker-pool.js";
import type { Input } from "./input.js";

/** Below this many bytes a regular file is done on this thread alone. */
export const POOL_MIN_BYTES = 4 << 20;

let pool: WorkerPool | null = null;

/** A started pool for `input`, or null where one would not pay (a small file, typing, one core). */
export function poolFor(input: Input): WorkerPool | null {
  if (input.fromTerminal) return null;
  if (input.file !== undefined && input.file.size - input.file.start < POOL_MIN_BYTES) return null;
  const threads = availableParallelism();
  if (threads < 2) return null;
  try {
    pool ??= createWorkerPool({ threads });
    pool._core.start();
  } catch {
    return null; // no workers here: the single-threaded path
  }
  return pool;
}

/** Stops the pool's workers (before the process exits, so none is left mid-job). */
export async function closePool(): Promise<void> {
  await pool?.close();
  pool = null;
}
