// The ssh-ed25519 recipient type (age v1 spec, "SSH recipients"; Go age's
// agessh): an OpenSSH Ed25519 key used for X25519. The Edwards public key
// becomes a Montgomery u-coordinate (u = (1 + y) / (1 - y) mod p) and the
// secret key the X25519 scalar SHA-512(seed)[:32]; the shared secret is
// multiplied by a "tweak" scalar, HKDF-SHA-256(ikm = empty, salt = SSH key
// blob, info = label), that binds it to this SSH key. The stanza is
// `-> ssh-ed25519 TAG SHARE` where TAG is base64(SHA-256(SSH key blob)[:4]),
// and the body the file key sealed with ChaCha20-Poly1305 under
// HKDF-SHA-256(tweaked secret, salt = share || converted public key, label).
// The 16-byte seal is @noble/ciphers' (not the WebAssembly core's), so this
// module stands alone: the ESM browser bundle fetches the SSH code as a file
// of its own on first use (stanza-modules.ts).
import { invert, mod } from "@noble/curves/abstract/modular.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "../crypto/hmac-sha256.js";
import { sha256 } from "../crypto/sha256.js";
import { sharedSecret, x25519PublicKey } from "../crypto/x25519.js";
import { HeaderParseError, UsageError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "../format/base64.js";
import { concat } from "../format/bytes.js";
import { SshReader, sshString } from "../format/ssh-wire.js";
import type { Stanza } from "../format/stanza.js";
import { utf8Encode } from "../format/text.js";
import type { Identity, Recipient } from "./types.js";

export const SSH_ED25519 = "ssh-ed25519";
const LABEL = utf8Encode("age-encryption.org/v1/ssh-ed25519");
const ZERO_NONCE = new Uint8Array(12);
const BODY_LEN = 16 + 16;
const P = 2n ** 255n - 19n;

/** The stanza tag of an SSH key: the first 4 bytes of SHA-256 of its wire blob, base64. */
export function sshTag(blob: Uint8Array): string {
  return encodeBase64(sha256(blob).subarray(0, 4));
}

/** The 32-byte Ed25519 public key in an ssh-ed25519 wire blob. */
export function ed25519KeyFromBlob(blob: Uint8Array): Uint8Array {
  const r = new SshReader(blob, "malformed ssh-ed25519 key");
  if (r.text() !== SSH_ED25519) throw new UsageError("malformed ssh-ed25519 key: wrong key type");
  const key = r.string();
  if (key.length !== 32) throw new UsageError(`malformed ssh-ed25519 key: expected 32 bytes of key, got ${key.length}`);
  r.end();
  return key.slice();
}

export function ed25519Blob(publicKey: Uint8Array): Uint8Array {
  return concat(sshString(SSH_ED25519), sshString(publicKey));
}

/**
 * The Montgomery u-coordinate of an Ed25519 public key (RFC 7748 §4.1's
 * birational map). The encoding is y little-endian with x's sign in the top
 * bit, which the map does not need.
 */
export function ed25519ToX25519(publicKey: Uint8Array): Uint8Array {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? publicKey[i]! & 0x7f : publicKey[i]!);
  // y = 1 has no image (the denominator is 0): that point is the identity,
  // which no real key is; u = 0 then makes wrapping fail as low order.
  const u = y === 1n ? 0n : mod((1n + y) * invert(mod(1n - y, P), P), P);
  const out = new Uint8Array(32);
  let v = u;
  for (let i = 0; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

function tweak(blob: Uint8Array): Uint8Array {
  return hkdf(new Uint8Array(0), blob, LABEL, 32);
}

function wrappingKey(shared: Uint8Array, blob: Uint8Array, share: Uint8Array, theirs: Uint8Array): Uint8Array | null {
  const t = tweak(blob);
  const tweaked = sharedSecret(t, shared);
  shared.fill(0);
  if (tweaked === null) return null;
  try {
    return hkdf(tweaked, concat(share, theirs), LABEL, 32);
  } finally {
    tweaked.fill(0);
  }
}

/** Encrypts file keys to an ssh-ed25519 public key. */
export class SshEd25519Recipient implements Recipient {
  readonly #blob: Uint8Array;
  readonly #montgomery: Uint8Array;
  readonly #tag: string;

  /** `blob` is the key's SSH wire encoding (the base64 of an id_ed25519.pub line, decoded). */
  constructor(blob: Uint8Array) {
    const key = ed25519KeyFromBlob(blob);
    this.#blob = blob.slice();
    this.#montgomery = ed25519ToX25519(key);
    this.#tag = sshTag(blob);
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] {
    if (fileKey.length !== 16) throw new UsageError(`ssh-ed25519 wrap: expected a 16-byte file key, got ${fileKey.length} bytes`);
    const ephemeral = crypto.getRandomValues(new Uint8Array(32));
    try {
      const share = x25519PublicKey(ephemeral);
      const shared = sharedSecret(ephemeral, this.#montgomery);
      const key = shared && wrappingKey(shared, this.#blob, share, this.#montgomery);
      if (key === null) throw new UsageError("ssh-ed25519 recipient: the key is a low-order point");
      try {
        return [{ type: SSH_ED25519, args: [this.#tag, encodeBase64(share)], body: chacha20poly1305(key, ZERO_NONCE).encrypt(fileKey) }];
      } finally {
        key.fill(0);
      }
    } finally {
      ephemeral.fill(0);
    }
  }
}

/** Decrypts file keys wrapped to an ssh-ed25519 key, from its 32-byte seed. */
export class SshEd25519Identity implements Identity {
  readonly #scalar: Uint8Array;
  readonly #montgomery: Uint8Array;
  readonly #blob: Uint8Array;
  readonly #tag: string;

  /** `seed` is the Ed25519 private key seed; `publicKey` its Ed25519 public key (checked against the seed by the caller's format). */
  constructor(seed: Uint8Array, publicKey: Uint8Array) {
    if (seed.length !== 32 || publicKey.length !== 32) throw new UsageError("ssh-ed25519 identity: expected a 32-byte seed and public key");
    const h = sha512(seed);
    this.#scalar = h.slice(0, 32);
    h.fill(0);
    this.#montgomery = x25519PublicKey(this.#scalar);
    this.#blob = ed25519Blob(publicKey);
    this.#tag = sshTag(this.#blob);
    // The converted public key must be the scalar's: else the file's public
    // part and its secret part are different keys.
    const expected = ed25519ToX25519(publicKey);
    if (expected.some((b, i) => b !== this.#montgomery[i])) throw new UsageError("ssh-ed25519 identity: the public key does not match the private key");
  }

  /** The authorized_keys form of the public key, without comment. */
  get publicKeyBlob(): Uint8Array {
    return this.#blob.slice();
  }

  /**
   * The file key from the first ssh-ed25519 stanza for this key; null when
   * none is (another key's tag is not an error: skipped, as Go age does).
   * A stanza with this key's tag but the wrong shape throws HeaderParseError.
   */
  unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null {
    for (let i = 0; i < stanzas.length; i++) {
      const s = stanzas[i]!;
      if (s.type !== SSH_ED25519) continue;
      const where = `ssh-ed25519 stanza (#${i + 1})`;
      if (s.args.length !== 2) throw new HeaderParseError(`${where}: expected 2 arguments, got ${s.args.length}`);
      const share = decodeBase64(s.args[1]!);
      if (share === null || share.length !== 32) throw new HeaderParseError(`${where}: the share is not 32 bytes of canonical base64`);
      if (s.args[0] !== this.#tag) continue;
      if (s.body.length !== BODY_LEN) throw new HeaderParseError(`${where}: body must be ${BODY_LEN} bytes, got ${s.body.length}`);
      const shared = sharedSecret(this.#scalar, share);
      if (shared === null) throw new HeaderParseError(`${where}: the share is a low-order point`);
      const key = wrappingKey(shared, this.#blob, share, this.#montgomery);
      if (key === null) throw new HeaderParseError(`${where}: the tweaked secret is all zero`);
      try {
        let fileKey: Uint8Array;
        try {
          fileKey = chacha20poly1305(key, ZERO_NONCE).decrypt(s.body);
        } catch {
          continue; // not sealed under this key: not ours
        }
        return fileKey;
      } finally {
        key.fill(0);
      }
    }
    return null;
  }
}
