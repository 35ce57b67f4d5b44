// Turns the caller's plaintext chunks into sealed chunks for an encoder.
// Shared by iterEncodeChunks, aiterEncodeChunks, encodeBytes, encryptStream.
//
// Encoders say how they want input cut (ChunkEncoder._chunking), so any
// encoder with this shape works here without a case of its own:
// - age-rt (no _chunking): one sealed chunk per plaintext chunk (split only
//   above maxChunkSize), and an empty final chunk at the end, like the reference.
// - age v1 (64 KiB, holdLast): re-chunks and holds back the last full chunk
//   until the input ends, so the final chunk is the last real one and never
//   an empty chunk after a full one (C2SP age.md "Payload").
// - crypt-io (2^n bytes, not holdLast): a full chunk is sealed non-final at
//   once, and the end always adds a final chunk, empty after an exact
//   multiple (CRYPT-IO.md §7.1).
// Runs of full chunks go to the encoder in one call.
import { RUN_CHUNKS } from "../format/chunk-size.js";

/** What the iterators and streams need of an encoder (AgeEncoder, AgeRTEncoder, CryptIoEncoder). */
export interface ChunkEncoder {
  /** Everything before the first chunk. */
  getHeader(): Uint8Array;
  encodeChunk(plaintext: Uint8Array, isFinal?: boolean): Uint8Array;
  readonly finalized: boolean;
  /**
   * @internal Fixed-size chunks of `size` bytes; with `holdLast` a full chunk
   * is sealed only once more input shows it is not the last. Absent: the
   * caller's chunks are kept, split above maxChunkSize.
   */
  readonly _chunking?: { readonly size: number; readonly holdLast: boolean };
  /** Largest chunk when there is no _chunking. */
  readonly maxChunkSize?: number;
  /** @internal Seals whole non-final chunks of _chunking.size in one call. */
  _encodeFullChunks?(plaintext: Uint8Array): Uint8Array[];
  /** @internal Nothing sealed yet. */
  readonly _isFresh: boolean;
  /** @internal The whole stream for one payload (encodeBytes' fast path). */
  _encodeWhole(payload: Uint8Array): Uint8Array;
}

export class Rechunker {
  private buf: Uint8Array | null = null; // fixed-size chunking: pending plaintext (≤ one chunk)
  private n = 0;

  constructor(private readonly enc: ChunkEncoder) {}

  header(): Uint8Array {
    return this.enc.getHeader();
  }

  *push(chunk: Uint8Array): Generator<Uint8Array> {
    const enc = this.enc;
    const rule = enc._chunking;
    if (rule === undefined) {
      const max = enc.maxChunkSize!;
      if (chunk.length <= max) return yield enc.encodeChunk(chunk);
      for (let i = 0; i < chunk.length; i += max) yield enc.encodeChunk(chunk.subarray(i, i + max));
      return;
    }
    const size = rule.size;
    const buf = (this.buf ??= new Uint8Array(size));
    let i = 0;
    while (i < chunk.length) {
      if (this.n === size) {
        // holdLast: more data follows a full buffered chunk, so that chunk is not final.
        yield enc.encodeChunk(buf, false);
        this.n = 0;
      }
      if (this.n === 0) {
        // Full chunks straight from the input (with holdLast, each followed by at least one more byte).
        const k = Math.min(RUN_CHUNKS, Math.floor((chunk.length - i - (rule.holdLast ? 1 : 0)) / size));
        if (k >= 1) {
          yield* enc._encodeFullChunks!(chunk.subarray(i, i + k * size));
          i += k * size;
          continue;
        }
      }
      const take = Math.min(size - this.n, chunk.length - i);
      buf.set(chunk.subarray(i, i + take), this.n);
      this.n += take;
      i += take;
      if (this.n === size && !rule.holdLast) {
        yield enc.encodeChunk(buf, false);
        this.n = 0;
      }
    }
  }

  *end(): Generator<Uint8Array> {
    const enc = this.enc;
    if (!enc.finalized) {
      yield enc._chunking !== undefined
        ? enc.encodeChunk((this.buf ?? new Uint8Array(0)).subarray(0, this.n), true)
        : enc.encodeChunk(new Uint8Array(0), true);
    }
    this.buf?.fill(0);
    this.n = 0;
  }
}
