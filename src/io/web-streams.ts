// WHATWG TransformStreams over the encoders and push decoders, for browsers,
// workers, edge runtimes and Node's web streams. Memory stays constant:
// nothing is held beyond one chunk.
import type { Decoder } from "../decoder/decoder.js";
import { Feeder } from "./feeder.js";
import type { AnyEncoder } from "./iterators.js";
import { Rechunker } from "./rechunker.js";

/**
 * Plaintext in, encrypted bytes out. With an AgeRTEncoder each written
 * Uint8Array becomes one chunk, sealed and passed on at once (real time).
 */
export function encryptStream(enc: AnyEncoder): TransformStream<Uint8Array, Uint8Array> {
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
export function decryptStream(dec: Decoder): TransformStream<Uint8Array, Uint8Array> {
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
