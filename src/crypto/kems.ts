// The three KEMs of age's HPKE-based recipient types (C2SP age.md), as
// src/crypto/hpke.ts takes them:
//   MLKEM768-X25519 (X-Wing), id 0x647a — mlkem768x25519 stanzas;
//   MLKEM768-P256, id 0x0050 — mlkem768p256tag stanzas;
//   DHKEM(P-256, HKDF-SHA256), id 0x0010 (RFC 9180 §4.1) — p256tag stanzas.
// The hybrid KEMs come whole from @noble/post-quantum (no home-made ML-KEM);
// DHKEM is written here over @noble/curves' P-256, since it is three lines
// of RFC 9180 around an ECDH. This module is heavy (ML-KEM, SHA-3, P-256):
// the browser bundle loads it only when a post-quantum or tagged key appears
// (src/crypto/pq.ts).
import { p256 } from "@noble/curves/nist.js";
import { ml_kem768_p256, ml_kem768_x25519 } from "@noble/post-quantum/hybrid.js";
import { concat } from "../format/bytes.js";
import { labeledExpand, labeledExtract, suiteId, type Kem } from "./hpke.js";

type NobleKem = typeof ml_kem768_x25519;

function fromNoble(id: number, kem: NobleKem): Kem {
  return {
    id,
    encapsulate(publicKey) {
      const { cipherText, sharedSecret } = kem.encapsulate(publicKey);
      return { enc: cipherText, sharedSecret };
    },
    decapsulate: (enc, secretKey) => kem.decapsulate(enc, secretKey),
  };
}

export const mlkem768x25519: Kem = fromNoble(0x647a, ml_kem768_x25519);
export const mlkem768p256: Kem = fromNoble(0x0050, ml_kem768_p256);

const DHKEM_P256 = 0x0010;
const KEM_SUITE = suiteId("KEM", DHKEM_P256);

/** ExtractAndExpand(dh, kem_context) of DHKEM (RFC 9180 §4.1). */
function dhkemSharedSecret(dh: Uint8Array, enc: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const prk = labeledExtract(KEM_SUITE, new Uint8Array(0), "eae_prk", dh);
  try {
    return labeledExpand(KEM_SUITE, prk, "shared_secret", concat(enc, publicKey), 32);
  } finally {
    prk.fill(0);
  }
}

/** DHKEM(P-256, HKDF-SHA256); public keys and enc are uncompressed points (65 bytes). */
export const dhkemP256: Kem = {
  id: DHKEM_P256,
  encapsulate(publicKey) {
    const ephemeral = p256.utils.randomSecretKey();
    try {
      const enc = p256.getPublicKey(ephemeral, false);
      // DH output: the x-coordinate of the shared point (RFC 9180 §7.1.3), i.e. a compressed point without its prefix byte.
      const dh = p256.getSharedSecret(ephemeral, publicKey, true).subarray(1);
      return { enc, sharedSecret: dhkemSharedSecret(dh, enc, publicKey) };
    } finally {
      ephemeral.fill(0);
    }
  },
  decapsulate(enc, secretKey) {
    const dh = p256.getSharedSecret(secretKey, enc, true).subarray(1);
    return dhkemSharedSecret(dh, enc, p256.getPublicKey(secretKey, false));
  },
};

/** The uncompressed form of a compressed (33-byte) P-256 point; throws if it is not on the curve. */
export function decompressP256(point: Uint8Array): Uint8Array {
  return p256.Point.fromBytes(point).toBytes(false);
}

/** ML-KEM-768 + X25519 (X-Wing) public key of a 32-byte seed (the age identity). */
export function mlkem768x25519PublicKey(seed: Uint8Array): Uint8Array {
  return ml_kem768_x25519.getPublicKey(seed);
}
