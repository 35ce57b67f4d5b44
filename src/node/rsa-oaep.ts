// RSA-OAEP-SHA-256 with a label through node:crypto (OpenSSL): the
// synchronous backend of src/crypto/rsa-oaep.ts, for age-rt/node and the CLI.
import type { KeyObject } from "node:crypto";
import { createRequire } from "node:module";
import type { RsaOaepBackend, RsaPrivateJwk, RsaPublicJwk } from "../crypto/rsa-oaep.js";

// Importing a key costs more than using it; a key is used once per file but
// an identity may be tried on many.
const keys = new WeakMap<object, KeyObject>();

// node:crypto is required at first use: the CLI has this backend at hand at
// every start but uses it only for ssh-rsa keys.
let nodeCrypto: typeof import("node:crypto") | null = null;
const crypto = () => (nodeCrypto ??= createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto"));

function keyObject(jwk: RsaPublicJwk | RsaPrivateJwk, priv: boolean): KeyObject {
  let k = keys.get(jwk);
  if (k === undefined) {
    k = priv ? crypto().createPrivateKey({ key: { ...jwk }, format: "jwk" }) : crypto().createPublicKey({ key: { ...jwk }, format: "jwk" });
    keys.set(jwk, k);
  }
  return k;
}

export const nodeRsaOaep: RsaOaepBackend = {
  encrypt(key, plaintext, label) {
    const { publicEncrypt, constants } = crypto();
    return new Uint8Array(publicEncrypt({ key: keyObject(key, false), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: label }, plaintext));
  },
  decrypt(key, ciphertext, label) {
    const { privateDecrypt, constants } = crypto();
    try {
      return new Uint8Array(privateDecrypt({ key: keyObject(key, true), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: label }, ciphertext));
    } catch {
      return null;
    }
  },
};
