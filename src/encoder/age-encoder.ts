// AgeEncoder: age v1 files (C2SP age.md "Payload"). Chunks are 64 KiB; the
// final one may be short, and is empty only when the whole payload is.
import { UsageError, assertBytes } from "../errors.js";
import { AGE_CHUNK } from "../format/chunk-size.js";
import { parseRecipients } from "../recipients/keys.js";
import { ScryptRecipient } from "../recipients/scrypt.js";
import type { Recipient } from "../recipients/types.js";
import { Encoder, type PassphraseOptions } from "./encoder.js";

/**
 * Writes age v1 files (C2SP age.md): to X25519 recipients or a passphrase.
 * Feed it through {@link encodeBytes}, {@link iterEncodeChunks},
 * {@link encryptStream}, or chunk by chunk with {@link AgeEncoder.encodeChunk}.
 */
export class AgeEncoder extends Encoder {
  /** @internal The iterators re-chunk into 64 KiB (src/io/rechunker.ts). */
  readonly _chunkSize = AGE_CHUNK;

  private constructor(recipients: readonly Recipient[]) {
    super({ format: "age" }, recipients);
  }

  /** Encrypts to a passphrase (scrypt, work factor 18 unless given). */
  static fromPassphrase(passphrase: string, opts: PassphraseOptions = {}): AgeEncoder {
    return new AgeEncoder([new ScryptRecipient(passphrase, opts)]);
  }

  /**
   * Encrypts to recipient strings (`age1…`, `age1pq1…`, `age1tag1…`,
   * `age1tagpq1…`) or Recipient objects. Post-quantum and classic
   * recipients cannot be mixed (UsageError). With an asynchronous
   * recipient, await `pending` before getHeader().
   */
  static fromRecipients(recipients: (string | Recipient)[]): AgeEncoder {
    return new AgeEncoder(parseRecipients(recipients));
  }

  /**
   * Returns the chunk's ciphertext and tag. Non-final chunks must be exactly
   * 65536 bytes; with `isFinal` omitted a shorter chunk is the final one.
   */
  encodeChunk(plaintext: Uint8Array, isFinal?: boolean): Uint8Array {
    this.checkOpen();
    assertBytes("encodeChunk() plaintext", plaintext);
    const final = isFinal ?? plaintext.length < AGE_CHUNK;
    if (plaintext.length > AGE_CHUNK) throw new UsageError(`age v1 chunks are at most ${AGE_CHUNK} bytes, got ${plaintext.length}`);
    if (!final && plaintext.length !== AGE_CHUNK) {
      throw new UsageError(`a non-final age v1 chunk must be exactly ${AGE_CHUNK} bytes, got ${plaintext.length}`);
    }
    if (final && plaintext.length === 0 && this.chunkCount > 0) {
      throw new UsageError("an empty final chunk may only end an empty payload: pass the last full chunk with isFinal = true");
    }
    return this.seal(plaintext, final);
  }

  /** @internal Seals n × 64 KiB of non-final chunks in one call (the iterators use it). */
  _encodeFullChunks(plaintext: Uint8Array): Uint8Array[] {
    if (plaintext.length % AGE_CHUNK !== 0) throw new UsageError(`expected a multiple of ${AGE_CHUNK} bytes, got ${plaintext.length}`);
    return this.sealRun(plaintext, AGE_CHUNK);
  }

  /**
   * @internal encodeBytes' path for one whole payload with a fresh encoder:
   * the file (header, every chunk, the final one last) sealed into one array
   * allocated at its final size, with no array per chunk and no concatenation.
   */
  _encodeWhole(payload: Uint8Array): Uint8Array {
    if (!this._isFresh) throw new UsageError("_encodeWhole() needs a fresh encoder");
    const header = this.getHeader();
    // age v1 "Payload": every chunk but the last is full; the last is final (empty only if the payload is).
    const fullChunks = Math.max(1, Math.ceil(payload.length / AGE_CHUNK)) - 1;
    const out = new Uint8Array(header.length + payload.length + 16 * (fullChunks + 1));
    out.set(header);
    const o = this.sealFramesInto(payload.subarray(0, fullChunks * AGE_CHUNK), AGE_CHUNK, out, header.length);
    out.set(this.seal(payload.subarray(fullChunks * AGE_CHUNK), true), o);
    return out;
  }
}
