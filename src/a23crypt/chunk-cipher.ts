// The per-chunk cascade of a23crypt (A23CRYPT.md §4, §7.1 step 6):
// optional zstd, AES-256-GCM under the server subkey (nonce u64be(i) || 0),
// the noise layer (seed_i), ChaCha20-Poly1305 under the client subkey
// (nonce u64be(i) || 1), both with AAD_i. Opening reverses it and releases
// nothing unless both tags verified (and the chunk decompressed).
//
// The primitives come from the shared core: the WebAssembly AES-256-GCM,
// ChaCha20-Poly1305 and noise loop where the core runs, the pure-JS path
// (@noble, jsNoise) otherwise, or on request (the benchmark compares them).
import { aead, gcm } from "../crypto/aead.js";
import type { NonceAead } from "../crypto/backend.js";
import { jsBackends } from "../crypto/fallback.js";
import { jsGcm } from "../crypto/nonce-aead-js.js";
import { wasmNoise } from "../wasm/noise.js";
import { CompressionError, DecryptionError } from "./errors.js";
import { LEVEL_MASK, writeAad, writeU64 } from "./header.js";
import { RecordKeys } from "./key-schedule.js";
import { jsNoise, noiseAdd, noiseRemove, type NoiseLayer } from "./noise.js";
import { zstdCompress, zstdDecompress } from "./zstd.js";

/** The three primitives of the cascade. */
export interface A23Backend {
  readonly gcm: NonceAead;
  readonly chacha: Pick<NonceAead, "seal" | "open">;
  readonly noise: NoiseLayer;
}

/** Which implementation to use: the WebAssembly core where it runs (default), or the pure-JS path. */
export type A23BackendName = "auto" | "js";

export function backend(name: A23BackendName = "auto"): A23Backend {
  if (name === "js") return { gcm: jsGcm, chacha: jsBackends().aead, noise: jsNoise };
  return { gcm: gcm(), chacha: aead(), noise: wasmNoise() ?? jsNoise };
}

function failed(cause?: unknown): DecryptionError {
  return new DecryptionError("decryption failed", cause === undefined ? undefined : { cause });
}

export class ChunkCipher {
  private readonly aad = new Uint8Array(14);
  private readonly nonce = new Uint8Array(12);

  constructor(
    private readonly keys: RecordKeys,
    /** The header's flags and chunk_size, as they go into every AAD. */
    private readonly flags: number,
    private readonly chunkSize: number,
    private readonly impl: A23Backend,
  ) {}

  /** body_i = ChaCha20-Poly1305(NoiseAdd(AES-256-GCM(zstd?(plaintext)))) (§4). */
  seal(index: number, final: boolean, plaintext: Uint8Array): Uint8Array {
    const aad = writeAad(this.aad, index, final, this.flags, this.chunkSize);
    const level = this.flags & LEVEL_MASK;
    const p = level > 0 ? zstdCompress(plaintext, level) : plaintext;
    const inner = this.impl.gcm.seal(this.keys.serverSub, this.nonceFor(index, 0), p, aad);
    const noisy = noiseAdd(inner, this.keys.seed(index), this.impl.noise);
    return this.impl.chacha.seal(this.keys.clientSub, this.nonceFor(index, 1), noisy, aad);
  }

  /** The plaintext of one frame body; DecryptionError("decryption failed") for any tag or decompression failure. */
  open(index: number, final: boolean, body: Uint8Array): Uint8Array {
    const aad = writeAad(this.aad, index, final, this.flags, this.chunkSize);
    const noisy = this.impl.chacha.open(this.keys.clientSub, this.nonceFor(index, 1), body, aad);
    if (noisy === null) throw failed();
    const inner = noiseRemove(noisy, this.keys.seed(index), this.impl.noise);
    const p = this.impl.gcm.open(this.keys.serverSub, this.nonceFor(index, 0), inner, aad);
    if (p === null) throw failed();
    if ((this.flags & LEVEL_MASK) === 0) return p;
    try {
      return zstdDecompress(p, this.chunkSize);
    } catch (e) {
      // The original wraps its CompressionError; a missing zstd is the caller's, not the record's.
      if (e instanceof CompressionError) throw failed(e);
      throw e;
    }
  }

  wipe(): void {
    this.keys.wipe();
  }

  /** u64be(i) || u32be(domain): 0 for the inner layer, 1 for the outer (§4). */
  private nonceFor(index: number, domain: number): Uint8Array {
    writeU64(this.nonce, 0, index);
    this.nonce[11] = domain;
    return this.nonce;
  }
}
