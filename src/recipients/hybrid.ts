// The MLKEM768-X25519 (X-Wing) hybrid post-quantum recipient type (C2SP
// age.md "The MLKEM768-X25519 (i.e. X-Wing) hybrid post-quantum recipient
// type"): an identity is a 32-byte seed (`AGE-SECRET-KEY-PQ-1…`), its
// recipient the 1216-byte X-Wing public key (`age1pq1…`). The keys live
// here; the stanza's cryptography is in hybrid-stanza.ts, reached through
// stanza-modules.ts (loaded on first use in the browser bundle).
import { aead } from "../crypto/aead.js";
import { randomBytes } from "../crypto/kdf.js";
import { assertLength } from "../errors.js";
import { encode as encodeBech32 } from "../format/bech32.js";
import type { Stanza } from "../format/stanza.js";
import { decodeKeyString } from "./key-string.js";
import { withModule } from "./stanza-modules.js";
import type { Identity, Recipient } from "./types.js";

export const HYBRID_RECIPIENT_HRP = "age1pq";
export const HYBRID_IDENTITY_HRP = "AGE-SECRET-KEY-PQ-";
const PUBLIC_KEY_LEN = 1216;

/** Encrypts file keys to an `age1pq1…` recipient. Post-quantum: never mixed with classic recipients. */
export class HybridRecipient implements Recipient {
  readonly #publicKey: Uint8Array;
  readonly postQuantum = true;

  /** `publicKey` is the 1216-byte MLKEM768-X25519 encapsulation key. */
  constructor(publicKey: Uint8Array) {
    assertLength("post-quantum recipient key", publicKey, PUBLIC_KEY_LEN);
    this.#publicKey = publicKey.slice();
  }

  /** Parses an `age1pq1…` string. Throws UsageError. */
  static fromString(s: string): HybridRecipient {
    return new HybridRecipient(decodeKeyString("post-quantum recipient", s, HYBRID_RECIPIENT_HRP, PUBLIC_KEY_LEN));
  }

  /** The `age1pq1…` string. */
  encode(): string {
    return encodeBech32(HYBRID_RECIPIENT_HRP, this.#publicKey);
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] | Promise<Stanza[]> {
    assertLength("post-quantum wrap: file key", fileKey, 16);
    return withModule("pq", (m) => m.hybridWrap(aead(), this.#publicKey, fileKey));
  }
}

/** Decrypts file keys wrapped to an `AGE-SECRET-KEY-PQ-1…` identity. */
export class HybridIdentity implements Identity {
  readonly #seed: Uint8Array;

  /** `seed` is the 32-byte identity (the X-Wing decapsulation key seed). */
  constructor(seed: Uint8Array) {
    assertLength("post-quantum identity seed", seed, 32);
    this.#seed = seed.slice();
  }

  /** A new random identity (C2SP age.md: identity = read(CSPRNG, 32)). */
  static generate(): HybridIdentity {
    const seed = randomBytes(32);
    try {
      return new HybridIdentity(seed);
    } finally {
      seed.fill(0);
    }
  }

  /** Parses an `AGE-SECRET-KEY-PQ-1…` string. Throws UsageError (never echoing the key). */
  static fromString(s: string): HybridIdentity {
    const seed = decodeKeyString("post-quantum identity", s, HYBRID_IDENTITY_HRP, 32);
    try {
      return new HybridIdentity(seed);
    } finally {
      seed.fill(0);
    }
  }

  /** The `AGE-SECRET-KEY-PQ-1…` string (secret: handle with care). */
  encode(): string {
    return encodeBech32(HYBRID_IDENTITY_HRP, this.#seed);
  }

  /** The matching recipient (a Promise only where the post-quantum code is still to be loaded). */
  recipient(): HybridRecipient | Promise<HybridRecipient> {
    return withModule("pq", (m) => new HybridRecipient(m.hybridPublicKey(this.#seed)));
  }

  /** See hybridUnwrap(); a header without mlkem768x25519 stanzas is answered without loading anything. */
  unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null | Promise<Uint8Array | null> {
    if (!stanzas.some((s) => s.type === "mlkem768x25519")) return null;
    return withModule("pq", (m) => m.hybridUnwrap(aead(), this.#seed, stanzas));
  }
}
