// GHASH over long inputs in the SIMD build: 32 interleaved Horner chains,
// multiplied by a fixed key through 4-bit lookups done by i8x16.swizzle (a
// register permute: no memory access and no branch depends on the data or
// the key).
//
// Multiplication by a fixed element K is linear over GF(2), so for a block X
// split into its 32 nibbles x_g, X·K = XOR_g T_g[x_g] with T_g[n] the product
// of K and the block holding n at nibble g. One swizzle looks up one byte of
// T_g for sixteen different indices at once, so the lanes of a vector hold
// sixteen independent field elements: byte b of element s is lane s of
// vector b ("lane form", the 16 x 16 byte transpose of 16 blocks). The
// tables are kept the same way: vector b of table g has byte b of T_g[n] in
// lane n. A product of sixteen elements by K is then 32 x 16 swizzles. The
// chains come in two sets of sixteen, so that every table vector loaded
// serves a lookup for each set.
//
// With K = H^32 and chain s taking blocks s, s + 32, s + 64, ... the chains
// compute Z_s = sum_t X_{32t+s} · H^(32(q-1-t)) over q groups, and the
// digest Y' = sum_s Z_s · H^(32-s) is the ordinary GHASH of Z_0..Z_31 from
// zero (SP 800-38D §6.4: GHASH(X_1..X_m) = sum X_i · H^(m-i+1)). The
// incoming Y joins block 0, as it would in Y_1 = (Y xor X_1) · H.
import { GACC, LTAB, LZ, LX, LT, LIDX, lanesReady, setLanesReady } from "./memory";
import { ghashBlocks, ghashResult, absorbWords, fold } from "./ghash";

/** Below this many blocks the tables' set-up costs more than it saves. */
const LANES_MIN_BLOCKS: usize = 128;
/** Chains, and so blocks per group. */
const CHAINS: usize = 32;
/** Bytes of one set of sixteen elements in lane form. */
const SET: usize = 256;

/**
 * One step of the 16 x 16 byte transpose: rows i and i + 8 interleave into
 * rows 2i and 2i + 1. Each step rotates the 8-bit index (row, column) left by
 * one bit, so four steps swap row and column.
 */
function interleaveRows(src: usize, dst: usize): void {
  for (let i: usize = 0; i < 8; i++) {
    const a = v128.load(src + 16 * i), b = v128.load(src + 16 * i, 128);
    v128.store(dst + 32 * i, i8x16.shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
    v128.store(dst + 32 * i, i8x16.shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), 16);
  }
}

/** The 16 x 16 byte transpose of 256 bytes at src into dst (which may be src), through tmp. */
function transpose16(src: usize, dst: usize, tmp: usize): void {
  interleaveRows(src, tmp);
  interleaveRows(tmp, dst);
  interleaveRows(dst, tmp);
  interleaveRows(tmp, dst);
}

/** Stores (hi, lo) as 16 bytes, big-endian: the GCM block of a field element. */
@inline function storeElement(p: usize, hi: u64, lo: u64): void {
  store<u64>(p, bswap<u64>(hi));
  store<u64>(p, bswap<u64>(lo), 8);
}

/**
 * Builds LTAB for K = H^32 from the powers ghashInit() set. Basis products
 * x^i · K come from K by repeated multiplication by x (a right shift of the
 * reflected element, reducing x^128 = 1 + x + x^2 + x^7 by a mask, not a
 * branch). Nibble g = 2b of a block is the low half of byte b (bits 0..3 are
 * x^(8b+7)..x^(8b+4)), nibble 2b + 1 its high half (x^(8b+3)..x^(8b)).
 */
function buildTables(): void {
  // K = H^32 = (H^4)^8: eight products by H^4, from the element 1 (x^0, the top bit).
  const saveHi = load<u64>(GACC), saveLo = load<u64>(GACC, 8);
  let hi: u64 = 1 << 63, lo: u64 = 0;
  for (let i = 0; i < 8; i++) {
    absorbWords(hi, lo, 4);
    fold();
    hi = load<u64>(GACC);
    lo = load<u64>(GACC, 8);
  }
  store<u64>(GACC, saveHi);
  store<u64>(GACC, saveLo, 8);
  for (let byte: usize = 0; byte < 16; byte++) {
    // x^(8b+k) · K for k = 0..7, as blocks at LX + 16k.
    for (let k: usize = 0; k < 8; k++) {
      storeElement(LX + 16 * k, hi, lo);
      const carry = lo & 1;
      lo = (lo >> 1) | (hi << 63);
      hi = (hi >> 1) ^ ((0 - carry) & 0xe100000000000000);
    }
    for (let half: usize = 0; half < 2; half++) {
      // Nibble bit j is x^(8b + 7 - j) (low half) or x^(8b + 3 - j) (high half).
      const top: usize = half == 0 ? 7 : 3;
      // T[n] = T[n without its lowest bit] xor the basis product of that bit, as rows at LIDX.
      v128.store(LIDX, i64x2.splat(0));
      for (let n: usize = 1; n < 16; n++) {
        const j = <usize>ctz<u32>(<u32>n);
        v128.store(LIDX + 16 * n, v128.xor(v128.load(LIDX + 16 * (n & (n - 1))), v128.load(LX + 16 * (top - j))));
      }
      transpose16(LIDX, LTAB + 256 * (2 * byte + half), LT);
    }
  }
  setLanesReady();
}

/** The 32 nibble index vectors of the sixteen lane-form elements at z, to idx (low, then high half of each byte). */
function nibbles(z: usize, idx: usize): void {
  const low = i8x16.splat(0x0f);
  for (let b: usize = 0; b < 16; b++) {
    const v = v128.load(z + 16 * b);
    v128.store(idx + 32 * b, v128.and(v, low));
    v128.store(idx + 32 * b, v128.and(i16x8.shr_u(v, 4), low), 16);
  }
}

/** LZ = LZ · K xor LX, for both sets, all in lane form. */
function mulAdd(): void {
  nibbles(LZ, LIDX);
  nibbles(LZ + SET, LIDX + 512);
  // Four output bytes of both sets at a time: each table vector is loaded
  // once for two lookups, each index vector once for four. Storing one
  // accumulator after each table keeps V8 from issuing the loads of all 32
  // tables first and spilling them.
  for (let b: usize = 0; b < 16; b += 4) {
    const x = LX + 16 * b, y = LX + SET + 16 * b;
    let a0 = v128.load(x), a1 = v128.load(x, 16), a2 = v128.load(x, 32), a3 = v128.load(x, 48);
    let c0 = v128.load(y), c1 = v128.load(y, 16), c2 = v128.load(y, 32), c3 = v128.load(y, 48);
    let tab = LTAB + 16 * b;
    for (let idx = LIDX; idx < LIDX + 512; idx += 16, tab += 256) {
      const i = v128.load(idx), j = v128.load(idx, 512);
      let t = v128.load(tab);
      a0 = v128.xor(a0, i8x16.swizzle(t, i));
      c0 = v128.xor(c0, i8x16.swizzle(t, j));
      t = v128.load(tab, 16);
      a1 = v128.xor(a1, i8x16.swizzle(t, i));
      c1 = v128.xor(c1, i8x16.swizzle(t, j));
      t = v128.load(tab, 32);
      a2 = v128.xor(a2, i8x16.swizzle(t, i));
      c2 = v128.xor(c2, i8x16.swizzle(t, j));
      t = v128.load(tab, 48);
      a3 = v128.xor(a3, i8x16.swizzle(t, i));
      c3 = v128.xor(c3, i8x16.swizzle(t, j));
      v128.store(LT, a0);
    }
    const z = LZ + 16 * b, w = LZ + SET + 16 * b;
    v128.store(z, a0); v128.store(z, a1, 16); v128.store(z, a2, 32); v128.store(z, a3, 48);
    v128.store(w, c0); v128.store(w, c1, 16); v128.store(w, c2, 32); v128.store(w, c3, 48);
  }
}

/** Both sets of 16 blocks at src (32 blocks) into lane form at dst, or back. */
function transposeSets(src: usize, dst: usize): void {
  transpose16(src, dst, LT);
  transpose16(src + SET, dst + SET, LT);
}

/** Absorbs n blocks at p (n a multiple of 32): the same result in GACC as ghashBlocks(p, n). */
function ghashLanes(p: usize, n: usize): void {
  if (!lanesReady()) buildTables();
  // The first group starts the chains (added, not multiplied); Y joins chain 0 (lane 0).
  transposeSets(p, LZ);
  ghashResult(LT);
  for (let b: usize = 0; b < 16; b++) store<u8>(LZ + 16 * b, load<u8>(LZ + 16 * b) ^ load<u8>(LT + b));
  for (let done = CHAINS; done < n; done += CHAINS) {
    transposeSets(p + 16 * done, LX);
    mulAdd();
  }
  // Y' = GHASH(Z_0..Z_31) from zero.
  transposeSets(LZ, LX);
  store<u64>(GACC, 0);
  store<u64>(GACC, 0, 8);
  ghashBlocks(LX, CHAINS);
}

/** Absorbs n whole blocks at p (SP 800-38D §6.4): long runs by lanes in the SIMD build, the rest four at a time. */
export function ghashWhole(p: usize, n: usize): void {
  if (ASC_FEATURE_SIMD && n >= LANES_MIN_BLOCKS) {
    const bulk = n & ~(CHAINS - 1);
    ghashLanes(p, bulk);
    p += bulk << 4;
    n -= bulk;
  }
  ghashBlocks(p, n);
}
