// A node:stream Transform driven by two generators: one run on each input
// buffer, one at the end. The encrypt and decrypt transforms differ only in
// which generators they run (a Rechunker's or a Feeder's).
//
// Backpressure is the Transform's own: a transform callback is held back
// while the readable side is above its highWaterMark, so a slow consumer
// stops the writer. Outputs pushed before an error in the same input buffer
// stay pushed, and the error then destroys the stream.
import { Transform, type TransformCallback } from "node:stream";
import { toBytes } from "./bytes.js";

/** Steps around the generators, asynchronous only when they return a Promise (asynchronous recipients and identities). */
export interface TransformHooks {
  /** Before each generator runs (the encoder's header, once its recipients answered). */
  before?: (push: (out: Uint8Array) => void) => Promise<void> | void;
  /** After each generator ran (a decoder waiting for an identity). */
  after?: (push: (out: Uint8Array) => void) => Promise<void> | void;
}

export function generatorTransform(
  onChunk: (bytes: Uint8Array) => Iterable<Uint8Array>,
  onEnd: () => Iterable<Uint8Array>,
  hooks: TransformHooks = {},
): Transform {
  const run = (t: Transform, outputs: () => Iterable<Uint8Array>, callback: TransformCallback) => {
    const push = (out: Uint8Array) => void t.push(out);
    const body = () => {
      for (const out of outputs()) t.push(out);
      return hooks.after?.(push);
    };
    try {
      const before = hooks.before?.(push);
      const done = before ? before.then(body) : body();
      if (done) done.then(() => callback(), (e: unknown) => callback(e as Error));
      else callback();
    } catch (e) {
      callback(e as Error);
    }
  };
  return new Transform({
    transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback) {
      run(this, () => onChunk(toBytes(chunk, encoding)), callback);
    },
    flush(callback: TransformCallback) {
      run(this, onEnd, callback);
    },
  });
}
