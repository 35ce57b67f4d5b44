// age-rt: age v1 and age-rt v0.2 encryption for JavaScript (API.md).
// The main entry imports no Node built-ins: it runs in browsers, workers and
// edge runtimes, and needs nothing of the host but crypto.getRandomValues.
/**
 * age v1 and age-rt v0.2 encryption: encoders, push decoders, iterators,
 * WHATWG streams, keys and armor. Runs in browsers, workers, edge runtimes,
 * Deno, Bun and Node, and in engines without WebAssembly (pure-JS path).
 * @module age-rt
 */
export * from "./errors.js";
export { init } from "./wasm/loader.js";
export { ready } from "./crypto/ready.js";

export { AgeEncoder } from "./encoder/age-encoder.js";
export { AgeRTEncoder, type AgeRTEncoderOptions } from "./encoder/agert-encoder.js";
export { Encoder, type PassphraseOptions } from "./encoder/encoder.js";

export { Decoder } from "./decoder/decoder.js";
export { AgeDecoder } from "./decoder/age-decoder.js";
export { AgeRTDecoder } from "./decoder/agert-decoder.js";
export { AgeAutoDecoder } from "./decoder/auto-decoder.js";
export type { DecoderOptions } from "./decoder/options.js";

export {
  iterEncodeChunks, aiterEncodeChunks, encodeBytes,
  iterDecodeCallable, aiterDecodeCallable, iterDecodeChunks, aiterDecodeChunks, decodeBytes,
  type AnyEncoder,
} from "./io/iterators.js";
export type { ChunkEncoder } from "./io/rechunker.js";
export { encryptStream, decryptStream, type StreamOptions } from "./io/web-streams.js";
export { encryptReadable, decryptReadable } from "./io/readable.js";
export { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from "./pool/worker-pool.js";

export { openRandomAccess } from "./random-access/open.js";
export type { AgeRandomAccess } from "./random-access/age-random-access.js";
export type { RandomAccessSource } from "./random-access/source.js";
export { rangeSource, type RangeSourceInit } from "./random-access/range-source.js";

export { generateIdentity, generateHybridIdentity, identityToRecipient } from "./recipients/keys.js";
export type { Identity, Recipient } from "./recipients/types.js";
export type { Stanza } from "./format/stanza.js";
export { armor } from "./format/armor.js";
