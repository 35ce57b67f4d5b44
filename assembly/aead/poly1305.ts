// Poly1305 (RFC 8439 §2.5): acc = ((acc + block) * r) mod 2^130-5, tag = acc + s.
//
// WebAssembly has no 64x64->128 multiply, so the 130-bit numbers are held in
// five 26-bit limbs and every product is a 26x29-bit -> 64-bit i64 multiply
// (the 2^130 = 5 mod p reduction is folded into r by precomputing 5*r).
//
// The SIMD build also has a 4-way path for long inputs: four accumulators,
// one per v128 lane, take blocks 4t..4t+3 and each is multiplied by r^4 per
// step; the last step multiplies the lanes by r^4, r^3, r^2, r instead, so
// their sum equals the serial result (sum of m_i * r^(n-i)). Each
// i64x2.extmul_low/high_i32x4_u yields two 64-bit products; on V8/x64 the
// 4-way path runs ~2.1 GB/s against ~1.35 GB/s for the serial one. Inputs
// under 32 blocks stay serial: below that, computing r^2..r^4 and laying out
// the multipliers costs more than it saves (measured crossover ~24 blocks).
import { POLY, POW, PAD } from "./memory";

const MASK: u64 = 0x3ffffff;
/** The 2^128 bit of a full 16-byte block, in limb 4 (bits 104..129). */
export const HIBIT_FULL: u32 = 1 << 24;

// State in the POLY window (u32 each): h0..h4 at 0..16, r0..r4 at 20..36,
// s (key bytes 16..31) at 40..52.

/** Starts a MAC with the 32-byte one-time key r || s at `key` (RFC 8439 §2.5.1). */
export function polyInit(key: usize): void {
  const t0 = load<u32>(key, 0), t1 = load<u32>(key, 4), t2 = load<u32>(key, 8), t3 = load<u32>(key, 12);
  // h = 0 (stores, not memory.fill: see memory.ts on the cost of a fill call)
  store<u64>(POLY, 0, 0);
  store<u64>(POLY, 0, 8);
  store<u32>(POLY, 0, 16);
  // r is clamped (r &= 0x0ffffffc0ffffffc0ffffffc0fffffff) as it is split into limbs.
  store<u32>(POLY, t0 & 0x3ffffff, 20);
  store<u32>(POLY, ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03, 24);
  store<u32>(POLY, ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff, 28);
  store<u32>(POLY, ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff, 32);
  store<u32>(POLY, (t3 >>> 8) & 0x00fffff, 36);
  store<u64>(POLY, load<u64>(key, 16), 40); // s
  store<u64>(POLY, load<u64>(key, 24), 48);
}

/**
 * Absorbs `n` 16-byte blocks at m, each with `hibit` added at 2^128
 * (HIBIT_FULL for whole blocks; 0 for the padded last block of a generic MAC).
 */
export function polyBlocks(m: usize, n: usize, hibit: u32): void {
  if (ASC_FEATURE_SIMD) {
    if (n >= 32) {
      const groups = n >> 2;
      blocks4(m, groups, hibit);
      m += groups << 6;
      n &= 3;
    }
  }
  if (n > 0) blocks1(m, n, hibit);
}

/** The serial path: one block per step (RFC 8439 §2.5.1 loop). Exported for the as-pect tests. */
export function blocks1(m: usize, n: usize, hibit: u32): void {
  let h0 = <u64>load<u32>(POLY, 0), h1 = <u64>load<u32>(POLY, 4), h2 = <u64>load<u32>(POLY, 8);
  let h3 = <u64>load<u32>(POLY, 12), h4 = <u64>load<u32>(POLY, 16);
  const r0 = <u64>load<u32>(POLY, 20), r1 = <u64>load<u32>(POLY, 24), r2 = <u64>load<u32>(POLY, 28);
  const r3 = <u64>load<u32>(POLY, 32), r4 = <u64>load<u32>(POLY, 36);
  const s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
  const hb = <u64>hibit;
  const end = m + (n << 4);
  for (; m < end; m += 16) {
    const lo = load<u64>(m, 0), hi = load<u64>(m, 8);
    h0 += lo & MASK;
    h1 += (lo >> 26) & MASK;
    h2 += ((lo >> 52) | (hi << 12)) & MASK;
    h3 += (hi >> 14) & MASK;
    h4 += (hi >> 40) | hb;
    // (h * r) mod p: limb i of the product gathers h_j * r_(i-j), with
    // r_(i-j+5) * 5 standing in for the terms that wrap past 2^130.
    let d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
    let d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
    let d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
    let d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
    let d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
    // Partial carry: limbs back to 26 bits (h1 may keep a few bits more).
    let c = d0 >> 26; h0 = d0 & MASK; d1 += c;
    c = d1 >> 26; h1 = d1 & MASK; d2 += c;
    c = d2 >> 26; h2 = d2 & MASK; d3 += c;
    c = d3 >> 26; h3 = d3 & MASK; d4 += c;
    c = d4 >> 26; h4 = d4 & MASK; h0 += c * 5;
    c = h0 >> 26; h0 &= MASK; h1 += c;
  }
  store<u32>(POLY, <u32>h0, 0); store<u32>(POLY, <u32>h1, 4); store<u32>(POLY, <u32>h2, 8);
  store<u32>(POLY, <u32>h3, 12); store<u32>(POLY, <u32>h4, 16);
}

/** out = a * b mod p, limbs (u32 x 5) at a, b, out; out carried to 26 bits (limb 1 may keep a few bits more). */
function mulLimbs(a: usize, b: usize, out: usize): void {
  const a0 = <u64>load<u32>(a, 0), a1 = <u64>load<u32>(a, 4), a2 = <u64>load<u32>(a, 8);
  const a3 = <u64>load<u32>(a, 12), a4 = <u64>load<u32>(a, 16);
  const b0 = <u64>load<u32>(b, 0), b1 = <u64>load<u32>(b, 4), b2 = <u64>load<u32>(b, 8);
  const b3 = <u64>load<u32>(b, 12), b4 = <u64>load<u32>(b, 16);
  const s1 = b1 * 5, s2 = b2 * 5, s3 = b3 * 5, s4 = b4 * 5;
  let d0 = a0 * b0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
  let d1 = a0 * b1 + a1 * b0 + a2 * s4 + a3 * s3 + a4 * s2;
  let d2 = a0 * b2 + a1 * b1 + a2 * b0 + a3 * s4 + a4 * s3;
  let d3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * s4;
  let d4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
  let c = d0 >> 26; d0 &= MASK; d1 += c;
  c = d1 >> 26; d1 &= MASK; d2 += c;
  c = d2 >> 26; d2 &= MASK; d3 += c;
  c = d3 >> 26; d3 &= MASK; d4 += c;
  c = d4 >> 26; d4 &= MASK; d0 += c * 5;
  c = d0 >> 26; d0 &= MASK; d1 += c;
  store<u32>(out, <u32>d0, 0); store<u32>(out, <u32>d1, 4); store<u32>(out, <u32>d2, 8);
  store<u32>(out, <u32>d3, 12); store<u32>(out, <u32>d4, 16);
}

/**
 * Lays out the multipliers of the 4-way path in POW, 16 bytes per vector:
 * at POW the last step's [r^4, r^3, r^2, r] for limbs 0..4, then 5x those
 * for limbs 0..4 (index 0 unused); at POW + 160 the same ten with r^4 in
 * every lane, for all other steps. The loop loads them from here at each use
 * instead of holding nine vectors live: with H, the message and the products
 * that would be more than the 15 xmm registers V8 allocates, and it spilled
 * ~86 moves per step.
 */
function powers(): void {
  // r^2, r^3, r^4 as plain limb arrays, in the splat half (overwritten below).
  const r = POLY + 20, r2 = POW + 160, r3 = POW + 180, r4 = POW + 200;
  mulLimbs(r, r, r2);
  mulLimbs(r2, r, r3);
  mulLimbs(r2, r2, r4);
  for (let j: usize = 0; j < 20; j += 4) {
    const lane = POW + (j << 2);
    store<u32>(lane, load<u32>(r4 + j), 0);
    store<u32>(lane, load<u32>(r3 + j), 4);
    store<u32>(lane, load<u32>(r2 + j), 8);
    store<u32>(lane, load<u32>(r + j), 12);
  }
  for (let j: usize = 0; j < 80; j += 16) {
    const mixed = v128.load(POW + j);
    const mixed5 = i32x4.mul(mixed, i32x4.splat(5));
    v128.store(POW + 80 + j, mixed5);
    v128.store(POW + 160 + j, i32x4.shuffle(mixed, mixed, 0, 0, 0, 0));
    v128.store(POW + 240 + j, i32x4.shuffle(mixed5, mixed5, 0, 0, 0, 0));
  }
}

/** The 4-way SIMD path: `groups` groups of four blocks (see the header). Exported for the as-pect tests. */
export function blocks4(m: usize, groups: usize, hibit: u32): void {
  powers();
  const M = i32x4.splat(<i32>MASK);
  const M64 = i64x2.splat(<i64>MASK);
  const HB = i32x4.splat(hibit);
  // Lane 0 carries the running h in; lanes 1..3 start at zero.
  let H0 = i32x4.replace_lane(i32x4.splat(0), 0, load<u32>(POLY, 0));
  let H1 = i32x4.replace_lane(i32x4.splat(0), 0, load<u32>(POLY, 4));
  let H2 = i32x4.replace_lane(i32x4.splat(0), 0, load<u32>(POLY, 8));
  let H3 = i32x4.replace_lane(i32x4.splat(0), 0, load<u32>(POLY, 12));
  let H4 = i32x4.replace_lane(i32x4.splat(0), 0, load<u32>(POLY, 16));
  let p = POW + 160; // r^4 in every lane...
  for (let g: usize = 0; g < groups; g++, m += 64) {
    if (g == groups - 1) p = POW; // ...except in the last step: r^4, r^3, r^2, r.
    // Four blocks, transposed so that vector w_i holds word i of each block.
    const b0 = v128.load(m, 0), b1 = v128.load(m, 16), b2 = v128.load(m, 32), b3 = v128.load(m, 48);
    const t0 = i32x4.shuffle(b0, b1, 0, 4, 1, 5), t1 = i32x4.shuffle(b2, b3, 0, 4, 1, 5);
    const t2 = i32x4.shuffle(b0, b1, 2, 6, 3, 7), t3 = i32x4.shuffle(b2, b3, 2, 6, 3, 7);
    const w0 = i64x2.shuffle(t0, t1, 0, 2), w1 = i64x2.shuffle(t0, t1, 1, 3);
    const w2 = i64x2.shuffle(t2, t3, 0, 2), w3 = i64x2.shuffle(t2, t3, 1, 3);
    H0 = i32x4.add(H0, v128.and(w0, M));
    H1 = i32x4.add(H1, v128.and(v128.or(i32x4.shr_u(w0, 26), i32x4.shl(w1, 6)), M));
    H2 = i32x4.add(H2, v128.and(v128.or(i32x4.shr_u(w1, 20), i32x4.shl(w2, 12)), M));
    H3 = i32x4.add(H3, v128.and(v128.or(i32x4.shr_u(w2, 14), i32x4.shl(w3, 18)), M));
    H4 = i32x4.add(H4, v128.or(i32x4.shr_u(w3, 8), HB));
    // Products for lanes 0,1 (d) and 2,3 (e), as in blocks1: limb i gathers
    // h_j * r_(i-j), with 5 * r_(i-j+5) for the terms past 2^130.
    let d0 = mac5(H0, H1, H2, H3, H4, p, 0, 9, 8, 7, 6, true);
    let d1 = mac5(H0, H1, H2, H3, H4, p, 1, 0, 9, 8, 7, true);
    let d2 = mac5(H0, H1, H2, H3, H4, p, 2, 1, 0, 9, 8, true);
    let d3 = mac5(H0, H1, H2, H3, H4, p, 3, 2, 1, 0, 9, true);
    let d4 = mac5(H0, H1, H2, H3, H4, p, 4, 3, 2, 1, 0, true);
    let e0 = mac5(H0, H1, H2, H3, H4, p, 0, 9, 8, 7, 6, false);
    let e1 = mac5(H0, H1, H2, H3, H4, p, 1, 0, 9, 8, 7, false);
    let e2 = mac5(H0, H1, H2, H3, H4, p, 2, 1, 0, 9, 8, false);
    let e3 = mac5(H0, H1, H2, H3, H4, p, 3, 2, 1, 0, 9, false);
    let e4 = mac5(H0, H1, H2, H3, H4, p, 4, 3, 2, 1, 0, false);
    // Partial carry in two interleaved chains (0->1->2->3, 3->4->0->1):
    // shorter dependency chains than the serial order, same bounds.
    let c = i64x2.shr_u(d0, 26), f = i64x2.shr_u(e0, 26);
    d0 = v128.and(d0, M64); e0 = v128.and(e0, M64); d1 = i64x2.add(d1, c); e1 = i64x2.add(e1, f);
    c = i64x2.shr_u(d3, 26); f = i64x2.shr_u(e3, 26);
    d3 = v128.and(d3, M64); e3 = v128.and(e3, M64); d4 = i64x2.add(d4, c); e4 = i64x2.add(e4, f);
    c = i64x2.shr_u(d1, 26); f = i64x2.shr_u(e1, 26);
    d1 = v128.and(d1, M64); e1 = v128.and(e1, M64); d2 = i64x2.add(d2, c); e2 = i64x2.add(e2, f);
    c = i64x2.shr_u(d4, 26); f = i64x2.shr_u(e4, 26);
    d4 = v128.and(d4, M64); e4 = v128.and(e4, M64);
    d0 = i64x2.add(d0, i64x2.add(c, i64x2.shl(c, 2))); e0 = i64x2.add(e0, i64x2.add(f, i64x2.shl(f, 2)));
    c = i64x2.shr_u(d2, 26); f = i64x2.shr_u(e2, 26);
    d2 = v128.and(d2, M64); e2 = v128.and(e2, M64); d3 = i64x2.add(d3, c); e3 = i64x2.add(e3, f);
    c = i64x2.shr_u(d0, 26); f = i64x2.shr_u(e0, 26);
    d0 = v128.and(d0, M64); e0 = v128.and(e0, M64); d1 = i64x2.add(d1, c); e1 = i64x2.add(e1, f);
    c = i64x2.shr_u(d3, 26); f = i64x2.shr_u(e3, 26);
    d3 = v128.and(d3, M64); e3 = v128.and(e3, M64); d4 = i64x2.add(d4, c); e4 = i64x2.add(e4, f);
    // Back to four 32-bit lanes.
    H0 = i32x4.shuffle(d0, e0, 0, 2, 4, 6); H1 = i32x4.shuffle(d1, e1, 0, 2, 4, 6);
    H2 = i32x4.shuffle(d2, e2, 0, 2, 4, 6); H3 = i32x4.shuffle(d3, e3, 0, 2, 4, 6);
    H4 = i32x4.shuffle(d4, e4, 0, 2, 4, 6);
  }
  // h = sum of the lanes (each limb stays below 2^29: fine for blocks1 and polyFinish).
  store<u32>(POLY, hsum(H0), 0); store<u32>(POLY, hsum(H1), 4); store<u32>(POLY, hsum(H2), 8);
  store<u32>(POLY, hsum(H3), 12); store<u32>(POLY, hsum(H4), 16);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): u32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}

/**
 * Sum over j of h_j * (multiplier k_j at p), lanes 0,1 (`low`) or 2,3, as
 * 64-bit products; k indexes the ten vectors at p (0..4: r limbs, 5..9: 5r).
 */
// @ts-ignore: decorator
@inline function mac5(h0: v128, h1: v128, h2: v128, h3: v128, h4: v128, p: usize,
  k0: usize, k1: usize, k2: usize, k3: usize, k4: usize, low: bool): v128 {
  if (low) {
    return i64x2.add(
      i64x2.add(
        i64x2.add(i64x2.extmul_low_i32x4_u(h0, v128.load(p + (k0 << 4))), i64x2.extmul_low_i32x4_u(h1, v128.load(p + (k1 << 4)))),
        i64x2.add(i64x2.extmul_low_i32x4_u(h2, v128.load(p + (k2 << 4))), i64x2.extmul_low_i32x4_u(h3, v128.load(p + (k3 << 4))))),
      i64x2.extmul_low_i32x4_u(h4, v128.load(p + (k4 << 4))));
  }
  return i64x2.add(
    i64x2.add(
      i64x2.add(i64x2.extmul_high_i32x4_u(h0, v128.load(p + (k0 << 4))), i64x2.extmul_high_i32x4_u(h1, v128.load(p + (k1 << 4)))),
      i64x2.add(i64x2.extmul_high_i32x4_u(h2, v128.load(p + (k2 << 4))), i64x2.extmul_high_i32x4_u(h3, v128.load(p + (k3 << 4))))),
    i64x2.extmul_high_i32x4_u(h4, v128.load(p + (k4 << 4))));
}

/** Copies the last `rest` (< 16) bytes of a message to PAD and zeroes the remainder. */
function padTail(src: usize, rest: usize): void {
  store<u64>(PAD, 0, 0);
  store<u64>(PAD, 0, 8);
  for (let i: usize = 0; i < rest; i++) store<u8>(PAD + i, load<u8>(src + i));
}

/**
 * Absorbs `len` bytes as the AEAD does (RFC 8439 §2.8): whole blocks, then
 * the rest zero-padded to a whole block (pad16), still with the 2^128 bit.
 */
export function polyPadded(m: usize, len: usize): void {
  const whole = len >> 4;
  if (whole > 0) polyBlocks(m, whole, HIBIT_FULL);
  const rest = len & 15;
  if (rest > 0) {
    padTail(m + (whole << 4), rest);
    polyBlocks(PAD, 1, HIBIT_FULL);
  }
}

/**
 * Absorbs `len` bytes as plain Poly1305 does (RFC 8439 §2.5): a short last
 * block gets a 0x01 byte after its end and no 2^128 bit.
 */
export function polyMessage(m: usize, len: usize): void {
  const whole = len >> 4;
  if (whole > 0) polyBlocks(m, whole, HIBIT_FULL);
  const rest = len & 15;
  if (rest > 0) {
    padTail(m + (whole << 4), rest);
    store<u8>(PAD + rest, 1);
    polyBlocks(PAD, 1, 0);
  }
}

/** Finishes the MAC: fully reduces h mod p, adds s mod 2^128 and writes the 16-byte tag. */
export function polyFinish(out: usize): void {
  let h0 = <u64>load<u32>(POLY, 0), h1 = <u64>load<u32>(POLY, 4), h2 = <u64>load<u32>(POLY, 8);
  let h3 = <u64>load<u32>(POLY, 12), h4 = <u64>load<u32>(POLY, 16);
  // Full carry: every limb below 2^26, h < 2^130 (but possibly >= p).
  let c = h1 >> 26; h1 &= MASK; h2 += c;
  c = h2 >> 26; h2 &= MASK; h3 += c;
  c = h3 >> 26; h3 &= MASK; h4 += c;
  c = h4 >> 26; h4 &= MASK; h0 += c * 5;
  c = h0 >> 26; h0 &= MASK; h1 += c;
  c = h1 >> 26; h1 &= MASK; h2 += c;
  c = h2 >> 26; h2 &= MASK; h3 += c;
  c = h3 >> 26; h3 &= MASK; h4 += c;
  c = h4 >> 26; h4 &= MASK; h0 += c * 5;
  c = h0 >> 26; h0 &= MASK; h1 += c;
  // g = h + 5 - 2^130; if it does not go negative, h >= p and g is h mod p.
  // Selected with a mask, not a branch, to stay constant-time.
  let g0 = h0 + 5; c = g0 >> 26; g0 &= MASK;
  let g1 = h1 + c; c = g1 >> 26; g1 &= MASK;
  let g2 = h2 + c; c = g2 >> 26; g2 &= MASK;
  let g3 = h3 + c; c = g3 >> 26; g3 &= MASK;
  const g4 = h4 + c - (<u64>1 << 26);
  const useG = (g4 >> 63) - 1; // all ones when g4 >= 0
  h0 = (h0 & ~useG) | (g0 & useG);
  h1 = (h1 & ~useG) | (g1 & useG);
  h2 = (h2 & ~useG) | (g2 & useG);
  h3 = (h3 & ~useG) | (g3 & useG);
  h4 = (h4 & ~useG) | (g4 & useG);
  // To 4 x 32 bits, plus s with carry (mod 2^128).
  let f = (h0 | (h1 << 26)) & 0xffffffff;
  f += <u64>load<u32>(POLY, 40);
  store<u32>(out, <u32>f, 0);
  f = (((h1 >> 6) | (h2 << 20)) & 0xffffffff) + <u64>load<u32>(POLY, 44) + (f >> 32);
  store<u32>(out, <u32>f, 4);
  f = (((h2 >> 12) | (h3 << 14)) & 0xffffffff) + <u64>load<u32>(POLY, 48) + (f >> 32);
  store<u32>(out, <u32>f, 8);
  f = (((h3 >> 18) | (h4 << 8)) & 0xffffffff) + <u64>load<u32>(POLY, 52) + (f >> 32);
  store<u32>(out, <u32>f, 12);
}
