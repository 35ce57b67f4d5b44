// age-rt/a23crypt: the a23crypt v1 record format (../shared/formats/A23CRYPT.md;
// API.md "crypt-io and a23crypt"), byte-compatible with the Python original.
// Like the main entry it imports no Node built-ins. The encoder and decoder
// also work with the main entry's iterators and streams, and with the file
// helpers of age-rt/node (encryptFile, decryptFile, ...).
import { ready as coreReady } from "../crypto/ready.js";
import { UsageError, assertBytes } from "../errors.js";
import { concat } from "../format/bytes.js";
import { decodeBytes, encodeBytes } from "../io/iterators.js";
import { decryptStream as decryptWith, encryptStream as encryptWith } from "../io/web-streams.js";
import { A23Decoder } from "./decoder.js";
import { A23Encoder } from "./encoder.js";
import { InputSizeError } from "./errors.js";
import type { A23Keys } from "./header.js";
import { loadZstd } from "./zstd.js";

/**
 * The a23crypt v1 record format: two keys, AES-256-GCM inside
 * ChaCha20-Poly1305 per chunk with the SHAKE-256 noise layer between them,
 * optional per-chunk zstd; bytes API, WHATWG streams, push decoder.
 * @module age-rt/a23crypt
 */
export { A23Decoder, type A23DecoderOptions } from "./decoder.js";
export { A23Encoder, type A23EncoderOptions } from "./encoder.js";
export type { A23Keys } from "./header.js";
export { IntegrityError, DecryptionError, CompressionError, InvalidKeyError, InputSizeError } from "./errors.js";
export { AgeRTError, DecodeError, UsageError } from "../errors.js";
export { init } from "../wasm/loader.js";

/** The bytes API's plaintext limit (the original's): 1 MiB. */
export const MAX_PLAINTEXT = 1024 * 1024;
/** The bytes API's ciphertext limit (the original's): 2 MiB. */
export const MAX_CIPHERTEXT = 2 * 1024 * 1024;

/**
 * Resolves when the WebAssembly core is compiled and zstd is loaded: after
 * it, encrypt() and decrypt() work synchronously for compressed records too
 * (without WebAssembly only decryption: zstd then inflates in pure JS).
 * The streams and asynchronous iterators need no ready(): they load zstd
 * themselves, and only for a compressed record.
 */
export async function ready(): Promise<void> {
  try {
    await coreReady();
  } finally {
    // Also when the host refused to compile the core (ready() then rejects): zstd falls back to pure JS.
    await loadZstd();
  }
}

/** Encrypts up to 1 MiB into one record (InputSizeError above); compressLevel 1..22 compresses every chunk with zstd. */
export function encrypt(data: Uint8Array, keys: A23Keys & { compressLevel?: number }): Uint8Array {
  assertBytes("data", data);
  if (data.length > MAX_PLAINTEXT) throw new InputSizeError(`plaintext exceeds ${MAX_PLAINTEXT} bytes`);
  const enc = new A23Encoder(keys, { compressLevel: keys?.compressLevel });
  if (enc.pending !== null) throw new UsageError("a23crypt: compressLevel needs zstd, which is loaded on demand; await ready() from age-rt/a23crypt first, or use encryptStream");
  return encodeBytes([data], enc);
}

/** Decrypts one record of up to 2 MiB (InputSizeError above): all of its plaintext, or an error and nothing. */
export function decrypt(data: Uint8Array, keys: A23Keys): Uint8Array {
  assertBytes("data", data);
  if (data.length > MAX_CIPHERTEXT) throw new InputSizeError(`ciphertext exceeds ${MAX_CIPHERTEXT} bytes`);
  return concat(...decodeBytes(data, new A23Decoder(keys, { _sync: true })));
}

/** Plaintext in, one record out, without a size limit; with compressLevel, zstd is loaded when the stream starts. */
export function encryptStream(keys: A23Keys & { compressLevel?: number }): TransformStream<Uint8Array, Uint8Array> {
  return encryptWith(new A23Encoder(keys, { compressLevel: keys?.compressLevel }));
}

/**
 * A record in (blobs of any size), plaintext out, without a size limit. Each
 * chunk is released once both layers authenticated it and the next frame
 * was read (so on an error, earlier chunks may have been released: commit
 * the output only when the stream closes without error).
 */
export function decryptStream(keys: A23Keys): TransformStream<Uint8Array, Uint8Array> {
  return decryptWith(new A23Decoder(keys));
}
