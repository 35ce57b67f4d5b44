// createWorkerPool and the WorkerPool it returns (API.md "Several cores").
// The object is small on purpose: the streams and helpers that take
// `{ pool }` ask it for a pooled transformer (`_decrypter`, `_encrypter`),
// so the pool's code reaches a program only through createWorkerPool, and a
// bundle that never calls it carries none of it.
import type { Decoder } from "../decoder/decoder.js";
import { UsageError, WorkerPoolError } from "../errors.js";
import type { ChunkEncoder } from "../io/rechunker.js";
import { canStartThreads } from "./hosts.js";
import type { Sink } from "./ordered-runs.js";
import { PoolCore } from "./pool.js";
import { PooledDecrypter } from "./pooled-decrypt.js";
import { PooledEncrypter } from "./pooled-encrypt.js";
import { isPoolable, poolThreads } from "./poolable.js";
import { pooledStreamTransformer } from "./web-stream.js";

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** Workers to start (default: available parallelism − 1, at least 1). */
  threads?: number;
}

/** @internal What the streams and helpers drive: input pieces in, output through a Sink. */
export interface PooledTransformer {
  /** Takes the next piece; resolves when ready for more. */
  push(bytes: Uint8Array): Promise<void>;
  /** The input ended: resolves once all output is out. */
  end(): Promise<void>;
  /** The consumer gave up: stops and wipes. */
  cancel(reason?: unknown): void;
  /** Hands back an output's buffer the consumer is done with, for reuse (optional). */
  recycle?(buf: ArrayBufferLike): void;
}

/** @internal A WHATWG Transformer for decryptStream / encryptStream with `{ pool }`; `cancel` as newer engines call it. */
export type PooledStreamTransformer = Transformer<Uint8Array, Uint8Array> & { cancel(reason?: unknown): void };

/**
 * A pool of worker threads (Node's worker_threads; module Workers in
 * browsers, Deno and Bun), each with its own instance of the WebAssembly
 * core, for {@link encryptStream} and {@link decryptStream} (`{ pool }`)
 * and age-rt/node's file helpers and transforms. One pool serves any
 * number of streams at once. Workers start on first use; an idle pool does
 * not keep Node's event loop alive. In Node, the first worker makes glibc's
 * malloc keep up to ~64 MiB of freed memory for reuse, process-wide (the
 * runs are fresh 1 MiB buffers; README, "Several cores").
 */
export interface WorkerPool {
  /** How many workers the pool runs. */
  readonly threads: number;
  /**
   * Stops every worker. Streams still using the pool fail with a
   * {@link WorkerPoolError} (nothing they had not released is released);
   * the pool cannot be used afterwards.
   */
  close(): Promise<void>;
  /** @internal A pooled decryption of `dec`'s input. */
  _decrypter(dec: Decoder, sink: Sink): PooledTransformer;
  /** @internal A pooled encryption for `enc`, which emits the header once `start` resolves; null for an encoder the pool cannot serve (crypt-io). */
  _encrypter(enc: ChunkEncoder, sink: Sink): (PooledTransformer & { start(): Promise<void> }) | null;
  /** @internal What decryptStream(dec, { pool }) runs. */
  _decryptTransformer(dec: Decoder): PooledStreamTransformer;
  /** @internal What encryptStream(enc, { pool }) runs; null for an encoder the pool cannot serve. */
  _encryptTransformer(enc: ChunkEncoder): PooledStreamTransformer | null;
  /** @internal The pool itself (tests kill workers through it). */
  readonly _core: PoolCore;
}


/**
 * Creates a worker pool (API.md "Several cores"); nothing starts until a
 * stream first uses it. Throws a {@link WorkerPoolError} where the host can
 * start no workers, a {@link UsageError} for a bad `threads`.
 */
export function createWorkerPool(opts: WorkerPoolOptions = {}): WorkerPool {
  const threads = poolThreads(opts.threads);
  if (!canStartThreads()) throw new WorkerPoolError("this host cannot start workers (no Worker, no worker_threads)");
  const core = new PoolCore(threads);
  const open = () => {
    if (core.isClosed) throw new UsageError("this worker pool is closed");
  };
  const pool: WorkerPool = {
    threads,
    close: () => core.close(),
    _decrypter: (dec, sink) => {
      open();
      return new PooledDecrypter(dec, core, sink);
    },
    _encrypter: (enc, sink) => {
      open();
      return isPoolable(enc) ? new PooledEncrypter(enc, core, sink) : null;
    },
    _decryptTransformer: (dec) => {
      open();
      return pooledStreamTransformer((sink) => new PooledDecrypter(dec, core, sink));
    },
    _encryptTransformer: (enc) => {
      open();
      return isPoolable(enc) ? pooledStreamTransformer((sink) => new PooledEncrypter(enc, core, sink)) : null;
    },
    _core: core,
  };
  return pool;
}
