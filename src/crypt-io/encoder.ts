// CryptIoEncoder (API.md "crypt-io and a23crypt"): writes crypt-io streams
// byte for byte as the crate does (CRYPT-IO.md §7.1): full chunks are sealed
// non-final as soon as they are full, and the stream always ends with a
// final chunk of 0 .. chunk size - 1 bytes (an exact multiple of the chunk
// size ends with an empty final chunk).
import { randomBytes } from "../crypto/kdf.js";
import { concat } from "../format/bytes.js";
import { UsageError, assertBytes } from "../errors.js";
import { ChunkCipher, MAX_CHUNKS } from "./chunk-cipher.js";
import {
  type CryptIoAlgorithm, type CryptIoVersion, SALT_SIZE, TAG_SIZE,
  checkEncoderOptions, encodeHeader, parseHeader,
} from "./header.js";

/** Options of {@link CryptIoEncoder.create}: the stream's algorithm, chunk size and version. */
export interface CryptIoEncoderOptions {
  /** Default "chacha20-poly1305" (the crate's default). */
  algorithm?: CryptIoAlgorithm;
  /** Plaintext bytes per chunk, as a power of two: 10..24, default 16 (64 KiB). */
  chunkSizeLog2?: number;
  /** Stream version, default 2 (per-stream HKDF subkey). Version 1 uses the key directly: at most ~2^12 streams per key (§9). */
  version?: CryptIoVersion;
  /**
   * @internal The v2 salt or v1 nonce prefix instead of fresh random bytes:
   * only to reproduce known-answer streams. Reusing one breaks confidentiality.
   */
  _fixedRandom?: Uint8Array;
}

/**
 * Writes a crypt-io stream under a 32-byte key: the header, then fixed-size
 * sealed chunks, the last one marked final. Use it with the iterators and
 * streams of `age-rt` (they re-chunk into its chunk size) or chunk by chunk.
 */
export class CryptIoEncoder {
  /** The AEAD the stream uses. */
  readonly algorithm: CryptIoAlgorithm;
  /** The stream version written (2: a per-stream subkey; 1: the key itself). */
  readonly version: CryptIoVersion;
  /** log2 of the plaintext bytes per chunk. */
  readonly chunkSizeLog2: number;
  /** Plaintext bytes of every non-final chunk. */
  readonly chunkSize: number;
  /** @internal The iterators re-chunk into the chunk size (src/io/rechunker.ts). */
  readonly _chunkSize: number;
  private readonly prelude: Uint8Array;
  private readonly cipher: ChunkCipher;
  private counter = 0;
  private isFinalized = false;

  private constructor(key: Uint8Array, algorithm: CryptIoAlgorithm, version: CryptIoVersion, log2: number, fixed?: Uint8Array) {
    this.algorithm = algorithm;
    this.version = version;
    this.chunkSizeLog2 = log2;
    this.chunkSize = 2 ** log2;
    this._chunkSize = this.chunkSize;
    const random = fixed ?? randomBytes(version === 1 ? 7 : SALT_SIZE);
    if (random.length !== (version === 1 ? 7 : SALT_SIZE)) throw new UsageError("_fixedRandom has the wrong length");
    const header = parseHeader(encodeHeader(version, algorithm, log2, random));
    this.prelude = version === 1 ? header.bytes : concat(header.bytes, random);
    this.cipher = new ChunkCipher(key, header, random);
  }

  /** A new stream under a 32-byte key; a fresh nonce prefix (v1) or salt (v2) from the CSPRNG. */
  static create(key: Uint8Array, opts: CryptIoEncoderOptions = {}): CryptIoEncoder {
    assertBytes("key", key);
    if (key.length !== 32) throw new UsageError(`crypt-io keys are 32 bytes, got ${key.length}`);
    const { algorithm = "chacha20-poly1305", chunkSizeLog2 = 16, version = 2 } = opts;
    checkEncoderOptions(version, algorithm, chunkSizeLog2);
    return new CryptIoEncoder(key, algorithm, version, chunkSizeLog2, opts._fixedRandom);
  }

  /** What goes before the first chunk: the 24-byte header, and in v2 the 32-byte salt. */
  getHeader(): Uint8Array {
    return this.prelude.slice();
  }

  /** True once the final chunk has been emitted. */
  get finalized(): boolean {
    return this.isFinalized;
  }

  /**
   * Seals one chunk: a non-final chunk is exactly chunkSize bytes, the final
   * one at most that (empty allowed). With `isFinal` omitted, a chunk shorter
   * than chunkSize is the final one. A full final chunk is written as the
   * crate writes one (it seals a chunk as soon as it is full): as a non-final
   * chunk followed by an empty final chunk, both in the returned array.
   */
  encodeChunk(plaintext: Uint8Array, isFinal?: boolean): Uint8Array {
    if (this.isFinalized) throw new UsageError("encodeChunk() after the final chunk: this encoder is finalized");
    assertBytes("encodeChunk() plaintext", plaintext);
    const final = isFinal ?? plaintext.length < this.chunkSize;
    if (plaintext.length > this.chunkSize || (!final && plaintext.length !== this.chunkSize)) {
      throw new UsageError(`a ${final ? "final" : "non-final"} crypt-io chunk must be ${final ? "at most" : "exactly"} ${this.chunkSize} bytes, got ${plaintext.length}`);
    }
    if (final && plaintext.length === this.chunkSize) {
      return concat(this.encodeChunk(plaintext, false), this.encodeChunk(new Uint8Array(0), true));
    }
    if (!final && this.counter === MAX_CHUNKS - 1) throw new UsageError("stream: chunk counter overflow (2^32 chunks)");
    const sealed = this.cipher.seal(this.counter, final, plaintext);
    if (final) {
      this.isFinalized = true;
      this.cipher.wipe();
    } else {
      this.counter++;
    }
    return sealed;
  }

  /** @internal Seals whole non-final chunks (the iterators' runs). */
  _encodeFullChunks(plaintext: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < plaintext.length; i += this.chunkSize) {
      out.push(this.encodeChunk(plaintext.subarray(i, i + this.chunkSize), false));
    }
    return out;
  }

  /** @internal Nothing sealed yet. */
  get _isFresh(): boolean {
    return this.counter === 0 && !this.isFinalized;
  }

  /** @internal The whole stream for one payload, into one array of its final size (§2's length formula). */
  _encodeWhole(payload: Uint8Array): Uint8Array {
    if (!this._isFresh) throw new UsageError("_encodeWhole() needs a fresh encoder");
    assertBytes("payload", payload);
    const size = this.chunkSize;
    const full = Math.floor(payload.length / size);
    const out = new Uint8Array(this.prelude.length + payload.length + TAG_SIZE * (full + 1));
    out.set(this.prelude);
    let o = this.prelude.length;
    for (let i = 0; i < full; i++, o += size + TAG_SIZE) out.set(this.encodeChunk(payload.subarray(i * size, (i + 1) * size), false), o);
    out.set(this.encodeChunk(payload.subarray(full * size), true), o);
    return out;
  }
}

