// GHASH (NIST SP 800-38D §6.4), constant time without carry-less multiply
// instructions (WebAssembly has none).
//
// A 64 x 64 carry-less product is built from ordinary integer multiplies on
// masked operands: each operand is split into four parts holding every fourth
// bit, so in each integer product the sums that land on a kept bit position
// never carry into the next kept position (at most 15 terms reach any
// position below 64; the 16-term one at bit 60 carries only past bit 63).
// i64.mul takes the same time whatever its operands, and nothing is indexed
// or branched on by data. i64.mul gives the low 64 bits of a product only;
// the high half comes from the low half of the bit-reversed operands.
// 128-bit products use Karatsuba (three 64-bit products per half).
//
// Field elements are kept as two big-endian u64 words (hi = bytes 0..7), so
// the coefficient of x^0 is the most significant bit: the product of two
// such words is the reflected product shifted right by one, hence the << 1
// before the reduction modulo x^128 + x^7 + x^2 + x + 1.
//
// Blocks are absorbed in groups of up to four with aggregated reduction:
// Y' = (Y + X1)·H^4 + X2·H^3 + X3·H^2 + X4·H. Every step after the integer
// multiplies (masking aside) is linear over GF(2) — the bit reversal of the
// high halves, the Karatsuba middle term, the shift and the reduction — so
// the six partial products of each block are summed (GSUM) and all of that
// is done once per group (fold). The powers' operands are split into their
// masked parts once per key (HPOW), not once per block.
import { GSUM, GACC, HPOW } from "./memory";

const M1: u64 = 0x1111111111111111;
const M2: u64 = 0x2222222222222222;
const M4: u64 = 0x4444444444444444;
const M8: u64 = 0x8888888888888888;

/** Bytes of one power of H in HPOW: six operands of four masked u64 parts. */
const POW_STRIDE: usize = 192;

/** The low 64 bits of the carry-less product of x and the operand whose four masked parts are at q. */
@inline export function clmulParts(x: u64, q: usize): u64 {
  const x0 = x & M1, x1 = x & M2, x2 = x & M4, x3 = x & M8;
  const y0 = load<u64>(q), y1 = load<u64>(q, 8), y2 = load<u64>(q, 16), y3 = load<u64>(q, 24);
  const z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
  const z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
  const z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
  const z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
  return (z0 & M1) | (z1 & M2) | (z2 & M4) | (z3 & M8);
}

/** Bit reversal of a 64-bit word. */
@inline export function rev64(x: u64): u64 {
  x = ((x >> 1) & 0x5555555555555555) | ((x & 0x5555555555555555) << 1);
  x = ((x >> 2) & 0x3333333333333333) | ((x & 0x3333333333333333) << 2);
  x = ((x >> 4) & 0x0f0f0f0f0f0f0f0f) | ((x & 0x0f0f0f0f0f0f0f0f) << 4);
  return bswap<u64>(x);
}

@inline function storeParts(dst: usize, h: u64): void {
  store<u64>(dst, h & M1);
  store<u64>(dst, h & M2, 8);
  store<u64>(dst, h & M4, 16);
  store<u64>(dst, h & M8, 24);
}

/** Stores the field element (hi, lo) as power k (1..4) of H: lo, hi, lo^hi and their bit reversals, in parts. */
function setPower(k: usize, hi: u64, lo: u64): void {
  const d = HPOW + POW_STRIDE * (k - 1);
  const lr = rev64(lo), hr = rev64(hi);
  storeParts(d, lo);
  storeParts(d + 32, hi);
  storeParts(d + 64, lo ^ hi);
  storeParts(d + 96, lr);
  storeParts(d + 128, hr);
  storeParts(d + 160, lr ^ hr);
}

/** Adds the six partial products of the field element (hi, lo) and H^k to GSUM. */
export function absorbWords(hi: u64, lo: u64, k: usize): void {
  const q = HPOW + POW_STRIDE * (k - 1);
  const lr = rev64(lo), hr = rev64(hi);
  store<u64>(GSUM, load<u64>(GSUM) ^ clmulParts(lo, q));
  store<u64>(GSUM, load<u64>(GSUM, 8) ^ clmulParts(hi, q + 32), 8);
  store<u64>(GSUM, load<u64>(GSUM, 16) ^ clmulParts(lo ^ hi, q + 64), 16);
  store<u64>(GSUM, load<u64>(GSUM, 24) ^ clmulParts(lr, q + 96), 24);
  store<u64>(GSUM, load<u64>(GSUM, 32) ^ clmulParts(hr, q + 128), 32);
  store<u64>(GSUM, load<u64>(GSUM, 40) ^ clmulParts(lr ^ hr, q + 160), 40);
}

/** Absorbs the 16-byte block at p times H^k; the first block of a group (public flag) carries Y in. */
export function absorb(p: usize, k: usize, first: bool): void {
  let hi = bswap<u64>(load<u64>(p)), lo = bswap<u64>(load<u64>(p, 8));
  if (first) {
    hi ^= load<u64>(GACC);
    lo ^= load<u64>(GACC, 8);
  }
  absorbWords(hi, lo, k);
}

/** Ends a group: Y = the reduced sum of the products in GSUM; GSUM is cleared. */
export function fold(): void {
  const lo0 = load<u64>(GSUM), lo1 = load<u64>(GSUM, 8);
  const lo2 = load<u64>(GSUM, 16) ^ lo0 ^ lo1;
  const hi0 = rev64(load<u64>(GSUM, 24)) >> 1, hi1 = rev64(load<u64>(GSUM, 32)) >> 1;
  const hi2 = (rev64(load<u64>(GSUM, 40)) >> 1) ^ hi0 ^ hi1;
  // 256-bit product p3:p2:p1:p0, then << 1 for the reflected representation.
  let p0 = lo0, p1 = hi0 ^ lo2, p2 = lo1 ^ hi2, p3 = hi1;
  p3 = (p3 << 1) | (p2 >> 63);
  p2 = (p2 << 1) | (p1 >> 63);
  p1 = (p1 << 1) | (p0 >> 63);
  p0 <<= 1;
  // Fold the low half (degrees 128..255) into the high half: x^128 = x^7 + x^2 + x + 1.
  p3 ^= p1 ^ (p1 >> 1) ^ (p1 >> 2) ^ (p1 >> 7);
  p2 ^= p0 ^ (p0 >> 1) ^ (p1 << 63) ^ (p0 >> 2) ^ (p1 << 62) ^ (p0 >> 7) ^ (p1 << 57);
  // The bits that the shifts moved below degree 128 again, folded once more.
  const w = (p0 << 63) ^ (p0 << 62) ^ (p0 << 57);
  p3 ^= w ^ (w >> 1) ^ (w >> 2) ^ (w >> 7);
  store<u64>(GACC, p3);
  store<u64>(GACC, p2, 8);
  store<u64>(GSUM, 0);
  store<u64>(GSUM, 0, 8);
  store<u64>(GSUM, 0, 16);
  store<u64>(GSUM, 0, 24);
  store<u64>(GSUM, 0, 32);
  store<u64>(GSUM, 0, 40);
}

/** Sets the hash key H from 16 bytes at h (H = E(K, 0^128)), derives H^2..H^4 and clears the accumulator. */
export function ghashInit(h: usize): void {
  let hi = bswap<u64>(load<u64>(h)), lo = bswap<u64>(load<u64>(h, 8));
  setPower(1, hi, lo);
  memory.fill(GSUM, 0, 48);
  for (let k: usize = 2; k <= 4; k++) {
    absorbWords(hi, lo, 1);
    fold();
    hi = load<u64>(GACC);
    lo = load<u64>(GACC, 8);
    setPower(k, hi, lo);
  }
  store<u64>(GACC, 0);
  store<u64>(GACC, 0, 8);
}

/** Absorbs n whole 16-byte blocks at p: Y = (Y xor X_i) * H for each (SP 800-38D §6.4), four at a time. */
export function ghashBlocks(p: usize, n: usize): void {
  for (; n >= 4; n -= 4, p += 64) {
    absorb(p, 4, true);
    absorb(p + 16, 3, false);
    absorb(p + 32, 2, false);
    absorb(p + 48, 1, false);
    fold();
  }
  if (n == 0) return;
  for (let i: usize = 0; i < n; i++) absorb(p + 16 * i, n - i, i == 0);
  fold();
}

/** Writes the accumulator Y (16 bytes, big-endian) at out. */
export function ghashResult(out: usize): void {
  store<u64>(out, bswap<u64>(load<u64>(GACC)));
  store<u64>(out, bswap<u64>(load<u64>(GACC, 8)), 8);
}
