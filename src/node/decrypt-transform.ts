// decryptTransform: a node:stream Transform over a push decoder (age-rt/node).
// Encrypted bytes in (any chunking), plaintext out, one chunk as soon as it
// authenticates. Nothing unauthenticated is ever pushed; a decode error
// (HeaderParseError, NoIdentityMatchError, ChunkAuthenticationError,
// StreamTruncatedError, ArmorError…) destroys the stream with that typed
// error, after the chunks that authenticated before it were pushed.
import { Transform, type TransformCallback } from "node:stream";
import type { Decoder } from "../decoder/decoder.js";
import { Feeder } from "../io/feeder.js";
import { toBytes } from "./bytes.js";

/**
 * Backpressure is the Transform's own: while the readable side is above its
 * highWaterMark the write callback waits, so the decoder reads no further
 * ahead than one input buffer of a slow consumer.
 */
export function decryptTransform(dec: Decoder): Transform {
  const feeder = new Feeder(dec);
  return new Transform({
    transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback) {
      // Chunks pushed before a failure in the same input buffer stay pushed:
      // they authenticated, and the error follows them.
      try {
        for (const out of feeder.push(toBytes(chunk, encoding))) this.push(out);
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        for (const out of feeder.end()) this.push(out);
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
  });
}
