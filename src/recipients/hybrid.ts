// The MLKEM768-X25519 (X-Wing) hybrid post-quantum recipient type (C2SP
// age.md "The MLKEM768-X25519 (i.e. X-Wing) hybrid post-quantum recipient
// type", "mlkem768x25519 recipient stanza"): an identity is a 32-byte seed
// (`AGE-SECRET-KEY-PQ-1…`), its recipient the 1216-byte X-Wing public key
// (`age1pq1…`); the file key is sealed with HPKE base mode under
// info "age-encryption.org/mlkem768x25519".
import { AgeRTError, HeaderParseError, UsageError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "../format/base64.js";
import { encode as encodeBech32 } from "../format/bech32.js";
import type { Stanza } from "../format/stanza.js";
import { utf8Encode } from "../format/text.js";
import { aead } from "../crypto/aead.js";
import { randomBytes } from "../crypto/kdf.js";
import { decodeKeyString } from "./key-string.js";
import { withKems } from "./kems-access.js";
import type { Identity, Recipient } from "./types.js";

export const HYBRID_STANZA_TYPE = "mlkem768x25519";
export const HYBRID_RECIPIENT_HRP = "age1pq";
export const HYBRID_IDENTITY_HRP = "AGE-SECRET-KEY-PQ-";

const INFO = utf8Encode("age-encryption.org/mlkem768x25519");
const PUBLIC_KEY_LEN = 1216;
const ENC_LEN = 1120;
const BODY_LEN = 32; // 16-byte file key || Poly1305 tag

/** Encrypts file keys to an `age1pq1…` recipient. Post-quantum: never mixed with classic recipients. */
export class HybridRecipient implements Recipient {
  readonly #publicKey: Uint8Array;
  readonly postQuantum = true;

  /** `publicKey` is the 1216-byte MLKEM768-X25519 encapsulation key. */
  constructor(publicKey: Uint8Array) {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== PUBLIC_KEY_LEN) {
      throw new UsageError(`post-quantum recipient: expected a ${PUBLIC_KEY_LEN}-byte public key, got ${publicKey?.length} bytes`);
    }
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
    if (fileKey.length !== 16) throw new UsageError(`post-quantum wrap: expected a 16-byte file key, got ${fileKey.length} bytes`);
    return withKems((k) => {
      let sealed;
      try {
        sealed = k.sealBase(aead(), k.mlkem768x25519, this.#publicKey, INFO, fileKey);
      } catch (e) {
        // noble refuses an encapsulation key whose ML-KEM part is not reduced mod q (FIPS 203 §7.2).
        throw new UsageError(`post-quantum recipient: invalid public key (${(e as Error).message})`, { cause: e });
      }
      return [{ type: HYBRID_STANZA_TYPE, args: [encodeBase64(sealed.enc)], body: sealed.ciphertext }];
    });
  }
}

/** Decrypts file keys wrapped to an `AGE-SECRET-KEY-PQ-1…` identity. */
export class HybridIdentity implements Identity {
  readonly #seed: Uint8Array;

  /** `seed` is the 32-byte identity (the X-Wing decapsulation key seed). */
  constructor(seed: Uint8Array) {
    if (!(seed instanceof Uint8Array) || seed.length !== 32) {
      throw new UsageError(`post-quantum identity: expected a 32-byte secret key, got ${seed?.length} bytes`);
    }
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

  /** The matching recipient (asynchronous only where the post-quantum code is still to be loaded). */
  recipient(): HybridRecipient | Promise<HybridRecipient> {
    return withKems((k) => new HybridRecipient(k.mlkem768x25519PublicKey(this.#seed)));
  }

  /**
   * The file key from the first mlkem768x25519 stanza that opens under this
   * key; null when none does. Every stanza of this type is checked first
   * (argument count, canonical 1120-byte enc, 32-byte body, as the spec
   * requires before decrypting) and a malformed one is a HeaderParseError,
   * as is an enc whose X25519 part yields the all-zero shared secret.
   */
  unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null | Promise<Uint8Array | null> {
    const ours: Array<{ where: string; enc: Uint8Array; body: Uint8Array }> = [];
    stanzas.forEach((s, i) => {
      if (s.type !== HYBRID_STANZA_TYPE) return;
      const where = `${HYBRID_STANZA_TYPE} stanza (#${i + 1})`;
      if (s.args.length !== 1) throw new HeaderParseError(`${where}: expected 1 argument, got ${s.args.length}`);
      const enc = decodeBase64(s.args[0]!);
      if (enc === null) throw new HeaderParseError(`${where}: enc is not canonical unpadded base64`);
      if (enc.length !== ENC_LEN) throw new HeaderParseError(`${where}: enc must be ${ENC_LEN} bytes, got ${enc.length}`);
      if (s.body.length !== BODY_LEN) throw new HeaderParseError(`${where}: body must be ${BODY_LEN} bytes, got ${s.body.length}`);
      ours.push({ where, enc, body: s.body });
    });
    // Not ours: answered without loading the post-quantum code.
    if (ours.length === 0) return null;
    return withKems((k) => {
      for (const { where, enc, body } of ours) {
        let fileKey: Uint8Array | null;
        try {
          fileKey = k.openBase(aead(), k.mlkem768x25519, enc, this.#seed, INFO, body);
        } catch (e) {
          if (e instanceof AgeRTError) throw e;
          // X-Wing's X25519 refuses a low-order share (all-zero shared secret); CCTV: a header failure.
          throw new HeaderParseError(`${where}: enc does not decapsulate (${(e as Error).message})`, { cause: e });
        }
        if (fileKey !== null) return fileKey;
      }
      return null;
    });
  }
}
