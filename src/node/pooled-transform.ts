// decryptTransform / encryptTransform with `{ pool }` (age-rt/node, API.md
// "Several cores"): a node:stream Transform over a pooled transformer. Each
// written buffer is handed over at once; output is pushed as each run
// lands, in order. A failure destroys the stream with its typed error after
// the output released before it.
import { Transform, type TransformCallback } from "node:stream";
import type { Sink } from "../pool/ordered-runs.js";
import type { PooledTransformer } from "../pool/worker-pool.js";
import { toBytes } from "./bytes.js";

export function pooledTransform(make: (sink: Sink) => PooledTransformer & { start?(): Promise<void> }): Transform {
  const settle = (p: Promise<void>, callback: TransformCallback) => p.then(() => callback(), (e: unknown) => callback(e as Error));
  const tr = new Transform({
    transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback) {
      let bytes: Uint8Array;
      try {
        bytes = toBytes(chunk, encoding);
      } catch (e) {
        return callback(e as Error);
      }
      settle(started.then(() => t.push(bytes)), callback);
    },
    flush(callback: TransformCallback) {
      settle(started.then(() => t.end()), callback);
    },
    destroy(error, callback) {
      if (error !== null) t.cancel(error);
      callback(error);
    },
  });
  const t = make({ emit: (b) => void tr.push(b), fail: (e) => tr.destroy(e as Error) });
  // An encoder's header goes out at once (after an asynchronous recipient).
  const started = t.start?.() ?? Promise.resolve();
  started.catch((e: unknown) => tr.destroy(e as Error));
  return tr;
}
