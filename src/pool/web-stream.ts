// encryptStream / decryptStream with `{ pool }` (API.md "Several cores"): a
// WHATWG TransformStream over a pooled transformer. Output is enqueued as
// each run lands, in order; an error found between writes errors the stream
// at once, and nothing after it is enqueued.
import type { PooledTransformer } from "./worker-pool.js";
import type { Sink } from "./ordered-runs.js";

/** A TransformStream over the transformer `make` builds; `start` (an encoder's header) runs first. */
export function pooledTransformStream(
  make: (sink: Sink) => PooledTransformer & { start?(): Promise<void> },
): TransformStream<Uint8Array, Uint8Array> {
  let t: (PooledTransformer & { start?(): Promise<void> }) | null = null;
  const transformer: Transformer<Uint8Array, Uint8Array> & { cancel(reason: unknown): void } = {
    async start(controller) {
      t = make({
        emit: (bytes) => controller.enqueue(bytes),
        fail: (e) => controller.error(e),
      });
      await t.start?.();
    },
    transform: (chunk) => t!.push(chunk),
    flush: () => t!.end(),
    // Newer engines call it when the readable side is cancelled (the DOM typings lack it): the key is wiped then.
    cancel: (reason) => t?.cancel(reason),
  };
  return new TransformStream(transformer);
}
