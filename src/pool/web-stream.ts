// encryptStream / decryptStream with `{ pool }` (API.md "Several cores"): the
// WHATWG Transformer over a pooled transformer. Output is enqueued as each
// run lands, in order; an error found between writes errors the stream at
// once, and nothing after it is enqueued.
import type { PooledTransformer, PooledStreamTransformer } from "./worker-pool.js";
import type { Sink } from "./ordered-runs.js";

/** A Transformer over the pooled transformer `make` builds; `start` (an encoder's header) runs first. */
export function pooledStreamTransformer(make: (sink: Sink) => PooledTransformer & { start?(): Promise<void> }): PooledStreamTransformer {
  let t: (PooledTransformer & { start?(): Promise<void> }) | null = null;
  return {
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
}
