// Which encoders a worker pool can seal for, and how many workers a pool
// starts: small enough to live in the main browser bundle (src/pool/lazy.ts)
// while the pool itself is a file of its own.
import { UsageError } from "../errors.js";
import type { ChunkEncoder } from "../io/rechunker.js";

/** What the pool needs of an age encoder, beyond ChunkEncoder (src/encoder/encoder.ts). */
export interface PoolableEncoder extends ChunkEncoder {
  _poolKey(): Uint8Array;
  _reserveChunks(chunks: number): number;
}

/** Whether `enc` can seal through a pool (AgeEncoder, AgeRTEncoder; not crypt-io's encoder). */
export function isPoolable(enc: ChunkEncoder): enc is PoolableEncoder {
  return typeof (enc as Partial<PoolableEncoder>)._poolKey === "function";
}

/** Available parallelism, where the host tells it. */
function cores(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (typeof nav?.hardwareConcurrency === "number") return nav.hardwareConcurrency;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => any } }).process;
  const os = proc?.getBuiltinModule?.("node:os");
  return typeof os?.availableParallelism === "function" ? os.availableParallelism() : 2;
}

/** The pool's size: `threads`, checked, or available parallelism − 1 (at least 1). */
export function poolThreads(threads: number | undefined): number {
  const n = threads ?? Math.max(1, cores() - 1);
  if (!Number.isSafeInteger(n) || n < 1 || n > 256) throw new UsageError(`threads must be an integer in 1..256, got ${threads}`);
  return n;
}
