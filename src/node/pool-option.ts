// The `{ pool }` option of age-rt/node's transforms and file helpers.
import type { WorkerPool } from "../pool/worker-pool.js";

/** Options of age-rt/node's transforms and file helpers. */
export interface PoolOption {
  /** Open or seal the payload's chunks on this pool's workers (createWorkerPool); the output is byte for byte the same. */
  pool?: WorkerPool;
}
