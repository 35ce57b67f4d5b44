// Decrypts the age-rt v0.2 payload: after the nonce, frames of a 4-byte
// big-endian length L (16 ≤ L ≤ maxchunk + 16) and L bytes of ciphertext+tag,
// with the age v1 nonce schedule (11-byte counter, final flag). Chunks may be
// empty, including non-final ones; exactly one final chunk ends the stream.
// Knows nothing of headers: it is given the payload key and the chunk limit.
import { aead } from "../crypto/aead.js";
import { ChunkAuthenticationError } from "../errors.js";

const LENGTH_PREFIX = 4;

export class AgeRTStreamReader {
  #counter = 0;
  #offset = 0; // payload bytes consumed after the nonce
  #bodyLength = -1; // -1 while a length prefix is wanted
  #finished = false;

  constructor(private readonly key: Uint8Array, readonly maxChunk: number) {}

  /** Whether the next read is a length prefix (no frame half read). */
  get atFrameStart(): boolean {
    return this.#bodyLength < 0 && !this.#finished;
  }

  /** Moves past `chunks` non-final frames (`bytes` with their prefixes) opened elsewhere (a worker pool). */
  skip(chunks: number, bytes: number): void {
    this.#counter += chunks;
    this.#offset += bytes;
  }

  /** The next chunk's STREAM counter. */
  get chunkIndex(): number {
    return this.#counter;
  }

  get done(): boolean {
    return this.#finished;
  }

  /** Exact bytes of the next read: a length prefix, or the body it announced. */
  get wanted(): number {
    if (this.#finished) return 0;
    return this.#bodyLength < 0 ? LENGTH_PREFIX : this.#bodyLength;
  }

  /** Takes exactly `wanted` bytes; returns a chunk's plaintext when a body authenticates. */
  read(data: Uint8Array): Uint8Array | null {
    const where = `chunk ${this.#counter} at payload offset ${this.#offset}`;
    if (this.#bodyLength < 0) {
      const length = ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0;
      // Checked before anything is buffered or allocated for the body.
      if (length < 16 || length > this.maxChunk + 16) {
        throw new ChunkAuthenticationError(`${where}: length prefix ${length} outside 16..${this.maxChunk + 16}`);
      }
      this.#bodyLength = length;
      this.#offset += LENGTH_PREFIX;
      return null;
    }
    const backend = aead();
    let final = false;
    let plaintext = backend.openChunk(this.key, this.#counter, false, data);
    if (plaintext === null) {
      plaintext = backend.openChunk(this.key, this.#counter, true, data);
      final = true;
    }
    if (plaintext === null) throw new ChunkAuthenticationError(`${where}: chunk does not authenticate`);
    this.#counter++;
    this.#offset += data.length;
    this.#bodyLength = -1;
    this.#finished = final;
    return plaintext;
  }
}
