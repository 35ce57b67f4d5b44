// Linear-memory layout of the AES-256-GCM core (NIST SP 800-38D) and the
// XChaCha20 nonce window (draft-irtf-cfrg-xchacha-03).
//
// As in ../aead/memory.ts, every secret this core keeps in memory (key, round
// keys in bitsliced form, the hash key H and its derived words, the GHASH
// accumulator, E(K, J0), keystream and bitsliced state) sits in one
// contiguous block, so gwipe() at the end of each exported call is a single
// memory.fill; the lane GHASH's tables and GCTR's round-1 cache have blocks
// of their own (below).

/** Bytes from GSECRETS that gwipe() zeroes. */
const GSECRETS_SIZE: usize = 3584;
const GSECRETS: usize = memory.data(3584, 64);

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
/** 128 bytes (64 used by the scalar build): the planes of a second batch, encrypted alongside those at PLANES. */
export const PLANES2: usize = GSECRETS + 3456;

// The lane GHASH of long inputs (ghash-lanes.ts, SIMD build): its tables are
// derived from H, so they are secrets too, but a separate block wiped only
// when a call used it, so that short messages do not pay for 10 KB of zeroing.
const LANES_SIZE: usize = 10496;
const LANES: usize = memory.data(10496, 64);
/** 8192 bytes: the 32 nibble tables of K = H^32, each as 16 vectors (vector b, lane n = byte b of T_g[n]). */
export const LTAB: usize = LANES;
/** 512 bytes: the 32 chains' accumulators in lane form, two sets of sixteen. */
export const LZ: usize = LANES + 8192;
/** 512 bytes: 32 input blocks in lane form (two sets); also the basis products while the tables are built. */
export const LX: usize = LANES + 8704;
/** 256 bytes: transpose scratch. */
export const LT: usize = LANES + 9216;
/** 1024 bytes: the 32 nibble index vectors of each set's product; also a table's rows while it is built. */
export const LIDX: usize = LANES + 9472;

// Counter-mode caching of GCTR's first round (ctr.ts): also key-derived, and
// likewise a block of its own, wiped only after a call that filled it.
const CTRC_SIZE: usize = 5376;
const CTRC: usize = memory.data(5376, 64);
/** 4096 bytes: the planes of that change for each batch of counters within a run of 256 (256 / BATCH batches). */
export const R1TP: usize = CTRC;
/** 1024 bytes: 256 u32 words, the change that each low counter byte makes to column 0 after round 1. */
export const R1TAB: usize = CTRC + 4096;
/** 128 bytes: the planes of BATCH copies of the second state at R1BASE. */
export const R1PLANES: usize = CTRC + 5120;
/** 32 bytes: two states after round 1, for counter blocks whose low byte is 0. */
export const R1BASE: usize = CTRC + 5248;

let lanesBuilt = false;
let ctrCached = false;
/** Called once the round-1 cache (R1TP, R1TAB, R1PLANES, R1BASE) holds key-derived values. */
export function setCtrCached(): void {
  ctrCached = true;
}

/** Whether LTAB holds the tables for the current H (and so the lane block needs wiping). */
export function lanesReady(): bool {
  return lanesBuilt;
}
/** Called once the tables are built. */
export function setLanesReady(): void {
  lanesBuilt = true;
}

/** Zeroes every secret of the AES-256-GCM and XChaCha20 windows. */
export function gwipe(): void {
  memory.fill(GSECRETS, 0, GSECRETS_SIZE);
  if (lanesBuilt) {
    memory.fill(LANES, 0, LANES_SIZE);
    lanesBuilt = false;
  }
  if (ctrCached) {
    memory.fill(CTRC, 0, CTRC_SIZE);
    ctrCached = false;
  }
}
