// Pure-JS ChaCha20-Poly1305 (@noble/ciphers) for engines without WebAssembly.
// Same contract as the WASM core; slower, but well-kept and audited.
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import type { AeadBackend } from "./backend.js";
import { streamNonce } from "./nonce.js";

function open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array | null {
  try {
    return chacha20poly1305(key, nonce, aad).decrypt(sealed);
  } catch {
    return null; // noble throws on a tag mismatch; our contract is null
  }
}

function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
  return chacha20poly1305(key, nonce, aad).encrypt(plaintext);
}

export const jsAead: AeadBackend = {
  seal,
  open,
  sealChunk(key, counter, final, plaintext, prefix = 0) {
    const sealed = seal(key, streamNonce(counter, final), plaintext);
    if (prefix === 0) return sealed;
    const out = new Uint8Array(prefix + sealed.length);
    out.set(sealed, prefix);
    return out;
  },
  openChunk: (key, counter, final, sealed) => open(key, streamNonce(counter, final), sealed),
  sealChunks(key, counter, plaintext, chunkSize) {
    const out: Uint8Array[] = [];
    for (let i = 0; i * chunkSize < plaintext.length; i++) {
      out.push(seal(key, streamNonce(counter + i, false), plaintext.subarray(i * chunkSize, (i + 1) * chunkSize)));
    }
    return out;
  },
  sealChunksInto(key, counter, plaintext, chunkSize, out, offset, prefix = 0) {
    for (let i = 0; i * chunkSize < plaintext.length; i++) {
      const sealed = seal(key, streamNonce(counter + i, false), plaintext.subarray(i * chunkSize, (i + 1) * chunkSize));
      out.set(sealed, offset + i * (prefix + chunkSize + 16) + prefix);
    }
  },
  openChunks(key, counter, sealed, chunkSize) {
    const stride = chunkSize + 16;
    const out: Uint8Array[] = [];
    for (let i = 0; i * stride < sealed.length; i++) {
      const pt = open(key, streamNonce(counter + i, false), sealed.subarray(i * stride, (i + 1) * stride));
      if (pt === null) break;
      out.push(pt);
    }
    return out;
  },
};
