// AgeRTEncoder: age-rt v0.2 streams. Each chunk is framed as a 4-byte
// big-endian length (ciphertext + tag) and the sealed chunk; any size from 0
// to maxChunkSize, and only the chunk marked final ends the stream.
import { UsageError, assertBytes } from "../errors.js";
import { DEFAULT_MAX_CHUNK, MAX_CHUNK_CAP } from "../format/version.js";
import { parseRecipients } from "../recipients/keys.js";
import { ScryptRecipient } from "../recipients/scrypt.js";
import type { Recipient } from "../recipients/types.js";
import { Encoder, type PassphraseOptions } from "./encoder.js";

export interface AgeRTEncoderOptions {
  /** Largest plaintext chunk (default 65536, at most 16 MiB); other values go in the version line. */
  maxChunkSize?: number;
}

export class AgeRTEncoder extends Encoder {
  /** Largest plaintext chunk this stream may carry. */
  readonly maxChunkSize: number;

  private constructor(recipients: readonly Recipient[], maxChunkSize: number) {
    super({ format: "age-rt", maxChunk: maxChunkSize }, recipients);
    this.maxChunkSize = maxChunkSize;
  }

  /** Encrypts to a passphrase (scrypt, work factor 18 unless given). */
  static fromPassphrase(passphrase: string, opts: AgeRTEncoderOptions & PassphraseOptions = {}): AgeRTEncoder {
    return new AgeRTEncoder([new ScryptRecipient(passphrase, opts)], checkMaxChunk(opts.maxChunkSize));
  }

  /**
   * Encrypts to recipient strings (`age1…`, `age1pq1…`, `age1tag1…`,
   * `age1tagpq1…`) or Recipient objects. Post-quantum and classic
   * recipients cannot be mixed (UsageError). With an asynchronous
   * recipient, await `pending` before getHeader().
   */
  static fromRecipients(recipients: (string | Recipient)[], opts: AgeRTEncoderOptions = {}): AgeRTEncoder {
    return new AgeRTEncoder(parseRecipients(recipients), checkMaxChunk(opts.maxChunkSize));
  }

  /** Returns the length-prefixed frame; the stream ends only with isFinal = true. */
  encodeChunk(plaintext: Uint8Array, isFinal = false): Uint8Array {
    this.checkOpen();
    assertBytes("encodeChunk() plaintext", plaintext);
    if (plaintext.length > this.maxChunkSize) {
      throw new UsageError(`chunk of ${plaintext.length} bytes exceeds this stream's maxChunkSize of ${this.maxChunkSize}`);
    }
    const frame = this.seal(plaintext, isFinal, 4); // sealed straight into the frame, after its length
    new DataView(frame.buffer, frame.byteOffset).setUint32(0, frame.length - 4);
    return frame;
  }

  /**
   * @internal encodeBytes' path for one whole payload with a fresh encoder:
   * the frames iterEncodeChunks would give for it (maxChunkSize pieces, the
   * last one shorter or, for an empty payload, empty; then the empty final
   * chunk), sealed into one array allocated at its final size.
   */
  _encodeWhole(payload: Uint8Array): Uint8Array {
    if (!this._isFresh) throw new UsageError("_encodeWhole() needs a fresh encoder");
    const header = this.getHeader();
    const max = this.maxChunkSize;
    const full = Math.floor(payload.length / max);
    const tail = payload.subarray(full * max);
    const hasTail = tail.length > 0 || payload.length === 0;
    const out = new Uint8Array(header.length + full * (max + 20) + (hasTail ? tail.length + 20 : 0) + 20);
    out.set(header);
    let o = this.sealFramesInto(payload.subarray(0, full * max), max, out, header.length, 4);
    const view = new DataView(out.buffer);
    for (let k = 0; k < full; k++) view.setUint32(header.length + k * (max + 20), max + 16);
    if (hasTail) {
      out.set(this.encodeChunk(tail), o);
      o += tail.length + 20;
    }
    out.set(this.encodeChunk(new Uint8Array(0), true), o);
    return out;
  }
}

function checkMaxChunk(n: number | undefined): number {
  const value = n ?? DEFAULT_MAX_CHUNK;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_CHUNK_CAP) {
    throw new UsageError(`maxChunkSize must be an integer in 1..${MAX_CHUNK_CAP}, got ${n}`);
  }
  return value;
}
