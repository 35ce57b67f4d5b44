// createWorkerPool as the ESM browser bundle has it (scripts/bundle-browser.mjs
// substitutes this module for index.ts's import of worker-pool.js): the pool
// itself is in age-rt-pool.js, fetched when a stream first uses the pool, so
// a page that never hands a pool to a stream never downloads it. That file
// takes what it shares with age-rt.js from age-rt.js (main-exports.ts).
//
// The object returned is a WorkerPool whose transformers wait for the file
// before their first step; a failure to load it fails the stream.
import { UsageError } from "../errors.js";
import type { Decoder } from "../decoder/decoder.js";
import type { ChunkEncoder } from "../io/rechunker.js";
import type { Sink } from "./ordered-runs.js";
import { isPoolable, poolThreads } from "./poolable.js";
import { pooledTransformStream } from "./web-stream.js";
import type * as Impl from "./worker-pool.js";
import type { PooledTransformer, WorkerPool, WorkerPoolOptions } from "./worker-pool.js";

let loaded: typeof Impl | null = null;

/** @internal Called by age-rt-pool.js as it loads (a Service Worker imports it statically: no import() there). */
export function _providePool(m: typeof Impl): void {
  loaded = m;
}

type Started = PooledTransformer & { start?(): Promise<void> };

/** A transformer that waits for the real one (the pool file loading) before each step. */
function deferred(real: Promise<Started>): PooledTransformer & { start(): Promise<void> } {
  real.catch(() => {}); // reported by start(), push() or end()
  return {
    start: async () => (await real).start?.(),
    push: async (bytes) => (await real).push(bytes),
    end: async () => (await real).end(),
    cancel: (reason) => void real.then((t) => t.cancel(reason), () => {}),
    recycle: () => {}, // the browser streams never recycle
  };
}

/** See worker-pool.ts: the same contract, with the pool's code loaded on first use. */
export function createWorkerPool(opts: WorkerPoolOptions = {}): WorkerPool {
  const threads = poolThreads(opts.threads);
  let real: WorkerPool | null = null;
  let closed = false;
  const open = () => {
    if (closed) throw new UsageError("this worker pool is closed");
  };
  const get = async (): Promise<WorkerPool> => {
    const m = (loaded ??= await import("./worker-pool.js"));
    open();
    return (real ??= m.createWorkerPool({ threads }));
  };
  const pool: WorkerPool = {
    threads,
    async close() {
      closed = true;
      await real?.close();
    },
    _decrypter: (dec: Decoder, sink: Sink) => {
      open();
      return deferred(get().then((p) => p._decrypter(dec, sink)));
    },
    _encrypter: (enc: ChunkEncoder, sink: Sink) => {
      open();
      return isPoolable(enc) ? deferred(get().then((p) => p._encrypter(enc, sink)!)) : null;
    },
    _decryptStream: (dec) => {
      open();
      return pooledTransformStream((sink) => pool._decrypter(dec, sink));
    },
    _encryptStream: (enc) => {
      open();
      return isPoolable(enc) ? pooledTransformStream((sink) => pool._encrypter(enc, sink)!) : null;
    },
    get _core() {
      if (real === null) throw new UsageError("the pool has not started yet");
      return real._core;
    },
  };
  return pool;
}
