// age-rt: age v1 and age-rt v0.2 encryption for JavaScript (API.md).
// The main entry imports no Node built-ins: it runs in browsers, workers and
// edge runtimes, and needs nothing of the host but crypto.getRandomValues.
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
export { encryptStream, decryptStream } from "./io/web-streams.js";

export { generateIdentity, generateHybridIdentity, identityToRecipient } from "./recipients/keys.js";
export type { Identity, Recipient } from "./recipients/types.js";
export type { Stanza } from "./format/stanza.js";
export { armor } from "./format/armor.js";
