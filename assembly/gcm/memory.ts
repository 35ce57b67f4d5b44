// Linear-memory layout of the AES-256-GCM core (NIST SP 800-38D) and the
// XChaCha20 nonce window (draft-irtf-cfrg-xchacha-03).
//
// As in ../aead/memory.ts, every secret this core keeps in memory (key, round
// keys in bitsliced form, the hash key H and its derived words, the GHASH
// accumulator, E(K, J0), keystream and bitsliced state) sits in one
// contiguous block, so gwipe() at the end of each exported call is a single
// memory.fill.

/** Bytes from GSECRETS that gwipe() zeroes. */
const GSECRETS_SIZE: usize = 3456;
const GSECRETS: usize = memory.data(3456, 64);

/** 32-byte AES-256 key, written by the caller. */
export const GKEY: usize = GSECRETS;
/** 12-byte GCM IV, right after the key; written by the caller. */
export const GIV: usize = GSECRETS + 32;
/** 24-byte XChaCha20 nonce (HChaCha20 input = its first 16 bytes); written by the caller. */
export const XNONCE: usize = GSECRETS + 48;
/** 16 bytes: the tag open() computes, to compare with the received one. */
export const GTAG: usize = GSECRETS + 80;
/** 16 bytes: E(K, J0), xored into the GHASH result to make the tag (SP 800-38D §7.1 step 6). */
export const EKJ0: usize = GSECRETS + 96;
/** 16 bytes: a zero-padded partial GHASH block, then the length block. */
export const GPAD: usize = GSECRETS + 112;
/** 48 bytes: the six partial sums of a GHASH group of up to 4 blocks (ghash.ts). */
export const GSUM: usize = GSECRETS + 128;
/** 16 bytes: the GHASH accumulator Y as two big-endian u64 words. */
export const GACC: usize = GSECRETS + 192;
/** 240 bytes: the AES-256 key schedule in byte form (FIPS 197 §5.2), before bitslicing. */
export const EXPKEY: usize = GSECRETS + 256;
/** 128 bytes: input blocks of one bitsliced batch (8 blocks SIMD, 4 scalar), then its output. */
export const BLOCKS: usize = GSECRETS + 512;
/** 128 bytes: the 8 bit planes of the batch being encrypted. */
export const PLANES: usize = GSECRETS + 640;
/** 15 round keys × 8 planes × 16 bytes = 1920 bytes, to the end of the block (the scalar build uses 8 bytes per plane). */
export const RKEYS: usize = GSECRETS + 768;
/** 768 bytes: H, H^2, H^3, H^4, each as six 64-bit operands split into four masked parts (ghash.ts). */
export const HPOW: usize = GSECRETS + 2688;

/** Zeroes every secret of the AES-256-GCM and XChaCha20 windows. */
export function gwipe(): void {
  memory.fill(GSECRETS, 0, GSECRETS_SIZE);
}
