// Linear-memory layout of the ChaCha20-Poly1305 core (RFC 8439 §2.8).
//
// Small fixed windows live in static data (memory.data): the caller writes
// the key and nonce there, the core keeps its scratch there. Everything the
// caller encrypts or decrypts goes through one I/O window that starts at the
// heap base and grows with memory.grow; the runtime is "stub" and nothing in
// this core ever allocates, so the heap is ours.
//
// Every exported entry point ends with wipe(): key, nonce, one-time Poly1305
// key, Poly1305 powers of r, keystream and padding scratch are zeroed (the
// ChaCha20 state itself only ever lives in locals).

/** 32-byte ChaCha20 key, written by the caller before each call; the nonce follows it. */
export const KEY: usize = memory.data(64, 64);
/** 12-byte nonce (RFC 8439 §2.3 words 13..15), written by the caller or built by the STREAM code. */
export const NONCE: usize = KEY + 32;
/** 16-byte block for the Poly1305 tag computed inside open() and for padding. */
export const TAG: usize = memory.data(16, 16);
/** One zero-padded Poly1305 block: the AEAD's pad16 tail and the length block. */
export const PAD: usize = memory.data(16, 16);
/** 256 bytes of keystream: four ChaCha20 blocks (block 0 of a message is the Poly1305 key, RFC 8439 §2.6). */
export const KS: usize = memory.data(256, 64);
/** Poly1305 state: accumulator h, clamped r (26-bit limbs, u32 each) and s (poly1305.ts). */
export const POLY: usize = memory.data(64, 16);
/**
 * Poly1305 powers of r for the 4-way SIMD path, 26-bit limbs: for limb j,
 * 16 bytes at POW + 16*j hold [r^4, r^3, r^2, r^1] and at POW + 80 + 16*j
 * the same times 5 (the reduction 2^130 = 5 mod p folded into r).
 */
export const POW: usize = memory.data(160, 16);

/** Start of the I/O window: the heap base rounded up to 64 bytes. */
export const IO: usize = (__heap_base + 63) & ~(<usize>63);

/**
 * Makes the I/O window at least `bytes` long, growing memory when needed.
 * Returns the window's address, or 0 when memory cannot grow that far.
 */
export function reserve(bytes: usize): usize {
  const end = <u64>IO + <u64>bytes;
  const have = <u64>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  return IO;
}

/** Zeroes every secret the core keeps in static memory. */
export function wipe(): void {
  memory.fill(KEY, 0, 64);
  memory.fill(TAG, 0, 16);
  memory.fill(PAD, 0, 16);
  memory.fill(KS, 0, 256);
  memory.fill(POLY, 0, 64);
  memory.fill(POW, 0, 160);
}
