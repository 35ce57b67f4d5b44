// The X25519 recipient type (age v1 "The X25519 recipient type" and
// "X25519 recipient stanza"): keys are Bech32 strings (age1… / AGE-SECRET-KEY-1…),
// the file key is wrapped with ChaCha20-Poly1305 under
// HKDF-SHA-256(X25519 shared secret, salt = ephemeral share || recipient).
import { hkdf } from "../crypto/hmac-sha256.js";
import { sharedSecret, x25519PublicKey } from "../crypto/x25519.js";
import { aead } from "../crypto/aead.js";
import { HeaderParseError, UsageError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "../format/base64.js";
import { encode as encodeBech32 } from "../format/bech32.js";
import type { Stanza } from "../format/stanza.js";
import { utf8Encode } from "../format/text.js";
import { decodeKeyString } from "./key-string.js";
import type { Identity, Recipient } from "./types.js";

export const X25519_STANZA_TYPE = "X25519";
/** Bech32 HRP of X25519 recipients (lowercase, as written). */
export const RECIPIENT_HRP = "age";
/** Bech32 HRP of X25519 identities (uppercase, as written). */
export const IDENTITY_HRP = "AGE-SECRET-KEY-";

const INFO = utf8Encode("age-encryption.org/v1/X25519");
const ZERO_NONCE = new Uint8Array(12);
const FILE_KEY_LEN = 16;
const BODY_LEN = FILE_KEY_LEN + 16; // ciphertext || Poly1305 tag

function wrapKey(shared: Uint8Array, share: Uint8Array, recipient: Uint8Array): Uint8Array {
  const salt = new Uint8Array(64);
  salt.set(share, 0);
  salt.set(recipient, 32);
  return hkdf(shared, salt, INFO, 32);
}

/** Encrypts file keys to an X25519 public key (an `age1…` recipient). */
export class X25519Recipient implements Recipient {
  readonly #publicKey: Uint8Array;

  /** `publicKey` is the 32-byte Curve25519 u-coordinate. */
  constructor(publicKey: Uint8Array) {
    if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
      throw new UsageError(`X25519 recipient: expected a 32-byte public key, got ${publicKey?.length} bytes`);
    }
    this.#publicKey = publicKey.slice();
  }

  /** Parses an `age1…` string. Throws UsageError. */
  static fromString(s: string): X25519Recipient {
    return new X25519Recipient(decodeKeyString("X25519 recipient", s, RECIPIENT_HRP, 32));
  }

  /** A copy of the 32-byte public key. */
  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  /** The `age1…` string. */
  encode(): string {
    return encodeBech32(RECIPIENT_HRP, this.#publicKey);
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] {
    if (fileKey.length !== FILE_KEY_LEN) throw new UsageError(`X25519 wrap: expected a 16-byte file key, got ${fileKey.length} bytes`);
    const ephemeral = crypto.getRandomValues(new Uint8Array(32));
    let shared: Uint8Array | null = null;
    let key: Uint8Array | null = null;
    try {
      const share = x25519PublicKey(ephemeral);
      shared = sharedSecret(ephemeral, this.#publicKey);
      // A file "encrypted" to a low-order point would be readable by anyone.
      // Checked here rather than in the constructor, which would cost a
      // scalar multiplication per recipient.
      if (shared === null) throw new UsageError("X25519 recipient: the public key is a low-order point");
      key = wrapKey(shared, share, this.#publicKey);
      const body = aead().seal(key, ZERO_NONCE, fileKey);
      return [{ type: X25519_STANZA_TYPE, args: [encodeBase64(share)], body }];
    } finally {
      ephemeral.fill(0);
      shared?.fill(0);
      key?.fill(0);
    }
  }
}

/** Decrypts file keys wrapped to an X25519 key (an `AGE-SECRET-KEY-1…` identity). */
export class X25519Identity implements Identity {
  readonly #secretKey: Uint8Array;
  readonly #publicKey: Uint8Array;

  /** `secretKey` is the 32-byte X25519 scalar (clamped at use, per RFC 7748). */
  constructor(secretKey: Uint8Array) {
    if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) {
      throw new UsageError(`X25519 identity: expected a 32-byte secret key, got ${secretKey?.length} bytes`);
    }
    this.#secretKey = secretKey.slice();
    this.#publicKey = x25519PublicKey(this.#secretKey);
  }

  /** A new random identity. */
  static generate(): X25519Identity {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    try {
      return new X25519Identity(secret);
    } finally {
      secret.fill(0);
    }
  }

  /** Parses an `AGE-SECRET-KEY-1…` string. Throws UsageError (never echoing the key). */
  static fromString(s: string): X25519Identity {
    const secret = decodeKeyString("X25519 identity", s, IDENTITY_HRP, 32);
    try {
      return new X25519Identity(secret);
    } finally {
      secret.fill(0);
    }
  }

  /** The `AGE-SECRET-KEY-1…` string (secret: handle with care). */
  encode(): string {
    return encodeBech32(IDENTITY_HRP, this.#secretKey);
  }

  /** The matching recipient. */
  recipient(): X25519Recipient {
    return new X25519Recipient(this.#publicKey);
  }

  /**
   * The file key from the first X25519 stanza that opens under this key;
   * null when none does. Throws HeaderParseError for a malformed X25519
   * stanza (argument count, share encoding, body length) or a share that
   * yields an all-zero shared secret, as the spec requires.
   */
  unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null {
    for (let i = 0; i < stanzas.length; i++) {
      const s = stanzas[i]!;
      if (s.type !== X25519_STANZA_TYPE) continue;
      const where = `X25519 stanza (#${i + 1})`;
      if (s.args.length !== 1) throw new HeaderParseError(`${where}: expected 1 argument, got ${s.args.length}`);
      const share = decodeBase64(s.args[0]!);
      if (share === null) throw new HeaderParseError(`${where}: share is not canonical unpadded base64`);
      if (share.length !== 32) throw new HeaderParseError(`${where}: share must be 32 bytes, got ${share.length}`);
      // Length first, before any crypto (partitioning-oracle mitigation).
      if (s.body.length !== BODY_LEN) throw new HeaderParseError(`${where}: body must be ${BODY_LEN} bytes, got ${s.body.length}`);
      const shared = sharedSecret(this.#secretKey, share);
      if (shared === null) throw new HeaderParseError(`${where}: share is a low-order point (all-zero shared secret)`);
      const key = wrapKey(shared, share, this.#publicKey);
      try {
        const fileKey = aead().open(key, ZERO_NONCE, s.body);
        if (fileKey !== null) return fileKey;
      } finally {
        shared.fill(0);
        key.fill(0);
      }
    }
    return null;
  }
}
