// Pure-JS AES-256-GCM and XChaCha20-Poly1305 (@noble/ciphers) for engines
// without WebAssembly: the NonceAead contract of backend.ts (null on a tag
// mismatch instead of noble's exception). noble's AES is table-based, so in
// those engines AES-256-GCM is not constant time (SECURITY.md).
import { gcm } from "@noble/ciphers/aes.js";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import type { NonceAead } from "./backend.js";

type Cipher = (key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array) => {
  encrypt(data: Uint8Array): Uint8Array;
  decrypt(data: Uint8Array): Uint8Array;
};

function over(cipher: Cipher, nonceLength: number): NonceAead {
  return {
    nonceLength,
    seal: (key, nonce, plaintext, aad) => cipher(key, nonce, aad).encrypt(plaintext),
    open(key, nonce, sealed, aad) {
      try {
        return cipher(key, nonce, aad).decrypt(sealed);
      } catch {
        return null; // noble throws on a tag mismatch (and on input shorter than a tag)
      }
    },
  };
}

export const jsGcm: NonceAead = over(gcm, 12);
export const jsXChaCha: NonceAead = over(xchacha20poly1305, 24);
