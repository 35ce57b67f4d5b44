// The per-stream chunk cipher of crypt-io (CRYPT-IO.md §4-§6): the chunk key
// and nonce prefix (v1: the caller's key and header bytes 16..23; v2:
// HKDF-SHA256 over the salt with info "crypt-io stream v2" || header), the
// STREAM nonce prefix || be32(counter) || last flag, and the AAD (v1: the
// header; v2: header || salt) on every chunk.
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { aead, gcm, xchacha } from "../crypto/aead.js";
import type { NonceAead } from "../crypto/backend.js";
import { concat } from "../format/bytes.js";
import { utf8Encode } from "../format/text.js";
import { type CryptIoHeader, nonceLength } from "./header.js";

const V2_INFO = utf8Encode("crypt-io stream v2");
/** Chunks per stream: the counter is a u32 and never wraps (§5). */
export const MAX_CHUNKS = 2 ** 32;

export class ChunkCipher {
  private readonly key: Uint8Array;
  private readonly nonce: Uint8Array;
  private readonly aad: Uint8Array;
  private readonly prefixLength: number;
  private readonly box: Pick<NonceAead, "seal" | "open">;

  /** `salt` is the v2 salt (32 bytes), ignored in v1. */
  constructor(key: Uint8Array, header: CryptIoHeader, salt?: Uint8Array) {
    const n = nonceLength(header.algorithm);
    this.prefixLength = n - 5;
    this.nonce = new Uint8Array(n);
    if (header.version === 1) {
      this.key = Uint8Array.from(key); // a copy (Buffer.prototype.slice would share the caller's memory)
      this.nonce.set(header.bytes.subarray(16, 23));
      this.aad = header.bytes;
    } else {
      const okm = hkdf(sha256, key, salt!, concat(V2_INFO, header.bytes), 32 + this.prefixLength);
      this.key = okm.slice(0, 32);
      this.nonce.set(okm.subarray(32));
      okm.fill(0);
      this.aad = concat(header.bytes, salt!);
    }
    this.box = header.algorithm === "aes-256-gcm" ? gcm() : header.algorithm === "xchacha20-poly1305" ? xchacha() : aead();
  }

  /** Seals one chunk: ciphertext || 16-byte tag. */
  seal(counter: number, last: boolean, plaintext: Uint8Array): Uint8Array {
    return this.box.seal(this.key, this.nonceFor(counter, last), plaintext, this.aad);
  }

  /** Opens one chunk; null when it does not authenticate (nothing decrypted). */
  open(counter: number, last: boolean, sealed: Uint8Array): Uint8Array | null {
    return this.box.open(this.key, this.nonceFor(counter, last), sealed, this.aad);
  }

  wipe(): void {
    this.key.fill(0);
    this.nonce.fill(0);
  }

  /** prefix || be32(counter) || last flag (§5). */
  private nonceFor(counter: number, last: boolean): Uint8Array {
    const p = this.prefixLength;
    const nonce = this.nonce;
    nonce[p] = counter >>> 24;
    nonce[p + 1] = (counter >>> 16) & 0xff;
    nonce[p + 2] = (counter >>> 8) & 0xff;
    nonce[p + 3] = counter & 0xff;
    nonce[p + 4] = last ? 1 : 0;
    return nonce;
  }
}
