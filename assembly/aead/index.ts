// Exports of the ChaCha20-Poly1305 core (RFC 8439), used by src/wasm/aead.ts.
//
// Calling convention: the caller writes the 32-byte key at aead_key_ptr()
// and, for the general AEAD, the 12-byte nonce right after it; data goes
// into the I/O window (aead_reserve). Every entry point wipes the key, nonce
// and all scratch before returning.
import { KEY, reserve, wipe } from "./memory";
import { seal, open } from "./aead";
import { sealChunk, openChunk, sealChunks, openChunks } from "./stream";
import { chachaBlock, chachaXor } from "./chacha20";
import { polyInit, polyMessage, polyFinish } from "./poly1305";

/** Address of the 32-byte key; the 12-byte nonce goes at +32. */
export function aead_key_ptr(): usize {
  return KEY;
}

/** Makes the I/O window at least `bytes` long; returns its address, or 0 if memory cannot grow. */
export function aead_reserve(bytes: usize): usize {
  return reserve(bytes);
}

/** RFC 8439 §2.8 seal in place: len bytes at data, tag written at data + len. */
export function aead_seal(aad: usize, aadLen: usize, data: usize, len: usize): void {
  seal(aad, aadLen, data, data, len);
  wipe();
}

/** RFC 8439 §2.8 open in place (tag at data + len): 1 and decrypted, or 0 and untouched. */
export function aead_open(aad: usize, aadLen: usize, data: usize, len: usize): i32 {
  const ok = open(aad, aadLen, data, data, len);
  wipe();
  return ok ? 1 : 0;
}

/** age STREAM: seals one chunk in place with counter hi:lo and the final flag. */
export function aead_stream_seal(data: usize, len: usize, hi: u32, lo: u32, final: u32): void {
  sealChunk(data, len, hi, lo, final);
  wipe();
}

/** age STREAM: opens one chunk in place; 1 when it authenticated, else 0 (nothing decrypted). */
export function aead_stream_open(data: usize, len: usize, hi: u32, lo: u32, final: u32): i32 {
  const ok = openChunk(data, len, hi, lo, final);
  wipe();
  return ok ? 1 : 0;
}

/** age STREAM: seals n non-final chunks (src contiguous, dst frames of size + 16). */
export function aead_stream_seal_chunks(src: usize, dst: usize, n: u32, size: usize, hi: u32, lo: u32): void {
  sealChunks(src, dst, n, size, hi, lo);
  wipe();
}

/** age STREAM: opens n non-final frames into contiguous plaintext; returns how many authenticated. */
export function aead_stream_open_chunks(src: usize, dst: usize, n: u32, size: usize, hi: u32, lo: u32): u32 {
  const opened = openChunks(src, dst, n, size, hi, lo);
  wipe();
  return opened;
}

// Raw primitives for the RFC 8439 test vectors (§2.3.2, §2.4.2, §2.5.2, A.1-A.3).

/** ChaCha20 block function (§2.3): the 64-byte block for `counter` at out. */
export function chacha20_block(counter: u32, out: usize): void {
  chachaBlock(counter, out);
  wipe();
}

/** ChaCha20 encryption (§2.4) in place from block `counter`. */
export function chacha20_xor(counter: u32, data: usize, len: usize): void {
  chachaXor(counter, data, data, len);
  wipe();
}

/** Poly1305 (§2.5): the tag of len bytes at msg under the 32-byte key at key, written at out. */
export function poly1305_mac(key: usize, msg: usize, len: usize, out: usize): void {
  polyInit(key);
  polyMessage(msg, len);
  polyFinish(out);
  wipe();
}
