// AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8) over buffers in linear memory.
//
// seal: encrypt with counters 1.., then tag = Poly1305(aad | pad16 | ct |
// pad16 | le64(aad len) | le64(ct len)) keyed by block 0 (§2.6).
// open: the tag over the ciphertext is computed and compared FIRST, in
// constant time (OR of XORs, no early exit); only a matching tag lets the
// ciphertext be decrypted, so a forgery never yields any plaintext.
// Key and nonce come from the KEY/NONCE windows; the callers (index.ts,
// stream.ts) wipe all scratch when they return.
import { KS, TAG, PAD, ZERO } from "./memory";
import { chachaBlock, chachaXor, chachaXor4, xorBytes } from "./chacha20";
import { polyInit, polyPadded, polyBlocks, polyFinish, HIBIT_FULL } from "./poly1305";

/**
 * Derives the one-time Poly1305 key from block 0 (RFC 8439 §2.6) and starts
 * the MAC. Returns how many bytes of payload keystream are left over in KS +
 * 64: the SIMD build computes blocks 0..3 in one 4-way step, so a message of
 * up to 192 bytes needs no further ChaCha20 work; the scalar build computes
 * block 0 alone.
 */
function start(): usize {
  if (ASC_FEATURE_SIMD) {
    chachaXor4(0, ZERO, KS); // bare keystream of blocks 0..3
    polyInit(KS);
    return 192;
  } else {
    chachaBlock(0, KS);
    polyInit(KS);
    return 0;
  }
}

/** Encrypts or decrypts len bytes src -> dst (same or disjoint), payload counter 1.. (§2.8). */
function crypt(src: usize, dst: usize, len: usize, ready: usize): void {
  const head = len < ready ? len : ready;
  if (head > 0) xorBytes(src, dst, KS + 64, head);
  if (len > head) chachaXor(1 + <u32>(head >> 6), src + head, dst + head, len - head);
}

/** Tag over aad and ciphertext with their pad16 and the two le64 lengths (§2.8). */
function mac(aad: usize, aadLen: usize, ct: usize, len: usize, out: usize): void {
  polyPadded(aad, aadLen);
  polyPadded(ct, len);
  store<u64>(PAD, <u64>aadLen, 0);
  store<u64>(PAD, <u64>len, 8);
  polyBlocks(PAD, 1, HIBIT_FULL);
  polyFinish(out);
}

/** Encrypts len bytes src -> dst and writes the 16-byte tag at dst + len. */
export function seal(aad: usize, aadLen: usize, src: usize, dst: usize, len: usize): void {
  const ready = start();
  crypt(src, dst, len, ready);
  mac(aad, aadLen, dst, len, dst + len);
}

/**
 * Checks the tag at src + len against aad and the ciphertext at src; on a
 * match decrypts src -> dst and returns true, otherwise leaves dst alone.
 */
export function open(aad: usize, aadLen: usize, src: usize, dst: usize, len: usize): bool {
  const ready = start();
  mac(aad, aadLen, src, len, TAG);
  const given = src + len;
  const diff = (load<u32>(TAG, 0) ^ load<u32>(given, 0)) | (load<u32>(TAG, 4) ^ load<u32>(given, 4)) |
    (load<u32>(TAG, 8) ^ load<u32>(given, 8)) | (load<u32>(TAG, 12) ^ load<u32>(given, 12));
  if (diff != 0) return false;
  crypt(src, dst, len, ready);
  return true;
}
