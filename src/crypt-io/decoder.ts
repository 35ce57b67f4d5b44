// CryptIoDecoder: the push decoder for crypt-io streams, versions 1 and 2
// (CRYPT-IO.md §7.2), on the Decoder contract of src/decoder/decoder.ts
// (bytesWanted / feed / isDone, sticky errors), so the main entry's
// iterators and WHATWG streams drive it like the age decoders.
//
// Feeds: the 24-byte header, in v2 the 32-byte salt, then one chunk frame
// (chunk size + 16) per feed; a shorter feed is the final chunk. A full
// frame is non-final when more bytes follow it: it is opened as non-final
// first, and only if that fails as final (a final chunk of exactly a frame,
// which the crate reads though never writes); any bytes after a final chunk
// are an error. Nothing is returned before its tag verifies.
import { Decoder } from "../decoder/decoder.js";
import { ChunkAuthenticationError, HeaderParseError, StreamTruncatedError, UsageError, assertBytes } from "../errors.js";
import { ChunkCipher, MAX_CHUNKS } from "./chunk-cipher.js";
import { type CryptIoHeader, HEADER_SIZE, MAX_LOG2, MIN_LOG2, SALT_SIZE, TAG_SIZE, parseHeader } from "./header.js";

/** Options of {@link CryptIoDecoder}: the limits enforced before any buffer is allocated. */
export interface CryptIoDecoderOptions {
  /**
   * Largest chunk_size_log2 accepted (10..24, default 24 = 16 MiB chunks):
   * a header above it is refused before any chunk buffer exists.
   */
  maxChunkSizeLog2?: number;
}

export class CryptIoDecoder extends Decoder {
  private readonly key: Uint8Array;
  private readonly maxLog2: number;
  private header: CryptIoHeader | null = null;
  private cipher: ChunkCipher | null = null;
  private frame = 0;
  private counter = 0;
  private offset = 0; // stream bytes consumed
  private finished = false;

  constructor(key: Uint8Array, opts: CryptIoDecoderOptions = {}) {
    super();
    assertBytes("key", key);
    if (key.length !== 32) throw new UsageError(`crypt-io keys are 32 bytes, got ${key.length}`);
    const max = opts.maxChunkSizeLog2 ?? MAX_LOG2;
    if (!Number.isInteger(max) || max < MIN_LOG2 || max > MAX_LOG2) {
      throw new UsageError(`maxChunkSizeLog2 must be an integer in ${MIN_LOG2}..${MAX_LOG2}, got ${max}`);
    }
    this.key = Uint8Array.from(key); // a copy (Buffer.prototype.slice would share the caller's memory)
    this.maxLog2 = max;
  }

  /** The stream's header once read: version, algorithm, chunkSizeLog2. */
  get streamHeader(): Omit<CryptIoHeader, "bytes"> | null {
    if (this.header === null) return null;
    const { version, algorithm, chunkSizeLog2 } = this.header;
    return { version, algorithm, chunkSizeLog2 };
  }

  get bytesWanted(): number {
    if (this.finished) return 0;
    if (this.cipher !== null) return this.frame;
    return this.header === null ? HEADER_SIZE : SALT_SIZE;
  }

  isDone(): boolean {
    return this.finished;
  }

  override get _acceptsShortRead(): boolean {
    return this.cipher !== null && !this.finished;
  }

  protected step(data: Uint8Array): Uint8Array | null {
    if (this.cipher !== null) return this.chunk(data);
    if (this.header === null) {
      this.header = parseHeader(data, this.maxLog2);
      this.frame = 2 ** this.header.chunkSizeLog2 + TAG_SIZE;
      this.offset = HEADER_SIZE;
      if (this.header.version === 1) this.start();
      return null;
    }
    this.start(data);
    this.offset += SALT_SIZE;
    return null;
  }

  private start(salt?: Uint8Array): void {
    this.cipher = new ChunkCipher(this.key, this.header!, salt);
    this.key.fill(0); // the cipher holds what it needs (v1: a copy; v2: the subkey)
  }

  private chunk(sealed: Uint8Array): Uint8Array {
    const where = `chunk ${this.counter} at byte offset ${this.offset}`;
    if (sealed.length < TAG_SIZE) {
      throw new StreamTruncatedError(`${where}: the stream ends ${sealed.length} bytes into the final chunk, shorter than its 16-byte tag`);
    }
    const cipher = this.cipher!;
    let plaintext: Uint8Array | null = null;
    let final = sealed.length < this.frame;
    if (!final) {
      plaintext = cipher.open(this.counter, false, sealed);
      if (plaintext === null) final = true; // a full frame may be the final chunk
      else if (this.counter === MAX_CHUNKS - 1) throw new ChunkAuthenticationError(`${where}: stream chunk counter overflow`);
    }
    if (final) plaintext = cipher.open(this.counter, true, sealed);
    if (plaintext === null) throw new ChunkAuthenticationError(`${where}: chunk does not authenticate (wrong key, or the stream was modified)`);
    this.offset += sealed.length;
    if (final) {
      this.finished = true;
      cipher.wipe();
    } else {
      this.counter++;
    }
    return plaintext;
  }

  protected end(): void {
    if (this.finished) return;
    if (this.header === null) throw new HeaderParseError(`input ended inside the ${HEADER_SIZE}-byte crypt-io header`);
    if (this.cipher === null) throw new StreamTruncatedError(`input ended inside the ${SALT_SIZE}-byte v2 salt`);
    throw new StreamTruncatedError(`input ended after ${this.counter} chunks (byte offset ${this.offset}), before the final chunk`);
  }

  protected afterDone(data: Uint8Array): Uint8Array | null {
    throw new ChunkAuthenticationError(`${data.length} bytes of trailing data after the final chunk (byte offset ${this.offset})`);
  }

  protected wipe(): void {
    this.key.fill(0);
    this.cipher?.wipe();
  }
}
