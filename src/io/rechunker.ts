// Turns the caller's plaintext chunks into sealed chunks for an encoder.
// Shared by iterEncodeChunks, aiterEncodeChunks, encodeBytes, encryptStream.
//
// age-rt: one sealed chunk per plaintext chunk (split only above
// maxChunkSize), and an empty final chunk at the end, like the reference.
// age v1: re-chunks into 64 KiB and holds back the last full chunk until the
// input ends, so the final chunk is the last real one and never an empty
// chunk after a full one (C2SP age.md "Payload"). Runs of full chunks go to
// the AEAD core in one call.
import { AgeEncoder } from "../encoder/age-encoder.js";
import type { AgeRTEncoder } from "../encoder/agert-encoder.js";
import { AGE_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";

export class Rechunker {
  private buf: Uint8Array | null = null; // age v1: pending plaintext (≤ 64 KiB)
  private n = 0;

  constructor(private readonly enc: AgeEncoder | AgeRTEncoder) {}

  header(): Uint8Array {
    return this.enc.getHeader();
  }

  *push(chunk: Uint8Array): Generator<Uint8Array> {
    const enc = this.enc;
    if (!(enc instanceof AgeEncoder)) {
      const max = enc.maxChunkSize;
      if (chunk.length <= max) return yield enc.encodeChunk(chunk);
      for (let i = 0; i < chunk.length; i += max) yield enc.encodeChunk(chunk.subarray(i, i + max));
      return;
    }
    const buf = (this.buf ??= new Uint8Array(AGE_CHUNK));
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
