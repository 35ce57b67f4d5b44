// Decrypts the age v1 payload (C2SP age.md "Payload"): STREAM over 64 KiB
// ChaCha20-Poly1305 chunks. Knows nothing of headers: it is given the payload
// key and the sealed chunks, one at a time or in runs.
//
// Rules: a chunk shorter than 64 KiB + 16 is final; a full chunk is final
// only if it authenticates with the final flag (tried after failing as
// non-final); an empty final chunk is valid only as the whole payload.
import { aead } from "../crypto/aead.js";
import { ChunkAuthenticationError } from "../errors.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK } from "../format/chunk-size.js";

export class AgeStreamReader {
  #offset: number; // payload bytes consumed after the nonce
  #finished = false;

  /** `counter` > 0 resumes after that many full chunks opened elsewhere (the CLI's parallel runs). */
  constructor(private readonly key: Uint8Array, private counter = 0) {
    this.#offset = counter * AGE_SEALED_CHUNK;
  }

  /** The next chunk's STREAM counter. */
  get chunkIndex(): number {
    return this.counter;
  }

  get done(): boolean {
    return this.#finished;
  }

  /** Bytes of the next sealed chunk (fewer are accepted for the final one). */
  get wanted(): number {
    return this.#finished ? 0 : AGE_SEALED_CHUNK;
  }

  /** Opens one sealed chunk; `sealed.length` ≤ 64 KiB + 16, shorter only for the final chunk. */
  read(sealed: Uint8Array): Uint8Array {
    const where = `chunk ${this.counter} at payload offset ${this.#offset}`;
    if (sealed.length < 16) {
      throw new ChunkAuthenticationError(`${where}: ${sealed.length} bytes is shorter than the 16-byte tag`);
    }
    const backend = aead();
    let plaintext: Uint8Array | null = null;
    let final = sealed.length < AGE_SEALED_CHUNK;
    if (!final) {
      plaintext = backend.openChunk(this.key, this.counter, false, sealed);
      if (plaintext === null) final = true; // a full chunk may be the final one
    }
    if (final) {
      plaintext = backend.openChunk(this.key, this.counter, true, sealed);
      if (plaintext !== null && plaintext.length === 0 && this.counter > 0) {
        throw new ChunkAuthenticationError(`${where}: empty final chunk after a full one (age v1 "Payload" forbids it)`);
      }
    }
    if (plaintext === null) throw new ChunkAuthenticationError(`${where}: chunk does not authenticate`);
    this.#advance(1, sealed.length);
    this.#finished = final;
    return plaintext;
  }

  /**
   * Opens a run of full chunks known not to be final (more data follows
   * them), in one call into the AEAD core. Stops at the first chunk that does
   * not authenticate as non-final: returns the plaintext of each chunk
   * before it. The caller passes the rest to read(), which tells a final
   * full chunk from a forged one.
   */
  readRun(sealed: Uint8Array): Uint8Array[] {
    const chunks = aead().openChunks(this.key, this.counter, sealed, AGE_CHUNK);
    this.#advance(chunks.length, chunks.length * AGE_SEALED_CHUNK);
    return chunks;
  }

  /** Moves past `chunks` full non-final chunks opened elsewhere (a worker pool). */
  skip(chunks: number): void {
    this.#advance(chunks, chunks * AGE_SEALED_CHUNK);
  }

  #advance(chunks: number, bytes: number): void {
    this.counter += chunks;
    this.#offset += bytes;
  }
}
