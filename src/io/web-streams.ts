// WHATWG TransformStreams over the encoders and push decoders, for browsers,
// workers, edge runtimes and Node's web streams. Memory stays constant:
// nothing is held beyond one chunk.
import type { Decoder } from "../decoder/decoder.js";
import { Feeder } from "./feeder.js";
import type { AnyEncoder } from "./iterators.js";
import { Rechunker } from "./rechunker.js";
import type { WorkerPool } from "../pool/worker-pool.js";

/** Options of {@link encryptStream} and {@link decryptStream}. */
export interface StreamOptions {
  /**
   * Seal or open the payload's chunks on this pool's workers
   * ({@link createWorkerPool}); the output is byte for byte the same.
   */
  pool?: WorkerPool;
}

/**
 * Plaintext in, encrypted bytes out. With an AgeRTEncoder each written
 * Uint8Array becomes one chunk, sealed and passed on at once (real time).
 */
export function encryptStream(enc: AnyEncoder, opts: StreamOptions = {}): TransformStream<Uint8Array, Uint8Array> {
  const pooled = opts.pool?._encryptTransformer(enc); // null: crypt-io's encoder, sealed here
  if (pooled) return new TransformStream(pooled);
  const r = new Rechunker(enc);
  return new TransformStream({
    async start(controller) {
      await enc.pending; // an asynchronous recipient
      controller.enqueue(r.header());
    },
    transform(chunk, controller) {
      for (const out of r.push(chunk)) controller.enqueue(out);
    },
    flush(controller) {
      for (const out of r.end()) controller.enqueue(out);
    },
  });
}

/**
 * Encrypted bytes in (any blob sizes), plaintext chunks out as each one
 * authenticates. Errors the stream with a typed DecodeError on bad input or
 * truncation; nothing unauthenticated is ever enqueued.
 */
export function decryptStream(dec: Decoder, opts: StreamOptions = {}): TransformStream<Uint8Array, Uint8Array> {
  if (opts.pool !== undefined) return new TransformStream(opts.pool._decryptTransformer(dec));
  const feeder = new Feeder(dec);
  return new TransformStream({
    transform(blob, controller) {
      for (const out of feeder.push(blob)) controller.enqueue(out);
      // An asynchronous identity: only then is the transform asynchronous.
      if (feeder.waiting !== null) return feeder.settle((out) => controller.enqueue(out));
    },
    flush(controller) {
      for (const out of feeder.end()) controller.enqueue(out);
    },
  });
}
