// RSA-OAEP with SHA-256 and a label (RFC 8017 §7.1), as age's ssh-rsa
// recipient type uses it. No big-number RSA of our own: the host does it.
// The main entry's backend is WebCrypto, which is asynchronous (its results
// are Promises, for the asynchronous paths); age-rt/node and the CLI pass
// the node:crypto backend (src/node/rsa-oaep.ts), which is synchronous.
// Keys travel as JWK, which both hosts import.
import { encodeBase64 } from "../format/base64.js";
import { bigintToBytes } from "../format/ssh-wire.js";

export interface RsaPublicJwk {
  kty: "RSA";
  n: string;
  e: string;
}
export interface RsaPrivateJwk extends RsaPublicJwk {
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
}

export interface RsaOaepBackend {
  encrypt(key: RsaPublicJwk, plaintext: Uint8Array, label: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** The plaintext, or null when the ciphertext does not decrypt under this key. */
  decrypt(key: RsaPrivateJwk, ciphertext: Uint8Array, label: Uint8Array): Uint8Array | null | Promise<Uint8Array | null>;
}

/** base64url without padding, as JWK writes integers (big-endian, minimal). */
export function jwkInt(v: bigint): string {
  return encodeBase64(bigintToBytes(v)).replace(/\+/g, "-").replace(/\//g, "_");
}

/** The JWK of an RSA private key from its SSH fields (n, e, d, iqmp, p, q). */
export function rsaPrivateJwk(n: bigint, e: bigint, d: bigint, iqmp: bigint, p: bigint, q: bigint): RsaPrivateJwk {
  return {
    kty: "RSA", n: jwkInt(n), e: jwkInt(e), d: jwkInt(d), p: jwkInt(p), q: jwkInt(q),
    dp: jwkInt(d % (p - 1n)), dq: jwkInt(d % (q - 1n)), qi: jwkInt(iqmp),
  };
}

const ALG = { name: "RSA-OAEP", hash: "SHA-256" } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new Error("ssh-rsa needs WebCrypto (crypto.subtle), which this host does not have");
  return s;
}

export const webCryptoRsaOaep: RsaOaepBackend = {
  async encrypt(key, plaintext, label) {
    const k = await subtle().importKey("jwk", { ...key, alg: "RSA-OAEP-256", ext: true }, ALG, false, ["encrypt"]);
    return new Uint8Array(await subtle().encrypt({ name: "RSA-OAEP", label: label as BufferSource }, k, plaintext as BufferSource));
  },
  async decrypt(key, ciphertext, label) {
    const k = await subtle().importKey("jwk", { ...key, alg: "RSA-OAEP-256", ext: true }, ALG, false, ["decrypt"]);
    try {
      return new Uint8Array(await subtle().decrypt({ name: "RSA-OAEP", label: label as BufferSource }, k, ciphertext as BufferSource));
    } catch {
      return null;
    }
  },
};
