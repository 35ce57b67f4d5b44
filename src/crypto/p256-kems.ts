// The KEMs of age's tagged recipient types (C2SP age.md "The tagged recipient
// types"): DHKEM(P-256, HKDF-SHA256), id 0x0010 (RFC 9180 §4.1), written here
// over @noble/curves' P-256, and MLKEM768-P256, id 0x0050, whole from
// @noble/post-quantum.
import { p256 } from "@noble/curves/nist.js";
import { ml_kem768_p256 } from "@noble/post-quantum/hybrid.js";
import { concat } from "../format/bytes.js";
import { labeledExpand, labeledExtract, nobleKem, suiteId, type Kem } from "./hpke.js";

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

/** DH(sk, pk): the x-coordinate of the shared point (RFC 9180 §7.1.3), a compressed point without its prefix. */
function dh(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return p256.getSharedSecret(secretKey, publicKey, true).subarray(1);
}

/** DHKEM(P-256, HKDF-SHA256); public keys and enc are uncompressed points (65 bytes). */
export const dhkemP256: Kem = {
  id: DHKEM_P256,
  encapsulate(publicKey) {
    const ephemeral = p256.utils.randomSecretKey();
    try {
      const enc = p256.getPublicKey(ephemeral, false);
      return { enc, sharedSecret: dhkemSharedSecret(dh(ephemeral, publicKey), enc, publicKey) };
    } finally {
      ephemeral.fill(0);
    }
  },
  decapsulate: (enc, secretKey) => dhkemSharedSecret(dh(secretKey, enc), enc, p256.getPublicKey(secretKey, false)),
};

export const mlkem768p256: Kem = nobleKem(0x0050, ml_kem768_p256);

/** The uncompressed form of a compressed (33-byte) P-256 point; throws if it is not on the curve. */
export function decompressP256(point: Uint8Array): Uint8Array {
  return p256.Point.fromBytes(point).toBytes(false);
}
