// The two primitives the hot paths need, as interfaces. The WebAssembly core
// (src/wasm/) implements them; @noble provides the pure-JS path for engines
// without WebAssembly (src/crypto/*-js.ts). Everything above this layer calls
// only src/crypto/aead.ts and src/crypto/scrypt.ts.

/**
 * ChaCha20-Poly1305 (RFC 8439 §2.8). Stateless: the key is passed per call,
 * copied into the backend's working memory and wiped before returning.
 * Inputs may be any views (subarrays); outputs are fresh arrays.
 */
export interface AeadBackend {
  /** RFC 8439 AEAD with a 12-byte nonce; returns ciphertext || 16-byte tag. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** Returns the plaintext, or null when the tag does not verify (then nothing is decrypted). */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | null;

  // STREAM (age v1 "Payload"): nonce = 11-byte big-endian chunk counter || final flag, no AAD.
  /**
   * Seals one chunk. `counter` is a safe integer ≥ 0. With `prefix`, the
   * result starts with that many bytes left for the caller (age-rt writes
   * its length prefix there), so a frame costs one allocation, not two.
   */
  sealChunk(key: Uint8Array, counter: number, final: boolean, plaintext: Uint8Array, prefix?: number): Uint8Array;
  /** Opens one chunk (ciphertext || tag); null when it does not authenticate. */
  openChunk(key: Uint8Array, counter: number, final: boolean, sealed: Uint8Array): Uint8Array | null;
  /**
   * Seals `plaintext.length / chunkSize` consecutive non-final chunks
   * (plaintext.length must be a multiple of chunkSize) starting at `counter`
   * in one call; returns each chunk's ciphertext || tag as its own array
   * (one array per chunk: a single large result array costs more to
   * allocate than the crossing saves, measured at 16 × 64 KiB).
   */
  sealChunks(key: Uint8Array, counter: number, plaintext: Uint8Array, chunkSize: number): Uint8Array[];
  /**
   * Like sealChunks, but writes the frames back to back into `out` from
   * `offset`, as a file lays them out: for callers that allocate the whole
   * output once (encodeBytes), where per-chunk arrays and a final
   * concatenation cost a fifth of the time. With `prefix`, each frame is
   * preceded by that many bytes left for the caller (age-rt's length), as in
   * sealChunk.
   */
  sealChunksInto(
    key: Uint8Array, counter: number, plaintext: Uint8Array, chunkSize: number, out: Uint8Array, offset: number, prefix?: number,
  ): void;
  /**
   * Opens consecutive non-final chunks of `chunkSize + 16` bytes each from
   * `sealed` (length a multiple of chunkSize + 16) starting at `counter`.
   * Stops at the first chunk that fails: returns the plaintext of each chunk
   * that authenticated before it, one array per chunk, in order.
   */
  openChunks(key: Uint8Array, counter: number, sealed: Uint8Array, chunkSize: number): Uint8Array[];
}

/**
 * A one-shot AEAD with a 32-byte key, a fixed nonce length and a 16-byte tag:
 * AES-256-GCM (NIST SP 800-38D, 12-byte IV) and XChaCha20-Poly1305
 * (draft-irtf-cfrg-xchacha-03, 24-byte nonce), as crypt-io uses them.
 * Same contract as AeadBackend.seal/open.
 */
export interface NonceAead {
  readonly nonceLength: number;
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array;
  /** The plaintext, or null when the tag does not verify (then nothing is decrypted). */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | null;
}

export interface ScryptOptions {
  /** Called with the fraction done (0..1), at most a few hundred times. */
  onProgress?: (fraction: number) => void;
}

/** scrypt (RFC 7914) with p = 1..n; N = 2^logN. */
export type ScryptFn = (
  password: Uint8Array, salt: Uint8Array, logN: number, r: number, p: number, dkLen: number, opts?: ScryptOptions,
) => Uint8Array;
