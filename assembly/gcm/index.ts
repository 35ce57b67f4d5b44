// Exports of the AES-256-GCM core (NIST SP 800-38D) and of XChaCha20-Poly1305
// (draft-irtf-cfrg-xchacha-03), used by src/wasm/gcm.ts.
//
// AES-256-GCM: the caller writes the 32-byte key at gcm_key_ptr() and the
// 12-byte IV right after it. XChaCha20-Poly1305: the caller writes the key at
// aead_key_ptr() (as for ChaCha20-Poly1305) and the 24-byte nonce at
// xchacha_nonce_ptr(). Data goes into the shared I/O window (aead_reserve).
// Every entry point wipes all key material and scratch before returning.
import { GKEY, XNONCE, gwipe } from "./memory";
import { gcmSeal, gcmOpen } from "./gcm";
import { hchacha20 } from "./hchacha20";
import { KEY, NONCE, wipe } from "../aead/memory";
import { seal, open } from "../aead/aead";
import { expandKey, encryptBatch, subBlocks } from "./aes";
import { BLOCKS } from "./memory";
import { ghashInit, ghashResult } from "./ghash";
import { ghashWhole } from "./ghash-lanes";

/** Address of the 32-byte AES key; the 12-byte IV goes at +32. */
export function gcm_key_ptr(): usize {
  return GKEY;
}

/** AES-256-GCM seal in place: len bytes at data, tag written at data + len. */
export function gcm_seal(aad: usize, aadLen: usize, data: usize, len: usize): void {
  gcmSeal(aad, aadLen, data, len);
  gwipe();
}

/** AES-256-GCM open in place (tag at data + len): 1 and decrypted, or 0 and untouched. */
export function gcm_open(aad: usize, aadLen: usize, data: usize, len: usize): i32 {
  const ok = gcmOpen(aad, aadLen, data, len);
  gwipe();
  return ok ? 1 : 0;
}

/** Address of the 24-byte XChaCha20 nonce (the key goes at aead_key_ptr()). */
export function xchacha_nonce_ptr(): usize {
  return XNONCE;
}

/** Replaces the key at KEY by HChaCha20(key, nonce[0..16]) and sets NONCE = 0^4 || nonce[16..24]. */
function xchachaSetup(): void {
  hchacha20(XNONCE, KEY);
  store<u32>(NONCE, 0);
  store<u64>(NONCE + 4, load<u64>(XNONCE, 16));
}

/**
 * Zeroes what XChaCha20-Poly1305 leaves behind: the ChaCha20-Poly1305 scratch
 * (where the subkey went) and the nonce; none of the AES-256-GCM block is
 * touched, so a 3.4 KB gwipe() per message would be wasted work.
 */
function xwipe(): void {
  wipe();
  store<u64>(XNONCE, 0);
  store<u64>(XNONCE, 0, 8);
  store<u64>(XNONCE, 0, 16);
}

/** XChaCha20-Poly1305 seal in place: len bytes at data, tag written at data + len. */
export function xchacha_seal(aad: usize, aadLen: usize, data: usize, len: usize): void {
  xchachaSetup();
  seal(aad, aadLen, data, data, len);
  xwipe();
}

/** XChaCha20-Poly1305 open in place: 1 and decrypted, or 0 and untouched. */
export function xchacha_open(aad: usize, aadLen: usize, data: usize, len: usize): i32 {
  xchachaSetup();
  const ok = open(aad, aadLen, data, data, len);
  xwipe();
  return ok ? 1 : 0;
}

// Raw primitives for known-answer tests.

/** HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): key at aead_key_ptr(), 16-byte input at xchacha_nonce_ptr(), 32 bytes to out. */
export function hchacha20_raw(out: usize): void {
  hchacha20(XNONCE, out);
  wipe();
  gwipe();
}

/** The AES S-box applied through the bitsliced circuit to 16 bytes at p (in place). */
export function aes_sbox_raw(p: usize): void {
  memory.fill(BLOCKS, 0, 128);
  memory.copy(BLOCKS, p, 16);
  subBlocks();
  memory.copy(p, BLOCKS, 16);
  gwipe();
}

/** AES-256 encryption of one 16-byte block at p in place (key at gcm_key_ptr()): FIPS 197 known answers. */
export function aes256_block_raw(p: usize): void {
  expandKey();
  memory.fill(BLOCKS, 0, 128);
  memory.copy(BLOCKS, p, 16);
  encryptBatch();
  memory.copy(p, BLOCKS, 16);
  gwipe();
}

/** GHASH (SP 800-38D §6.4) of n whole blocks at msg under the 16-byte H at h, 16 bytes to out. */
export function ghash_raw(h: usize, msg: usize, n: usize, out: usize): void {
  ghashInit(h);
  ghashWhole(msg, n);
  ghashResult(out);
  gwipe();
}
