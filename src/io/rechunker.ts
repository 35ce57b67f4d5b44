// Turns the caller's plaintext chunks into sealed chunks for an encoder.
// Shared by iterEncodeChunks, aiterEncodeChunks, encodeBytes, encryptStream.
//
// age-rt: one sealed chunk per plaintext chunk (split only above
// maxChunkSize), and an empty final chunk at the end, like the reference.
// age v1: re-chunks into 64 KiB and holds back the last full chunk until the
// input ends, so the final chunk is the last real one and never an empty
// chunk after a full one (C2SP age.md "Payload"). Runs of full chunks go to
// the AEAD core in one call. Small plaintext pieces that do not fill the
// 64 KiB chunk are only copied into it: no generator, no call into the core.
import { AgeEncoder } from "../encoder/age-encoder.js";
import type { AgeRTEncoder } from "../encoder/agert-encoder.js";
import { AGE_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";

/** What push() returns when a piece completes nothing. */
const NOTHING: readonly Uint8Array[] = Object.freeze([]);

export class Rechunker {
  private buf: Uint8Array | null = null; // age v1: pending plaintext (≤ 64 KiB)
  private n = 0;

  constructor(private readonly enc: AgeEncoder | AgeRTEncoder) {}

  header(): Uint8Array {
    return this.enc.getHeader();
  }

  /** Takes a plaintext piece; iterating the result yields the sealed chunks it completes. */
  push(chunk: Uint8Array): Iterable<Uint8Array> {
    const enc = this.enc;
    if (!(enc instanceof AgeEncoder)) return chunk.length <= enc.maxChunkSize ? [enc.encodeChunk(chunk)] : this.split(chunk, enc);
    const buf = (this.buf ??= new Uint8Array(AGE_CHUNK));
    if (this.n + chunk.length <= AGE_CHUNK) {
      // Fits in the pending chunk (a full one stays pending: it may be the final one).
      buf.set(chunk, this.n);
      this.n += chunk.length;
      return NOTHING;
    }
    return this.spill(chunk, enc, buf);
  }

  /** age-rt: a piece above maxChunkSize, as several chunks. */
  private *split(chunk: Uint8Array, enc: AgeRTEncoder): Generator<Uint8Array> {
    const max = enc.maxChunkSize;
    for (let i = 0; i < chunk.length; i += max) yield enc.encodeChunk(chunk.subarray(i, i + max));
  }

  /** age v1: a piece that completes the pending chunk, and maybe more. */
  private *spill(chunk: Uint8Array, enc: AgeEncoder, buf: Uint8Array): Generator<Uint8Array> {
    let i = 0;
    while (i < chunk.length) {
      if (this.n === AGE_CHUNK) {
        // More data follows a full buffered chunk, so that chunk is not final.
        yield enc.encodeChunk(buf, false);
        this.n = 0;
      }
      if (this.n === 0) {
        // Full chunks straight from the input, each followed by at least one more byte.
        const k = Math.min(RUN_CHUNKS, Math.floor((chunk.length - i - 1) / AGE_CHUNK));
        if (k >= 1) {
          yield* enc._encodeFullChunks(chunk.subarray(i, i + k * AGE_CHUNK));
          i += k * AGE_CHUNK;
          continue;
        }
      }
      const take = Math.min(AGE_CHUNK - this.n, chunk.length - i);
      buf.set(chunk.subarray(i, i + take), this.n);
      this.n += take;
      i += take;
    }
  }

  *end(): Generator<Uint8Array> {
    const enc = this.enc;
    if (!enc.finalized) {
      yield enc instanceof AgeEncoder
        ? enc.encodeChunk((this.buf ?? new Uint8Array(0)).subarray(0, this.n), true)
        : enc.encodeChunk(new Uint8Array(0), true);
    }
    this.buf?.fill(0);
    this.n = 0;
  }
}
