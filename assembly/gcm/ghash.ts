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
import { HKEY, GACC } from "./memory";

const M1: u64 = 0x1111111111111111;
const M2: u64 = 0x2222222222222222;
const M4: u64 = 0x4444444444444444;
const M8: u64 = 0x8888888888888888;

/** The low 64 bits of the carry-less product of x and y. */
@inline export function clmulLo(x: u64, y: u64): u64 {
  const x0 = x & M1, x1 = x & M2, x2 = x & M4, x3 = x & M8;
  const y0 = y & M1, y1 = y & M2, y2 = y & M4, y3 = y & M8;
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

/** Sets the hash key H from 16 bytes at h (H = E(K, 0^128)) and clears the accumulator. */
export function ghashInit(h: usize): void {
  const h1 = bswap<u64>(load<u64>(h)), h0 = bswap<u64>(load<u64>(h, 8));
  store<u64>(HKEY, h0);
  store<u64>(HKEY, h1, 8);
  store<u64>(HKEY, h0 ^ h1, 16);
  store<u64>(HKEY, rev64(h0), 24);
  store<u64>(HKEY, rev64(h1), 32);
  store<u64>(HKEY, rev64(h0) ^ rev64(h1), 40);
  store<u64>(GACC, 0);
  store<u64>(GACC, 0, 8);
}

/** Absorbs n whole 16-byte blocks at p: Y = (Y xor X_i) * H for each (SP 800-38D §6.4). */
export function ghashBlocks(p: usize, n: usize): void {
  const h0 = load<u64>(HKEY), h1 = load<u64>(HKEY, 8), h2 = load<u64>(HKEY, 16);
  const h0r = load<u64>(HKEY, 24), h1r = load<u64>(HKEY, 32), h2r = load<u64>(HKEY, 40);
  let y0 = load<u64>(GACC, 8), y1 = load<u64>(GACC);
  for (let i: usize = 0; i < n; i++, p += 16) {
    y1 ^= bswap<u64>(load<u64>(p));
    y0 ^= bswap<u64>(load<u64>(p, 8));
    const y2 = y0 ^ y1;
    const y0r = rev64(y0), y1r = rev64(y1), y2r = y0r ^ y1r;
    const lo0 = clmulLo(y0, h0), lo1 = clmulLo(y1, h1);
    const lo2 = clmulLo(y2, h2) ^ lo0 ^ lo1;
    const hi0 = rev64(clmulLo(y0r, h0r)) >> 1, hi1 = rev64(clmulLo(y1r, h1r)) >> 1;
    const hi2 = (rev64(clmulLo(y2r, h2r)) >> 1) ^ hi0 ^ hi1;
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
    y1 = p3;
    y0 = p2;
  }
  store<u64>(GACC, y1);
  store<u64>(GACC, y0, 8);
}

/** Writes the accumulator Y (16 bytes, big-endian) at out. */
export function ghashResult(out: usize): void {
  store<u64>(out, bswap<u64>(load<u64>(GACC)));
  store<u64>(out, bswap<u64>(load<u64>(GACC, 8)), 8);
}
