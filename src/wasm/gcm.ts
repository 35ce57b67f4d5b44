// AES-256-GCM (NIST SP 800-38D) and XChaCha20-Poly1305
// (draft-irtf-cfrg-xchacha-03) over the WebAssembly core (assembly/gcm/):
// the NonceAead backends of src/crypto/backend.ts. They share the long-lived
// instance and I/O window of the ChaCha20-Poly1305 facade (aead.ts).
//
// Like aead.ts's seal/open: one copy in (key, nonce, data, AAD), the core
// works in place, one copy out. The core wipes its key windows before every
// return; the I/O window is zeroed after an open (it held plaintext) and
// after a failed one.
import type { NonceAead } from "../crypto/backend.js";
import { UsageError, assertBytes } from "../errors.js";
import { checkLength, coreInstance } from "./aead.js";
import { ioWindow } from "./io-window.js";

/** The exports of assembly/gcm/index.ts (calling convention described there). */
interface GcmExports {
  readonly memory: WebAssembly.Memory;
  aead_reserve(bytes: number): number;
  aead_key_ptr(): number;
  gcm_key_ptr(): number;
  gcm_seal(aad: number, aadLen: number, data: number, len: number): void;
  gcm_open(aad: number, aadLen: number, data: number, len: number): number;
  xchacha_nonce_ptr(): number;
  xchacha_seal(aad: number, aadLen: number, data: number, len: number): void;
  xchacha_open(aad: number, aadLen: number, data: number, len: number): number;
  hchacha20_raw(out: number): void;
  aes_sbox_raw(p: number): void;
  aes256_block_raw(p: number): void;
  ghash_raw(h: number, msg: number, n: number, out: number): void;
}

const TAG = 16;

interface Entry {
  keyAt: number;
  nonceAt: number;
  nonceLength: number;
  seal(aad: number, aadLen: number, data: number, len: number): void;
  open(aad: number, aadLen: number, data: number, len: number): number;
}

/** seal/open around one pair of core entry points. */
function nonceAead(x: GcmExports, entry: Entry): NonceAead {
  const { io, view } = ioWindow(x);
  const { keyAt, nonceAt, nonceLength } = entry;

  /** If a call traps, the core had no chance to wipe: the facade zeroes the key and nonce slots. */
  function wipeKey(error: unknown): unknown {
    const m = new Uint8Array(x.memory.buffer);
    m.fill(0, keyAt, keyAt + 32);
    m.fill(0, nonceAt, nonceAt + nonceLength);
    return error;
  }

  /** Seals in the I/O window; returns the view (ciphertext || tag at io). */
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
      m.fill(0, io, io + plaintext.length); // the window held plaintext
      return out;
    },
    sealInto(key, nonce, plaintext, aad, out, offset) {
      assertBytes("out", out);
      if (!Number.isSafeInteger(offset) || offset < 0 || offset + plaintext.length + TAG > out.length) {
        throw new UsageError(`out expected room for ${plaintext.length + TAG} bytes at offset ${offset}, has ${out.length}`);
      }
      const m = sealInWindow(key, nonce, plaintext, aad);
      out.set(m.subarray(io, io + plaintext.length + TAG), offset);
      m.fill(0, io, io + plaintext.length);
    },
    open(key, nonce, sealed, aad) {
      checkLength("key", key, 32);
      checkLength("nonce", nonce, nonceLength);
      assertBytes("sealed", sealed);
      if (aad !== undefined) assertBytes("aad", aad);
      if (sealed.length < TAG) return null;
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
      m.fill(0, io, aadAt + aadLen);
      return plaintext;
    },
  };
}

/** AES-256-GCM (12-byte IV, 16-byte tag) over one instance of the core (tests pass the scalar build's). */
export function gcmOver(instance: WebAssembly.Instance): NonceAead {
  const x = instance.exports as unknown as GcmExports;
  const keyAt = x.gcm_key_ptr();
  return nonceAead(x, { keyAt, nonceAt: keyAt + 32, nonceLength: 12, seal: x.gcm_seal, open: x.gcm_open });
}

/** XChaCha20-Poly1305 (24-byte nonce, 16-byte tag) over one instance of the core. */
export function xchachaOver(instance: WebAssembly.Instance): NonceAead {
  const x = instance.exports as unknown as GcmExports;
  return nonceAead(x, {
    keyAt: x.aead_key_ptr(), nonceAt: x.xchacha_nonce_ptr(), nonceLength: 24, seal: x.xchacha_seal, open: x.xchacha_open,
  });
}

/** The raw primitives behind them, for known-answer tests (FIPS 197, SP 800-38D, the XChaCha draft). */
export function gcmPrimitivesOver(instance: WebAssembly.Instance) {
  const x = instance.exports as unknown as GcmExports;
  const { io, view } = ioWindow(x);
  return {
    /** The S-box of each of 16 bytes, computed by the bitsliced circuit. */
    sbox(bytes: Uint8Array): Uint8Array {
      checkLength("bytes", bytes, 16);
      const m = view(16);
      m.set(bytes, io);
      x.aes_sbox_raw(io);
      return m.slice(io, io + 16);
    },
    /** AES-256 encryption of one block. */
    aes256(key: Uint8Array, block: Uint8Array): Uint8Array {
      checkLength("key", key, 32);
      checkLength("block", block, 16);
      const m = view(16);
      m.set(key, x.gcm_key_ptr());
      m.set(block, io);
      x.aes256_block_raw(io);
      return m.slice(io, io + 16);
    },
    /** GHASH_H of whole blocks. */
    ghash(h: Uint8Array, msg: Uint8Array): Uint8Array {
      checkLength("h", h, 16);
      assertBytes("msg", msg);
      const m = view(msg.length + 32);
      m.set(msg, io);
      m.set(h, io + msg.length);
      x.ghash_raw(io + msg.length, io, msg.length >> 4, io + msg.length + 16);
      return m.slice(io + msg.length + 16, io + msg.length + 32);
    },
    /** HChaCha20 of a key and a 16-byte input. */
    hchacha20(key: Uint8Array, input: Uint8Array): Uint8Array {
      checkLength("key", key, 32);
      checkLength("input", input, 16);
      const m = view(32);
      m.set(key, x.aead_key_ptr());
      m.set(input, x.xchacha_nonce_ptr());
      x.hchacha20_raw(io);
      return m.slice(io, io + 32);
    },
  };
}

let gcmShared: NonceAead | null = null;
let xchachaShared: NonceAead | null = null;

/** AES-256-GCM on the shared instance, or null where the core cannot be instantiated (then the pure-JS path). */
export function wasmGcm(): NonceAead | null {
  if (gcmShared !== null) return gcmShared;
  const instance = coreInstance();
  if (instance === null) return null;
  gcmShared = gcmOver(instance);
  return gcmShared;
}

/** XChaCha20-Poly1305 on the shared instance, or null (see wasmGcm). */
export function wasmXChaCha(): NonceAead | null {
  if (xchachaShared !== null) return xchachaShared;
  const instance = coreInstance();
  if (instance === null) return null;
  xchachaShared = xchachaOver(instance);
  return xchachaShared;
}
