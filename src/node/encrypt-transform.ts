// encryptTransform: a node:stream Transform over an encoder (age-rt/node).
// Plaintext in, the encrypted file out: the header (with the payload nonce)
// is pushed at once, so a reader downstream can start on it before any
// plaintext arrives; then sealed chunks as the plaintext comes.
//
// With an AgeRTEncoder each written buffer becomes one chunk, sealed and
// pushed at once (real time). With an AgeEncoder the input is re-chunked
// into 64 KiB (the Rechunker holds back at most one chunk).
import { Transform, type TransformCallback } from "node:stream";
import type { AnyEncoder } from "../io/iterators.js";
import { Rechunker } from "../io/rechunker.js";
import { toBytes } from "./bytes.js";

/**
 * Backpressure is the Transform's own: a transform callback is held back
 * while the readable side is above its highWaterMark, so a slow consumer
 * stops the writer. A failing encoder destroys the stream with its error.
 */
export function encryptTransform(enc: AnyEncoder): Transform {
  const r = new Rechunker(enc);
  const t = new Transform({
    transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback) {
      try {
        for (const out of r.push(toBytes(chunk, encoding))) this.push(out);
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        for (const out of r.end()) this.push(out);
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
  });
  t.push(r.header());
  return t;
}
