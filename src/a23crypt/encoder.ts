// A23Encoder: writes a23crypt v1 records byte for byte as the original does
// for the same keys and salt (A23CRYPT.md §6): the header, then one
// length-prefixed frame per chunk of at most 65536 bytes, the last one
// final; an exact multiple of 65536 gets no empty frame after it, an empty
// input exactly one empty final frame. It is a ChunkEncoder
// (src/io/rechunker.ts), so the main entry's iterators and WHATWG streams
// re-chunk any input for it and hold the last full chunk back until they
// know whether it is the final one.
import { randomBytes } from "../crypto/kdf.js";
import { UsageError, assertBytes } from "../errors.js";
import { type A23BackendName, ChunkCipher, backend } from "./chunk-cipher.js";
import { CHUNK_SIZE, MAX_LEVEL, SALT_SIZE, type A23Keys, checkKeys, encodeHeader } from "./header.js";
import { RecordKeys } from "./key-schedule.js";
import { loadZstd, zstdLoaded } from "./zstd.js";

/** Options of {@link A23Encoder}. */
export interface A23EncoderOptions {
  /** zstd level 1..22 for every chunk, or 0 (default) for none; written into the header's flags. */
  compressLevel?: number;
  /** @internal A fixed salt instead of 16 fresh random bytes: only to reproduce known-answer records. */
  _salt?: Uint8Array;
  /** @internal "js" forces the pure-JS primitives (the benchmark compares the two paths). */
  _backend?: A23BackendName;
}

/** Checks a compression level as the original does (0..=22); a UsageError otherwise. */
export function checkLevel(level: unknown): number {
  if (!Number.isInteger(level) || (level as number) < 0 || (level as number) > MAX_LEVEL) {
    throw new UsageError(`compressLevel must be an integer in 0..${MAX_LEVEL}, got ${String(level)}`);
  }
  return level as number;
}

/**
 * Writes one a23crypt record: {@link A23Encoder.getHeader}, then
 * {@link A23Encoder.encodeChunk} per chunk of up to 65536 bytes. With a
 * compression level, zstd is loaded on demand: `pending` is a Promise until
 * it is (the asynchronous iterators and streams await it).
 */
export class A23Encoder {
  /** Plaintext bytes the encoder reads per chunk: 65536. */
  readonly chunkSize = CHUNK_SIZE;
  /** @internal The iterators re-chunk into this size (src/io/rechunker.ts). */
  readonly _chunkSize = CHUNK_SIZE;
  /** The zstd level (0: none). */
  readonly compressLevel: number;
  private readonly header: Uint8Array;
  private readonly cipher: ChunkCipher;
  private index = 0;
  private isFinalized = false;
  private loading: Promise<void> | null = null;

  constructor(keys: A23Keys, opts: A23EncoderOptions = {}) {
    const k = checkKeys(keys);
    this.compressLevel = checkLevel(opts.compressLevel ?? 0);
    const salt = opts._salt ?? randomBytes(SALT_SIZE);
    if (salt.length !== SALT_SIZE) throw new UsageError(`_salt must be ${SALT_SIZE} bytes`);
    this.header = encodeHeader(this.compressLevel, k.recordKey, salt);
    this.cipher = new ChunkCipher(new RecordKeys(k.serverKey, k.clientKey, k.recordKey, salt), this.compressLevel, CHUNK_SIZE, backend(opts._backend));
    k.serverKey.fill(0);
    k.clientKey.fill(0);
    if (this.compressLevel > 0 && (typeof WebAssembly !== "object" || WebAssembly === null)) {
      throw new UsageError("a23crypt: zstd compression needs WebAssembly, which this engine lacks (use compressLevel 0; compressed records still decode)");
    }
    if (this.compressLevel > 0 && !zstdLoaded()) {
      const loading = loadZstd().then(() => {
        this.loading = null;
      });
      loading.catch(() => {}); // reported to whoever awaits `pending`, or by encodeChunk()
      this.loading = loading;
    }
  }

  /** Non-null while zstd is still loading (compressed records only): await it before encoding synchronously. */
  get pending(): Promise<void> | null {
    return this.loading;
  }

  /** The record header: version, flags, chunk_size, rk_len, record_key, salt. */
  getHeader(): Uint8Array {
    return this.header.slice();
  }

  /** True once the final chunk has been encoded. */
  get finalized(): boolean {
    return this.isFinalized;
  }

  /**
   * Encodes one chunk into its frame (u32 length || body). A chunk holds at
   * most 65536 bytes; a non-final one at least 1 (the original reads the
   * source in reads of up to 65536 bytes, and a short read in the middle
   * gives a short chunk). With `isFinal` omitted, a chunk shorter than 65536
   * bytes is the final one.
   */
  encodeChunk(plaintext: Uint8Array, isFinal?: boolean): Uint8Array {
    if (this.isFinalized) throw new UsageError("encodeChunk() after the final chunk: this encoder is finalized");
    assertBytes("encodeChunk() plaintext", plaintext);
    const final = isFinal ?? plaintext.length < CHUNK_SIZE;
    if (plaintext.length > CHUNK_SIZE || (!final && plaintext.length === 0)) {
      throw new UsageError(`an a23crypt chunk holds ${final ? "0" : "1"}..${CHUNK_SIZE} bytes, got ${plaintext.length}`);
    }
    const body = this.cipher.seal(this.index, final, plaintext);
    const frame = new Uint8Array(4 + body.length);
    new DataView(frame.buffer).setUint32(0, body.length);
    frame.set(body, 4);
    if (final) {
      this.isFinalized = true;
      this.cipher.wipe();
    } else {
      this.index++;
    }
    return frame;
  }

  /** @internal Encodes whole non-final chunks (the iterators' runs). */
  _encodeFullChunks(plaintext: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < plaintext.length; i += CHUNK_SIZE) out.push(this.encodeChunk(plaintext.subarray(i, i + CHUNK_SIZE), false));
    return out;
  }

  /** @internal Nothing encoded yet. */
  get _isFresh(): boolean {
    return this.index === 0 && !this.isFinalized;
  }

  /** @internal The whole record for one payload (encodeBytes' fast path). */
  _encodeWhole(payload: Uint8Array): Uint8Array {
    if (!this._isFresh) throw new UsageError("_encodeWhole() needs a fresh encoder");
    assertBytes("payload", payload);
    const frames: Uint8Array[] = [];
    const last = Math.max(0, Math.ceil(payload.length / CHUNK_SIZE) - 1);
    for (let i = 0; i < last; i++) frames.push(this.encodeChunk(payload.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), false));
    frames.push(this.encodeChunk(payload.subarray(last * CHUNK_SIZE), true));
    let size = this.header.length;
    for (const f of frames) size += f.length;
    const out = new Uint8Array(size);
    out.set(this.header);
    let o = this.header.length;
    for (const f of frames) {
      out.set(f, o);
      o += f.length;
    }
    return out;
  }
}
