// createWorkerPool as the ESM browser bundle has it (scripts/bundle-browser.mjs
// substitutes this module for index.ts's import of worker-pool.js). The pool
// itself is age-rt-pool.js, fetched through the lazy registry when a stream
// first uses the pool (or imported statically, src/lazy/registry.ts), so a
// page that never hands a pool to a stream never downloads it.
//
// The shell carries only what the WHATWG streams call: the browser bundle has
// no age-rt/node, the only caller of the pool's other internals.
import { UsageError } from "../errors.js";
import { loadLazy } from "../lazy/registry.js";
import { isPoolable, poolThreads } from "./poolable.js";
import type { PooledStreamTransformer, WorkerPool, WorkerPoolOptions } from "./worker-pool.js";

/** See worker-pool.ts: the same contract, with the pool's code loaded on first use. */
export function createWorkerPool(opts: WorkerPoolOptions = {}): WorkerPool {
  const threads = poolThreads(opts.threads);
  let real: Promise<WorkerPool> | undefined;
  let closed = false;
  // A stream holds its writes until its transformer's start() settles (WHATWG
  // Streams, SetUpTransformStreamDefaultController), so only start() waits for the file.
  const later = (make: (pool: WorkerPool) => PooledStreamTransformer): PooledStreamTransformer => {
    if (closed) throw new UsageError("this worker pool is closed");
    const pool = (real ??= loadLazy("pool").then((m) => m.createWorkerPool({ threads })));
    pool.catch(() => real === pool && (real = undefined)); // the next stream tries to fetch the file again
    let t: PooledStreamTransformer | undefined;
    return {
      start: async (c) => {
        t = make(await pool);
        await t.start!(c);
      },
      transform: (chunk, c) => t!.transform!(chunk, c),
      flush: (c) => t!.flush!(c),
      cancel: (reason) => t?.cancel(reason),
    };
  };
  return {
    threads,
    async close() {
      closed = true;
      await real?.then((p) => p.close(), () => {});
    },
    _decryptTransformer: (dec) => later((p) => p._decryptTransformer(dec)),
    _encryptTransformer: (enc) => (isPoolable(enc) ? later((p) => p._encryptTransformer(enc)!) : null),
  } as WorkerPool;
}
