// Bitsliced AES-256 encryption (FIPS 197), constant time: no table lookups
// and no branches on key or data.
//
// A batch of blocks is held as 8 bit planes: plane k has bit k of every byte
// of every block. The S-box is then the Boolean circuit of sbox.ts, and
// ShiftRows / MixColumns are fixed permutations of plane positions plus XORs.
//
// SIMD build: 8 blocks per batch, one v128 per plane; byte 4 * row + column
// of a plane is that byte of the state (row-major, the transpose of FIPS 197
// §3.4's column-major order) and its bit j belongs to block j. A row is then
// one 32-bit lane, so the row rotations of MixColumns move whole lanes
// (i8x16.shuffle patterns that engines compile to a single pshufd) and only
// ShiftRows needs a general byte permutation (a swizzle with constant
// indices, linear.ts).
// Scalar build: 4 blocks per batch, one u64 per plane; nibble i of a plane is
// state byte i and bit j of the nibble belongs to block j, so the same
// permutations are shifts and masks within the word.
//
// Blocks go in and out of plane form through an 8x8 bit-matrix transpose
// (three rounds of "swap-move" on pairs of words); the scalar build first
// splits each block into its even and odd bytes so that nibble i lands on
// state byte i.
import { subBytes, roundPlanes } from "./sbox";
import { rowMajor, rowMajorIndex } from "./linear";
import { GKEY, EXPKEY, BLOCKS, PLANES, PLANES2, RKEYS } from "./memory";

/** Blocks per batch: 8 in the SIMD build, 4 in the scalar one. */
export const BATCH: usize = ASC_FEATURE_SIMD ? 8 : 4;
/** Bytes per plane word. */
const W: usize = ASC_FEATURE_SIMD ? 16 : 8;
/** Bytes of the 8 planes of a batch (or of one round key). */
export const PLANE_BYTES: usize = 8 * W;
const RK_STRIDE: usize = PLANE_BYTES;

/** dst = a xor b over the whole plane words of n bytes (v128 or u64); returns how many bytes that was. */
export function xorWords(dst: usize, a: usize, b: usize, n: usize): usize {
  let i: usize = 0;
  for (; i + W <= n; i += W) {
    if (ASC_FEATURE_SIMD) v128.store(dst + i, v128.xor(v128.load(a + i), v128.load(b + i)));
    else store<u64>(dst + i, load<u64>(a + i) ^ load<u64>(b + i));
  }
  return i;
}

// ---- SIMD: blocks <-> planes ----------------------------------------------

/**
 * Transposes 8 blocks (128 bytes at src) into the 8 planes at dst, or planes
 * back into blocks: the same bit transpose, since it is its own inverse.
 * Word j, bit k of byte i swaps with word k, bit j of byte i.
 */
export function transpose8(src: usize, dst: usize): void {
  // Column-major <-> row-major first: bytes are independent in the bit transpose, so this
  // serves both directions (the 4x4 byte transpose is its own inverse).
  const rm = rowMajorIndex();
  let a0 = rowMajor(v128.load(src), rm), a1 = rowMajor(v128.load(src, 16), rm);
  let a2 = rowMajor(v128.load(src, 32), rm), a3 = rowMajor(v128.load(src, 48), rm);
  let a4 = rowMajor(v128.load(src, 64), rm), a5 = rowMajor(v128.load(src, 80), rm);
  let a6 = rowMajor(v128.load(src, 96), rm), a7 = rowMajor(v128.load(src, 112), rm);
  const m1 = i8x16.splat(0x55), m2 = i8x16.splat(0x33), m4 = i8x16.splat(0x0f);
  let t: v128;
  // Distance 1: bit k+1 of word j <-> bit k of word j+1 (j, k even).
  t = v128.and(v128.xor(i64x2.shr_u(a0, 1), a1), m1); a1 = v128.xor(a1, t); a0 = v128.xor(a0, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(a2, 1), a3), m1); a3 = v128.xor(a3, t); a2 = v128.xor(a2, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(a4, 1), a5), m1); a5 = v128.xor(a5, t); a4 = v128.xor(a4, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(a6, 1), a7), m1); a7 = v128.xor(a7, t); a6 = v128.xor(a6, i64x2.shl(t, 1));
  // Distance 2.
  t = v128.and(v128.xor(i64x2.shr_u(a0, 2), a2), m2); a2 = v128.xor(a2, t); a0 = v128.xor(a0, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(a1, 2), a3), m2); a3 = v128.xor(a3, t); a1 = v128.xor(a1, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(a4, 2), a6), m2); a6 = v128.xor(a6, t); a4 = v128.xor(a4, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(a5, 2), a7), m2); a7 = v128.xor(a7, t); a5 = v128.xor(a5, i64x2.shl(t, 2));
  // Distance 4.
  t = v128.and(v128.xor(i64x2.shr_u(a0, 4), a4), m4); a4 = v128.xor(a4, t); a0 = v128.xor(a0, i64x2.shl(t, 4));
  t = v128.and(v128.xor(i64x2.shr_u(a1, 4), a5), m4); a5 = v128.xor(a5, t); a1 = v128.xor(a1, i64x2.shl(t, 4));
  t = v128.and(v128.xor(i64x2.shr_u(a2, 4), a6), m4); a6 = v128.xor(a6, t); a2 = v128.xor(a2, i64x2.shl(t, 4));
  t = v128.and(v128.xor(i64x2.shr_u(a3, 4), a7), m4); a7 = v128.xor(a7, t); a3 = v128.xor(a3, i64x2.shl(t, 4));
  v128.store(dst, a0); v128.store(dst, a1, 16); v128.store(dst, a2, 32); v128.store(dst, a3, 48);
  v128.store(dst, a4, 64); v128.store(dst, a5, 80); v128.store(dst, a6, 96); v128.store(dst, a7, 112);
}

// ---- scalar: blocks <-> planes --------------------------------------------

/** Bytes 0, 2, 4, 6 of x, packed into the low 32 bits. */
@inline function evenBytes(x: u64): u64 {
  x &= 0x00ff00ff00ff00ff;
  x = (x | (x >> 8)) & 0x0000ffff0000ffff;
  return (x | (x >> 16)) & 0x00000000ffffffff;
}

/** The inverse of evenBytes: the low 4 bytes of x spread to bytes 0, 2, 4, 6. */
@inline function spreadBytes(x: u64): u64 {
  x &= 0x00000000ffffffff;
  x = (x | (x << 16)) & 0x0000ffff0000ffff;
  return (x | (x << 8)) & 0x00ff00ff00ff00ff;
}

/** The 8x8 bit transpose of 8 u64 words in place at p (word j bit k of byte b <-> word k bit j of byte b). */
function transpose4(p: usize): void {
  let a0 = load<u64>(p), a1 = load<u64>(p, 8), a2 = load<u64>(p, 16), a3 = load<u64>(p, 24);
  let a4 = load<u64>(p, 32), a5 = load<u64>(p, 40), a6 = load<u64>(p, 48), a7 = load<u64>(p, 56);
  const m1: u64 = 0x5555555555555555, m2: u64 = 0x3333333333333333, m4: u64 = 0x0f0f0f0f0f0f0f0f;
  let t: u64;
  t = ((a0 >> 1) ^ a1) & m1; a1 ^= t; a0 ^= t << 1;
  t = ((a2 >> 1) ^ a3) & m1; a3 ^= t; a2 ^= t << 1;
  t = ((a4 >> 1) ^ a5) & m1; a5 ^= t; a4 ^= t << 1;
  t = ((a6 >> 1) ^ a7) & m1; a7 ^= t; a6 ^= t << 1;
  t = ((a0 >> 2) ^ a2) & m2; a2 ^= t; a0 ^= t << 2;
  t = ((a1 >> 2) ^ a3) & m2; a3 ^= t; a1 ^= t << 2;
  t = ((a4 >> 2) ^ a6) & m2; a6 ^= t; a4 ^= t << 2;
  t = ((a5 >> 2) ^ a7) & m2; a7 ^= t; a5 ^= t << 2;
  t = ((a0 >> 4) ^ a4) & m4; a4 ^= t; a0 ^= t << 4;
  t = ((a1 >> 4) ^ a5) & m4; a5 ^= t; a1 ^= t << 4;
  t = ((a2 >> 4) ^ a6) & m4; a6 ^= t; a2 ^= t << 4;
  t = ((a3 >> 4) ^ a7) & m4; a7 ^= t; a3 ^= t << 4;
  store<u64>(p, a0); store<u64>(p, a1, 8); store<u64>(p, a2, 16); store<u64>(p, a3, 24);
  store<u64>(p, a4, 32); store<u64>(p, a5, 40); store<u64>(p, a6, 48); store<u64>(p, a7, 56);
}

/**
 * 4 blocks at src -> planes at PLANES. Word blk holds the even state bytes of
 * block blk, word 4 + blk the odd ones, so that after the transpose bit
 * 8b + j of a plane is state byte 2b + (j >> 2) of block j & 3 = nibble i.
 */
export function toPlanes4(src: usize, p: usize): void {
  for (let blk: usize = 0; blk < 4; blk++) {
    const lo = load<u64>(src + 16 * blk), hi = load<u64>(src + 16 * blk, 8);
    store<u64>(p + 8 * blk, evenBytes(lo) | (evenBytes(hi) << 32));
    store<u64>(p + 8 * (4 + blk), evenBytes(lo >> 8) | (evenBytes(hi >> 8) << 32));
  }
  transpose4(p);
}

/** Planes at p -> 4 blocks at dst (the inverse of toPlanes4; p is left transposed). */
export function fromPlanes4(p: usize, dst: usize): void {
  transpose4(p);
  for (let blk: usize = 0; blk < 4; blk++) {
    const even = load<u64>(p + 8 * blk), odd = load<u64>(p + 8 * (4 + blk));
    store<u64>(dst + 16 * blk, spreadBytes(even) | (spreadBytes(odd) << 8));
    store<u64>(dst + 16 * blk, spreadBytes(even >> 32) | (spreadBytes(odd >> 32) << 8), 8);
  }
}

// ---- both builds -----------------------------------------------------------

/** The blocks at BLOCKS -> plane form at p (PLANES or PLANES2). */
@inline export function toPlanes(p: usize = PLANES): void {
  if (ASC_FEATURE_SIMD) transpose8(BLOCKS, p);
  else toPlanes4(BLOCKS, p);
}

/** Plane form at p (PLANES or PLANES2) -> blocks at BLOCKS. */
@inline export function fromPlanes(p: usize = PLANES): void {
  if (ASC_FEATURE_SIMD) transpose8(p, BLOCKS);
  else fromPlanes4(p, BLOCKS);
}

/** Applies the S-box to every byte of the BATCH blocks at BLOCKS (in place). */
export function subBlocks(): void {
  toPlanes();
  if (ASC_FEATURE_SIMD) subBytes<v128>(PLANES);
  else subBytes<u64>(PLANES);
  fromPlanes();
}

/** SubWord (FIPS 197 §5.2) of a little-endian word, through the bitsliced S-box. */
function subWord(w: u32): u32 {
  memory.fill(BLOCKS, 0, 16 * BATCH);
  store<u32>(BLOCKS, w);
  subBlocks();
  return load<u32>(BLOCKS);
}

/**
 * Expands the 32-byte key at GKEY (FIPS 197 §5.2, Nk = 8, 14 rounds) and
 * stores the 15 round keys in plane form at RKEYS: plane k of a round key has
 * all block bits set where bit k of the key byte is set, so AddRoundKey is a
 * plain XOR per plane. Round keys 1..14 also carry the S-box's affine
 * constant 0x63 (sbox.ts): planes 0, 1, 5 and 6 inverted.
 */
export function expandKey(): void {
  for (let i: usize = 0; i < 8; i++) store<u32>(EXPKEY + 4 * i, load<u32>(GKEY + 4 * i));
  let rcon: u32 = 1;
  for (let i: usize = 8; i < 60; i++) {
    let t = load<u32>(EXPKEY + 4 * (i - 1));
    if ((i & 7) == 0) { // i is public: the branch depends on the position only
      t = subWord(rotr<u32>(t, 8)) ^ rcon;
      rcon <<= 1;
    } else if ((i & 7) == 4) {
      t = subWord(t);
    }
    store<u32>(EXPKEY + 4 * i, load<u32>(EXPKEY + 4 * (i - 8)) ^ t);
  }
  for (let r: usize = 0; r < 15; r++) {
    const src = EXPKEY + 16 * r, dst = RKEYS + RK_STRIDE * r;
    if (ASC_FEATURE_SIMD) {
      const k = v128.xor(rowMajor(v128.load(src), rowMajorIndex()), i8x16.splat(r > 0 ? 0x63 : 0));
      const one = i8x16.splat(1), zero = i8x16.splat(0);
      for (let bit = 0; bit < 8; bit++) {
        v128.store(dst + 16 * <usize>bit, i8x16.sub(zero, v128.and(i8x16.shr_u(k, bit), one)));
      }
    } else {
      for (let bit: usize = 0; bit < 8; bit++) {
        let plane: u64 = 0;
        for (let i: usize = 0; i < 16; i++) {
          const b = <u64>(((load<u8>(src + i) ^ (r > 0 ? 0x63 : 0)) >> <u8>bit) & 1);
          plane |= (b * 0xf) << (4 * i);
        }
        store<u64>(dst + 8 * bit, plane);
      }
    }
  }
}

/** Round r (1..14) on the planes at q (FIPS 197 §5.1): SubBytes, ShiftRows, MixColumns unless r = 14, AddRoundKey. */
function aesRound(q: usize, r: usize): void {
  if (ASC_FEATURE_SIMD) roundPlanes<v128>(q, RKEYS + RK_STRIDE * r, r == 14);
  else roundPlanes<u64>(q, RKEYS + RK_STRIDE * r, r == 14);
}

/**
 * Rounds from..to of the cipher (FIPS 197 §5.1) on the planes at PLANES;
 * from = 0 is the initial AddRoundKey. The planes taken and left hold the
 * true AES states between rounds.
 */
export function planeRounds(from: usize, to: usize): void {
  if (from == 0) {
    xorWords(PLANES, PLANES, RKEYS, RK_STRIDE);
    from = 1;
  }
  for (let r = from; r <= to; r++) aesRound(PLANES, r);
}

/**
 * Rounds from..to on two batches, the planes at PLANES and at
 * PLANES2, alternately: a round's S-box needs all eight planes of the round
 * before, so one batch leaves the CPU idle between its rounds, which the
 * other batch's independent round fills (measured: about 8 % less time per
 * round in V8's code).
 */
export function planeRoundsPair(from: usize, to: usize): void {
  if (from == 0) {
    xorWords(PLANES, PLANES, RKEYS, RK_STRIDE);
    xorWords(PLANES2, PLANES2, RKEYS, RK_STRIDE);
    from = 1;
  }
  for (let r = from; r <= to; r++) {
    aesRound(PLANES, r);
    aesRound(PLANES2, r);
  }
}

/** planeRounds on the BATCH states at BLOCKS, in place. */
export function encryptRounds(from: usize, to: usize): void {
  toPlanes();
  planeRounds(from, to);
  fromPlanes();
}

/** Encrypts the BATCH blocks at BLOCKS in place under the expanded key (FIPS 197 §5.1). */
export function encryptBatch(): void {
  encryptRounds(0, 14);
}
