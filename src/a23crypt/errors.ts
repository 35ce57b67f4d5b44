// The error classes of a23crypt (A23CRYPT.md §7.3), named as in the Python
// original. IntegrityError and DecryptionError are decode errors of the main
// taxonomy (DecodeError); CompressionError is what a failed decompression is
// inside the decoder, which reports it as a DecryptionError (its cause), as
// the original does. InvalidKeyError and InputSizeError are RangeErrors (the
// original's are ValueErrors) and still `instanceof AgeRTError` through its
// Symbol.hasInstance and the AGE_RT_ERROR mark (src/errors.ts).
import { AGE_RT_ERROR, AgeRTError, DecodeError } from "../errors.js";

/** Format-level failure: truncation, a malformed or oversized header field or frame length, record_key mismatch, no final chunk. */
export class IntegrityError extends DecodeError {
  /** Always "IntegrityError": spelled out so that minified bundles keep it. */
  override name = "IntegrityError";
}

/** A tag failed (either AEAD layer) or an authentic chunk did not decompress: always the message "decryption failed". */
export class DecryptionError extends DecodeError {
  /** Always "DecryptionError": spelled out so that minified bundles keep it. */
  override name = "DecryptionError";
}

/** A zstd frame that is not valid, not complete, followed by other bytes, or inflates past its cap ("possible compression bomb"). */
export class CompressionError extends AgeRTError {
  /** Always "CompressionError": spelled out so that minified bundles keep it. */
  override name = "CompressionError";
}

/** A key that is not 32 bytes, or a record key that is empty or over 4096 bytes (a RangeError, and an AgeRTError). */
export class InvalidKeyError extends RangeError {
  /** Always "InvalidKeyError": spelled out so that minified bundles keep it. */
  override name = "InvalidKeyError";
  /** Marks it as an AgeRTError (`instanceof AgeRTError` is true). */
  readonly [AGE_RT_ERROR] = true;
}

/** The bytes API's limits: plaintext over 1 MiB (encrypt), ciphertext over 2 MiB (decrypt). A RangeError, and an AgeRTError. */
export class InputSizeError extends RangeError {
  /** Always "InputSizeError": spelled out so that minified bundles keep it. */
  override name = "InputSizeError";
  /** Marks it as an AgeRTError (`instanceof AgeRTError` is true). */
  readonly [AGE_RT_ERROR] = true;
}
