// Turns the caller's plaintext chunks into sealed chunks for an encoder.
// Shared by iterEncodeChunks, aiterEncodeChunks, encodeBytes, encryptStream.
//
// age-rt: one sealed chunk per plaintext chunk (split only above
// maxChunkSize), and an empty final chunk at the end, like the reference.
// Encoders with a fixed chunk size (ChunkEncoder._chunkSize: age v1's 64 KiB,
// crypt-io's 2^n) get their input re-chunked, and the last full chunk is held
// back until the input ends, so the final chunk is the last real one: for
// age v1 never an empty chunk after a full one (C2SP age.md "Payload");
// CryptIoEncoder writes a full final chunk as the crate does, a non-final
// chunk and an empty final one (CRYPT-IO.md §7.1). Runs of full chunks go to
// the encoder in one call. Small plaintext pieces that do not fill a chunk
// are only copied into it: no generator, no call into the core.
import { NO_CHUNKS } from "../format/bytes.js";
import { RUN_CHUNKS } from "../format/chunk-size.js";
import { checkEncoder } from "./same-build.js";

/** What the iterators and streams need of an encoder (AgeEncoder, AgeRTEncoder, CryptIoEncoder). */
export interface ChunkEncoder {
  /** Everything before the first chunk. */
  getHeader(): Uint8Array;
  /** Seals one chunk (the final one with isFinal). */
  encodeChunk(plaintext: Uint8Array, isFinal?: boolean): Uint8Array;
  /** Whether the final chunk has been sealed. */
  readonly finalized: boolean;
  /** Non-null while an asynchronous recipient wraps the file key (age encoders). */
  readonly pending?: Promise<void> | null;
  /** @internal Fixed chunk size to re-chunk into; absent: the caller's chunks are kept, split above maxChunkSize. */
  readonly _chunkSize?: number;
  /** Largest chunk when there is no _chunkSize. */
  readonly maxChunkSize?: number;
  /** @internal Seals whole non-final chunks of _chunkSize in one call. */
  _encodeFullChunks?(plaintext: Uint8Array): Uint8Array[];
  /** @internal Nothing sealed yet. */
  readonly _isFresh: boolean;
  /** @internal The whole stream for one payload (encodeBytes' fast path). */
  _encodeWhole(payload: Uint8Array): Uint8Array;
}


export class Rechunker {
  #buf: Uint8Array | null = null; // pending plaintext (≤ one chunk)
  #n = 0;

  constructor(private readonly enc: ChunkEncoder) {
    checkEncoder(enc);
  }

  header(): Uint8Array {
    return this.enc.getHeader();
  }

  /** Takes a plaintext piece; iterating the result yields the sealed chunks it completes. */
  push(chunk: Uint8Array): Iterable<Uint8Array> {
    const enc = this.enc;
    const size = enc._chunkSize;
    if (!size) return chunk.length <= enc.maxChunkSize! ? [enc.encodeChunk(chunk)] : this.split(chunk);
    const buf = (this.#buf ??= new Uint8Array(size));
    if (this.#n + chunk.length <= size) {
      // Fits in the pending chunk (a full one stays pending: it may be the final one).
      buf.set(chunk, this.#n);
      this.#n += chunk.length;
      return NO_CHUNKS;
    }
    return this.spill(chunk, size, buf);
  }

  /** No fixed chunk size (age-rt): a piece above maxChunkSize, as several chunks. */
  private *split(chunk: Uint8Array): Generator<Uint8Array> {
    const max = this.enc.maxChunkSize!;
    for (let i = 0; i < chunk.length; i += max) yield this.enc.encodeChunk(chunk.subarray(i, i + max));
  }

  /** A piece that completes the pending chunk, and maybe more. */
  private *spill(chunk: Uint8Array, size: number, buf: Uint8Array): Generator<Uint8Array> {
    const enc = this.enc;
    let i = 0;
    while (i < chunk.length) {
      if (this.#n === size) {
        // More data follows a full buffered chunk, so that chunk is not final.
        yield enc.encodeChunk(buf, false);
        this.#n = 0;
      }
      if (this.#n === 0) {
        // Full chunks straight from the input, each followed by at least one more byte.
        const k = Math.min(RUN_CHUNKS, Math.floor((chunk.length - i - 1) / size));
        if (k >= 1) {
          yield* enc._encodeFullChunks!(chunk.subarray(i, i + k * size));
          i += k * size;
          continue;
        }
      }
      const take = Math.min(size - this.#n, chunk.length - i);
      buf.set(chunk.subarray(i, i + take), this.#n);
      this.#n += take;
      i += take;
    }
  }

  *end(): Generator<Uint8Array> {
    const enc = this.enc;
    if (!enc.finalized) {
      yield enc._chunkSize
        ? enc.encodeChunk((this.#buf ?? new Uint8Array(0)).subarray(0, this.#n), true)
        : enc.encodeChunk(new Uint8Array(0), true);
    }
    this.#buf?.fill(0);
    this.#n = 0;
  }
}
