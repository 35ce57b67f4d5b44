// The error classes of a23crypt (A23CRYPT.md §7.3), named as in the Python
// original. IntegrityError and DecryptionError are decode errors of the main
// taxonomy (DecodeError); CompressionError is what a failed decompression is
// inside the decoder, which reports it as a DecryptionError (its cause), as
// the original does. InvalidKeyError and InputSizeError are RangeErrors (the
// original's are ValueErrors) and still `instanceof AgeRTError`: a class
// cannot extend both, so this module gives AgeRTError a Symbol.hasInstance
// that also accepts errors carrying the A23_ERROR mark. It is installed here,
// not in src/errors.ts, so that the main entry (and its browser bundle)
// carries none of it.
import { AgeRTError, DecodeError } from "../errors.js";

/** The mark of an error that is an AgeRTError without inheriting from it. */
const A23_ERROR: unique symbol = Symbol.for("age-rt.a23crypt.error");

// Subclasses (DecodeError, ...) inherit this static method: they keep the
// ordinary prototype check, only AgeRTError itself also accepts the mark.
Object.defineProperty(AgeRTError, Symbol.hasInstance, {
  value(this: unknown, value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value) ||
      (this === AgeRTError && (value as { [A23_ERROR]?: boolean } | null)?.[A23_ERROR] === true);
  },
});

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
  /** @internal Marks it as an AgeRTError (`instanceof AgeRTError` is true). */
  readonly [A23_ERROR] = true;
}

/** The bytes API's limits: plaintext over 1 MiB (encrypt), ciphertext over 2 MiB (decrypt). A RangeError, and an AgeRTError. */
export class InputSizeError extends RangeError {
  /** Always "InputSizeError": spelled out so that minified bundles keep it. */
  override name = "InputSizeError";
  /** @internal Marks it as an AgeRTError (`instanceof AgeRTError` is true). */
  readonly [A23_ERROR] = true;
}
