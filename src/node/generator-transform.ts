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

export function generatorTransform(
  onChunk: (bytes: Uint8Array) => Iterable<Uint8Array>,
  onEnd: () => Iterable<Uint8Array>,
): Transform {
  const run = (t: Transform, outputs: () => Iterable<Uint8Array>, callback: TransformCallback) => {
    try {
      for (const out of outputs()) t.push(out);
      callback();
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
