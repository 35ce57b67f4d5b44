// age-rt/crypt-io: the crypt-io stream format, versions 1 and 2
// (../shared/formats/CRYPT-IO.md; API.md "crypt-io and a23crypt").
// Like the main entry it imports no Node built-ins. The encoder and decoder
// also work with the main entry's iterators and WHATWG streams
// (iterEncodeChunks, decryptStream, ...).
import { decodeBytes, encodeBytes } from "../io/iterators.js";
import { concat } from "../format/bytes.js";
import { CryptIoDecoder, type CryptIoDecoderOptions } from "./decoder.js";
import { CryptIoEncoder, type CryptIoEncoderOptions } from "./encoder.js";

/**
 * The crypt-io stream format, versions 1 and 2: encoder, push decoder and
 * one-shot helpers; they work with the main entry's iterators and streams.
 * @module age-rt/crypt-io
 */
export { CryptIoEncoder, type CryptIoEncoderOptions } from "./encoder.js";
export { CryptIoDecoder, type CryptIoDecoderOptions } from "./decoder.js";
export type { CryptIoAlgorithm, CryptIoVersion, CryptIoHeader } from "./header.js";
export { AgeRTError, DecodeError, HeaderParseError, ChunkAuthenticationError, StreamTruncatedError, UsageError } from "../errors.js";
export { ready } from "../crypto/ready.js";
export { init } from "../wasm/loader.js";

/** Encrypts `data` into one crypt-io stream (default: version 2, ChaCha20-Poly1305, 64 KiB chunks). */
export function cryptIoEncrypt(data: Uint8Array, key: Uint8Array, opts?: Omit<CryptIoEncoderOptions, "_fixedRandom">): Uint8Array {
  return encodeBytes([data], CryptIoEncoder.create(key, opts));
}

/** Decrypts a whole crypt-io stream (either version); throws a DecodeError and returns nothing unless all of it authenticates. */
export function cryptIoDecrypt(data: Uint8Array, key: Uint8Array, opts?: CryptIoDecoderOptions): Uint8Array {
  return concat(...decodeBytes(data, new CryptIoDecoder(key, opts)));
}
