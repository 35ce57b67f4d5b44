// RSA-OAEP-SHA-256 with a label through node:crypto (OpenSSL): the
// synchronous backend of src/crypto/rsa-oaep.ts, for age-rt/node and the CLI.
import { constants, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, type KeyObject } from "node:crypto";
import type { RsaOaepBackend, RsaPrivateJwk, RsaPublicJwk } from "../crypto/rsa-oaep.js";

// Importing a key costs more than using it; a key is used once per file but
// an identity may be tried on many.
const keys = new WeakMap<object, KeyObject>();

function keyObject(jwk: RsaPublicJwk | RsaPrivateJwk, priv: boolean): KeyObject {
  let k = keys.get(jwk);
  if (k === undefined) {
    k = priv ? createPrivateKey({ key: { ...jwk }, format: "jwk" }) : createPublicKey({ key: { ...jwk }, format: "jwk" });
    keys.set(jwk, k);
  }
  return k;
}

export const nodeRsaOaep: RsaOaepBackend = {
  encrypt(key, plaintext, label) {
    return new Uint8Array(publicEncrypt({ key: keyObject(key, false), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: label }, plaintext));
  },
  decrypt(key, ciphertext, label) {
    try {
      return new Uint8Array(privateDecrypt({ key: keyObject(key, true), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: label }, ciphertext));
    } catch {
      return null;
    }
  },
};
