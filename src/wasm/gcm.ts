// AES-256-GCM (NIST SP 800-38D) and XChaCha20-Poly1305
// (draft-irtf-cfrg-xchacha-03) over the WebAssembly core (assembly/gcm/):
// the NonceAead backends of src/crypto/backend.ts. They share the long-lived
// instance and I/O window of the ChaCha20-Poly1305 facade (aead.ts).
//
// seal/open come from one-shot.ts. The core wipes its key windows before
// every return. AES-256-GCM zeroes the I/O window after every seal and open
// (it held plaintext): it is slow enough that the memset costs little.
// XChaCha20-Poly1305 follows ChaCha20-Poly1305's policy (aead.ts): the
// window is zeroed after a failed open and after plaintexts of up to 64
// bytes (which may be keys); a longer one stays until the next call, as
// SECURITY.md says of the window.
import type { NonceAead } from "../crypto/backend.js";
import { assertBytes } from "../errors.js";
import { onCoreInstance } from "./aead.js";
import { checkLength } from "./io-window.js";
import { ioWindow } from "./io-window.js";
import { oneShot } from "./one-shot.js";

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

/** AES-256-GCM (12-byte IV, 16-byte tag) over one instance of the core (tests pass the scalar build's). */
export function gcmOver(instance: WebAssembly.Instance): NonceAead {
  const x = instance.exports as unknown as GcmExports;
  const keyAt = x.gcm_key_ptr();
  return oneShot(x, { keyAt, nonceAt: keyAt + 32, nonceLength: 12, seal: x.gcm_seal, open: x.gcm_open, wipeUpTo: Infinity });
}

/** XChaCha20-Poly1305 (24-byte nonce, 16-byte tag) over one instance of the core. */
export function xchachaOver(instance: WebAssembly.Instance): NonceAead {
  const x = instance.exports as unknown as GcmExports;
  return oneShot(x, {
    keyAt: x.aead_key_ptr(), nonceAt: x.xchacha_nonce_ptr(), nonceLength: 24, seal: x.xchacha_seal, open: x.xchacha_open, wipeUpTo: 64,
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

/** AES-256-GCM on the shared instance, or null where the core cannot be instantiated (then the pure-JS path). */
export const wasmGcm: () => NonceAead | null = /* @__PURE__ */ onCoreInstance(gcmOver);

/** XChaCha20-Poly1305 on the shared instance, or null (see wasmGcm). */
export const wasmXChaCha: () => NonceAead | null = /* @__PURE__ */ onCoreInstance(xchachaOver);
