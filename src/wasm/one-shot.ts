// seal / open of a one-shot AEAD over one pair of core entry points (key
// and nonce written into fixed slots, data in the I/O window of
// io-window.ts), for ChaCha20-Poly1305 (aead.ts), AES-256-GCM and
// XChaCha20-Poly1305 (gcm.ts). One copy in
// (key, nonce, data, AAD), the core works in place, one copy out.
// ChaCha20-Poly1305's seal/open (aead.ts) are this too.
import type { NonceAead } from "../crypto/backend.js";
import { assertBytes } from "../errors.js";
import { checkLength, ioWindow, type IoExports } from "./io-window.js";

const TAG = 16;

export interface OneShotEntry {
  keyAt: number;
  nonceAt: number;
  nonceLength: number;
  seal(aad: number, aadLen: number, data: number, len: number): void;
  open(aad: number, aadLen: number, data: number, len: number): number;
  /**
   * Plaintexts up to this many bytes are zeroed out of the window after a
   * seal or an open (they may be keys: a stanza's file key); Infinity wipes
   * every one. Failed opens always wipe.
   */
  wipeUpTo: number;
}

export function oneShot(x: IoExports, entry: OneShotEntry): NonceAead {
  const { io, view } = ioWindow(x);
  const { keyAt, nonceAt, nonceLength, wipeUpTo } = entry;

  /** The core wipes its key slots before every return; if a call traps instead, the facade does. */
  function wipeKey(error: unknown): unknown {
    const m = new Uint8Array(x.memory.buffer);
    m.fill(0, keyAt, keyAt + 32);
    m.fill(0, nonceAt, nonceAt + nonceLength);
    return error;
  }

  /** Seals in the window; returns the view, ciphertext || tag at io. */
  function sealInWindow(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array | undefined): Uint8Array {
    checkLength("key", key, 32);
    checkLength("nonce", nonce, nonceLength);
    assertBytes("plaintext", plaintext);
    if (aad !== undefined) assertBytes("aad", aad);
    const len = plaintext.length;
    const aadLen = aad === undefined ? 0 : aad.length;
    const aadAt = io + len + TAG;
    const m = view(len + TAG + aadLen);
    m.set(key, keyAt);
    m.set(nonce, nonceAt);
    m.set(plaintext, io);
    if (aadLen !== 0) m.set(aad!, aadAt);
    try {
      entry.seal(aadAt, aadLen, io, len);
    } catch (error) {
      throw wipeKey(error);
    }
    return m;
  }

  return {
    nonceLength,
    seal(key, nonce, plaintext, aad) {
      const m = sealInWindow(key, nonce, plaintext, aad);
      const out = m.slice(io, io + plaintext.length + TAG);
      if (plaintext.length <= wipeUpTo) m.fill(0, io, io + plaintext.length);
      return out;
    },
    open(key, nonce, sealed, aad) {
      checkLength("key", key, 32);
      checkLength("nonce", nonce, nonceLength);
      assertBytes("sealed", sealed);
      if (aad !== undefined) assertBytes("aad", aad);
      if (sealed.length < TAG) return null; // too short to hold a tag: cannot authenticate
      const len = sealed.length - TAG;
      const aadLen = aad === undefined ? 0 : aad.length;
      const aadAt = io + sealed.length;
      const m = view(sealed.length + aadLen);
      m.set(key, keyAt);
      m.set(nonce, nonceAt);
      m.set(sealed, io);
      if (aadLen !== 0) m.set(aad!, aadAt);
      let ok = 0;
      try {
        ok = entry.open(aadAt, aadLen, io, len);
      } catch (error) {
        throw wipeKey(error);
      }
      const plaintext = ok === 0 ? null : m.slice(io, io + len);
      if (ok === 0 || len <= wipeUpTo) m.fill(0, io, aadAt + aadLen);
      return plaintext;
    },
  };
}
