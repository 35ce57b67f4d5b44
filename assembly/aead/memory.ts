// Linear-memory layout of the ChaCha20-Poly1305 core (RFC 8439 §2.8).
//
// Small fixed windows live in static data (memory.data): the caller writes
// the key and nonce there, the core keeps its scratch there. Everything the
// caller encrypts or decrypts goes through one I/O window that starts at the
// heap base and grows with memory.grow; the runtime is "stub" and nothing in
// this core ever allocates, so the heap is ours.
//
// Every secret the core keeps in memory sits in one contiguous block, so the
// wipe at the end of each exported call is a single memory.fill: V8 compiles
// each memory.fill to a call costing ~15-20 ns whatever the size, which six
// separate fills would make a fifth of a 16-byte seal. (The ChaCha20 state
// and the Poly1305 working values only ever live in locals.)

const SECRETS: usize = memory.data(768, 64);
/** Bytes from SECRETS that wipe() zeroes. */
const SECRETS_SIZE: usize = 768;

/** 32-byte ChaCha20 key, written by the caller before each call. */
export const KEY: usize = SECRETS;
/** 12-byte nonce (RFC 8439 §2.3 words 13..15), after the key; written by the caller or by stream.ts. */
export const NONCE: usize = SECRETS + 32;
/** 16 bytes: the tag open() computes, to compare with the received one. */
export const TAG: usize = SECRETS + 48;
/** One Poly1305 block: the zero-padded tail of a message and the AEAD's length block. */
export const PAD: usize = SECRETS + 64;
/** Poly1305 state: accumulator h (20 bytes), clamped r (20), s (16), as u32 26-bit limbs (poly1305.ts). */
export const POLY: usize = SECRETS + 80;
/** 256 bytes of keystream, four ChaCha20 blocks (block 0 of a message is the Poly1305 key, RFC 8439 §2.6). */
export const KS: usize = SECRETS + 192;
/** 320 bytes: the powers of r for the 4-way Poly1305 path (layout in poly1305.ts, powers()). */
export const POW: usize = SECRETS + 448;

/** 256 zero bytes, never written: the source when the 4-way ChaCha20 produces bare keystream. */
export const ZERO: usize = memory.data(256, 64);

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

/** Zeroes every secret the core keeps in memory: key, nonce, tags, keystream, Poly1305 state and powers. */
export function wipe(): void {
  memory.fill(SECRETS, 0, SECRETS_SIZE);
}
