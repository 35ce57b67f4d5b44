// HPKE base mode (RFC 9180) as age's post-quantum and tagged recipient types
// use it (C2SP age.md "mlkem768x25519 recipient stanza", "p256tag recipient
// stanza"): KDF HKDF-SHA256, AEAD ChaCha20Poly1305, one message per context,
// so the nonce is base_nonce itself (§5.2, sequence number 0). The KEM is a
// parameter (src/crypto/kems.ts); this file knows only the key schedule.
// The ChaCha20-Poly1305 is passed in too (the library's AEAD backend), since
// this module lives in the browser bundle's lazily loaded post-quantum file.
import { hkdfExpand, hkdfExtract } from "./hmac-sha256.js";
import { concat } from "../format/bytes.js";
import { utf8Encode } from "../format/text.js";
import type { AeadBackend } from "./backend.js";

/** A KEM as HPKE sees it (RFC 9180 §4): an id for the suite, Encap, and Decap. */
export interface Kem {
  /** The KEM's two-byte HPKE identifier (§7.1, draft-ietf-hpke-pq). */
  readonly id: number;
  encapsulate(publicKey: Uint8Array): { enc: Uint8Array; sharedSecret: Uint8Array };
  decapsulate(enc: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

/** A @noble/post-quantum KEM (cipherText/sharedSecret) as HPKE's Kem, under its HPKE id. */
export function nobleKem(
  id: number,
  kem: { encapsulate(pk: Uint8Array): { cipherText: Uint8Array; sharedSecret: Uint8Array }; decapsulate(ct: Uint8Array, sk: Uint8Array): Uint8Array },
): Kem {
  return {
    id,
    encapsulate(publicKey) {
      const { cipherText, sharedSecret } = kem.encapsulate(publicKey);
      return { enc: cipherText, sharedSecret };
    },
    decapsulate: (enc, secretKey) => kem.decapsulate(enc, secretKey),
  };
}

const KDF_HKDF_SHA256 = 0x0001;
const AEAD_CHACHA20POLY1305 = 0x0003;
const HPKE_V1 = utf8Encode("HPKE-v1");
const EMPTY = new Uint8Array(0);

/** "HPKE" || kem_id || kdf_id || aead_id (§5.1), or "KEM" || kem_id inside a DHKEM (§4.1). */
export function suiteId(prefix: "HPKE" | "KEM", kemId: number): Uint8Array {
  const p = utf8Encode(prefix);
  const out = new Uint8Array(p.length + (prefix === "HPKE" ? 6 : 2));
  out.set(p);
  const v = new DataView(out.buffer);
  v.setUint16(p.length, kemId);
  if (prefix === "HPKE") {
    v.setUint16(p.length + 2, KDF_HKDF_SHA256);
    v.setUint16(p.length + 4, AEAD_CHACHA20POLY1305);
  }
  return out;
}

/** LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm) (§4). */
export function labeledExtract(suite: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return hkdfExtract(concat(HPKE_V1, suite, utf8Encode(label), ikm), salt);
}

/** LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L) (§4). */
export function labeledExpand(suite: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array {
  return hkdfExpand(prk, concat(Uint8Array.of(length >> 8, length & 0xff), HPKE_V1, suite, utf8Encode(label), info), length);
}

/** KeySchedule for mode_base with no PSK (§5.1): the AEAD key and base nonce. */
function keySchedule(kemId: number, sharedSecret: Uint8Array, info: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const suite = suiteId("HPKE", kemId);
  const pskIdHash = labeledExtract(suite, EMPTY, "psk_id_hash", EMPTY);
  const infoHash = labeledExtract(suite, EMPTY, "info_hash", info);
  const context = concat(Uint8Array.of(0x00), pskIdHash, infoHash); // mode_base
  const secret = labeledExtract(suite, sharedSecret, "secret", EMPTY);
  try {
    return {
      key: labeledExpand(suite, secret, "key", context, 32),
      nonce: labeledExpand(suite, secret, "base_nonce", context, 12),
    };
  } finally {
    secret.fill(0);
  }
}

/** SealBase(pkR, info, aad = "", pt) (§6.1): the encapsulated key and the ciphertext. */
export function sealBase(
  aead: AeadBackend, kem: Kem, publicKey: Uint8Array, info: Uint8Array, plaintext: Uint8Array,
): { enc: Uint8Array; ciphertext: Uint8Array } {
  const { enc, sharedSecret } = kem.encapsulate(publicKey);
  const { key, nonce } = keySchedule(kem.id, sharedSecret, info);
  try {
    return { enc, ciphertext: aead.seal(key, nonce, plaintext) };
  } finally {
    sharedSecret.fill(0);
    key.fill(0);
  }
}

/** OpenBase(enc, skR, info, aad = "", ct) (§6.1): the plaintext, or null when it does not authenticate. */
export function openBase(
  aead: AeadBackend, kem: Kem, enc: Uint8Array, secretKey: Uint8Array, info: Uint8Array, ciphertext: Uint8Array,
): Uint8Array | null {
  const sharedSecret = kem.decapsulate(enc, secretKey);
  const { key, nonce } = keySchedule(kem.id, sharedSecret, info);
  try {
    return aead.open(key, nonce, ciphertext);
  } finally {
    sharedSecret.fill(0);
    key.fill(0);
  }
}
