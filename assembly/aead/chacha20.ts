// ChaCha20 (RFC 8439 §2.3 block function, §2.4 encryption).
//
// The SIMD build computes four blocks at once: each v128 holds the same state
// word of four consecutive blocks (lane i = block counter + i), so the rounds
// are plain lane-wise adds, xors and rotations and the four blocks are only
// transposed back to byte order when they are xored into the data. The scalar
// block function serves the scalar build and is the reference the 4-way path
// is tested against.
import { KEY, NONCE, KS, ZERO } from "./memory";

// "expand 32-byte k", RFC 8439 §2.3 words 0..3.
export const C0: u32 = 0x61707865;
export const C1: u32 = 0x3320646e;
export const C2: u32 = 0x79622d32;
export const C3: u32 = 0x6b206574;

/**
 * Scalar block function (RFC 8439 §2.3.1): writes the 64-byte keystream block
 * for `counter` (key and nonce from KEY and NONCE) to `out`.
 */
export function chachaBlock(counter: u32, out: usize): void {
  chachaRounds(counter, out, false);
}

/**
 * HChaCha20's core (draft-irtf-cfrg-xchacha-03 §2.2): the same 20 rounds with
 * `counter` and NONCE as input words 12..15, then words 0..3 and 12..15
 * without the feed-forward, 32 bytes to `out` (which may be KEY: the key is
 * read before anything is written).
 */
export function hchachaBlock(counter: u32, out: usize): void {
  chachaRounds(counter, out, true);
}

/** The block function's rounds, then its output (`hchacha`, a constant where inlined: HChaCha20's instead). */
// @ts-ignore: decorator
@inline function chachaRounds(counter: u32, out: usize, hchacha: bool): void {
  let x0 = C0, x1 = C1, x2 = C2, x3 = C3;
  let x4 = load<u32>(KEY, 0), x5 = load<u32>(KEY, 4), x6 = load<u32>(KEY, 8), x7 = load<u32>(KEY, 12);
  let x8 = load<u32>(KEY, 16), x9 = load<u32>(KEY, 20), x10 = load<u32>(KEY, 24), x11 = load<u32>(KEY, 28);
  let x12 = counter, x13 = load<u32>(NONCE, 0), x14 = load<u32>(NONCE, 4), x15 = load<u32>(NONCE, 8);
  // Ten double rounds, two per iteration (as in chachaXor4; ~10% faster on V8).
  for (let i = 0; i < 5; i++) {
    // Column round: QUARTERROUND(0,4,8,12) (1,5,9,13) (2,6,10,14) (3,7,11,15).
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 16); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 12);
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 8); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 7);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 16); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 12);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 8); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 7);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 16); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 12);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 8); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 7);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 16); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 12);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 8); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 7);
    // Diagonal round: QUARTERROUND(0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14).
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 16); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 12);
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 8); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 7);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 16); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 12);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 8); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 7);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 16); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 12);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 8); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 7);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 16); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 12);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 8); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 7);
    // The second double round of the iteration.
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 16); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 12);
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 8); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 7);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 16); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 12);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 8); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 7);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 16); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 12);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 8); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 7);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 16); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 12);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 8); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 7);
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 16); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 12);
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 8); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 7);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 16); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 12);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 8); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 7);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 16); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 12);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 8); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 7);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 16); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 12);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 8); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 7);
  }
  if (hchacha) {
    store<u32>(out, x0, 0);
    store<u32>(out, x1, 4);
    store<u32>(out, x2, 8);
    store<u32>(out, x3, 12);
    store<u32>(out, x12, 16);
    store<u32>(out, x13, 20);
    store<u32>(out, x14, 24);
    store<u32>(out, x15, 28);
    return;
  }
  // Add the input state back (RFC 8439 §2.3) and serialize little-endian.
  store<u32>(out, x0 + C0, 0);
  store<u32>(out, x1 + C1, 4);
  store<u32>(out, x2 + C2, 8);
  store<u32>(out, x3 + C3, 12);
  store<u32>(out, x4 + load<u32>(KEY, 0), 16);
  store<u32>(out, x5 + load<u32>(KEY, 4), 20);
  store<u32>(out, x6 + load<u32>(KEY, 8), 24);
  store<u32>(out, x7 + load<u32>(KEY, 12), 28);
  store<u32>(out, x8 + load<u32>(KEY, 16), 32);
  store<u32>(out, x9 + load<u32>(KEY, 20), 36);
  store<u32>(out, x10 + load<u32>(KEY, 24), 40);
  store<u32>(out, x11 + load<u32>(KEY, 28), 44);
  store<u32>(out, x12 + counter, 48);
  store<u32>(out, x13 + load<u32>(NONCE, 0), 52);
  store<u32>(out, x14 + load<u32>(NONCE, 4), 56);
  store<u32>(out, x15 + load<u32>(NONCE, 8), 60);
}

// Lane-wise rotations. By 16 and 8 they are byte permutations: a swizzle
// with a constant in-range mask, which V8 emits as a single pshufb (no
// saturating add, and the mask is materialised once per round, not per use).
// Measured on V8 11 (x64): ~10% faster than i8x16.shuffle, which V8 turns
// into pshuflw+pshufhw (by 16) or a per-use mask build + pshufb (by 8), and
// than shift-shift-or. By 12 and 7 there is no byte move: shift, shift, or.
// HChaCha20 (../gcm/hchacha20.ts) rotates its v128 rows with these too.
// @ts-ignore: decorator
@inline export function rot16(x: v128): v128 {
  return i8x16.swizzle(x, i8x16(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13));
}
// @ts-ignore: decorator
@inline export function rot8(x: v128): v128 {
  return i8x16.swizzle(x, i8x16(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14));
}
// @ts-ignore: decorator
@inline export function rot12(x: v128): v128 {
  return v128.or(i32x4.shl(x, 12), i32x4.shr_u(x, 20));
}
// @ts-ignore: decorator
@inline export function rot7(x: v128): v128 {
  return v128.or(i32x4.shl(x, 7), i32x4.shr_u(x, 25));
}

/**
 * Transposes four state-word vectors a..d (words 4g..4g+3 of blocks 0..3)
 * into byte order and xors them into the four 64-byte blocks at src + 16g,
 * storing to dst + 16g. Loads precede the store at each offset, so src == dst
 * is fine.
 */
// @ts-ignore: decorator
@inline function xorWords(a: v128, b: v128, c: v128, d: v128, src: usize, dst: usize): void {
  const ab01 = i32x4.shuffle(a, b, 0, 4, 1, 5); // a0 b0 a1 b1
  const cd01 = i32x4.shuffle(c, d, 0, 4, 1, 5); // c0 d0 c1 d1
  const ab23 = i32x4.shuffle(a, b, 2, 6, 3, 7); // a2 b2 a3 b3
  const cd23 = i32x4.shuffle(c, d, 2, 6, 3, 7); // c2 d2 c3 d3
  v128.store(dst, v128.xor(v128.load(src, 0), i64x2.shuffle(ab01, cd01, 0, 2)), 0);
  v128.store(dst, v128.xor(v128.load(src, 64), i64x2.shuffle(ab01, cd01, 1, 3)), 64);
  v128.store(dst, v128.xor(v128.load(src, 128), i64x2.shuffle(ab23, cd23, 0, 2)), 128);
  v128.store(dst, v128.xor(v128.load(src, 192), i64x2.shuffle(ab23, cd23, 1, 3)), 192);
}

/**
 * 4-way SIMD: xors the keystream of blocks counter..counter+3 into 256 bytes
 * at src, storing at dst (src == dst, or disjoint).
 */
export function chachaXor4(counter: u32, src: usize, dst: usize): void {
  const ctr = i32x4.add(i32x4.splat(counter), i32x4(0, 1, 2, 3));
  let x0 = i32x4.splat(C0), x1 = i32x4.splat(C1), x2 = i32x4.splat(C2), x3 = i32x4.splat(C3);
  let x4 = v128.load32_splat(KEY, 0), x5 = v128.load32_splat(KEY, 4);
  let x6 = v128.load32_splat(KEY, 8), x7 = v128.load32_splat(KEY, 12);
  let x8 = v128.load32_splat(KEY, 16), x9 = v128.load32_splat(KEY, 20);
  let x10 = v128.load32_splat(KEY, 24), x11 = v128.load32_splat(KEY, 28);
  let x12 = ctr, x13 = v128.load32_splat(NONCE, 0);
  let x14 = v128.load32_splat(NONCE, 4), x15 = v128.load32_splat(NONCE, 8);
  // Ten double rounds, two per iteration: unrolling once measured 5-10%
  // faster on V8 (fewer register moves around the loop back edge); fully
  // unrolled was no better and four times the code.
  for (let i = 0; i < 5; i++) {
    // Column round, the four quarter rounds interleaved step by step.
    x0 = i32x4.add(x0, x4); x1 = i32x4.add(x1, x5); x2 = i32x4.add(x2, x6); x3 = i32x4.add(x3, x7);
    x12 = rot16(v128.xor(x12, x0)); x13 = rot16(v128.xor(x13, x1));
    x14 = rot16(v128.xor(x14, x2)); x15 = rot16(v128.xor(x15, x3));
    x8 = i32x4.add(x8, x12); x9 = i32x4.add(x9, x13); x10 = i32x4.add(x10, x14); x11 = i32x4.add(x11, x15);
    x4 = rot12(v128.xor(x4, x8)); x5 = rot12(v128.xor(x5, x9));
    x6 = rot12(v128.xor(x6, x10)); x7 = rot12(v128.xor(x7, x11));
    x0 = i32x4.add(x0, x4); x1 = i32x4.add(x1, x5); x2 = i32x4.add(x2, x6); x3 = i32x4.add(x3, x7);
    x12 = rot8(v128.xor(x12, x0)); x13 = rot8(v128.xor(x13, x1));
    x14 = rot8(v128.xor(x14, x2)); x15 = rot8(v128.xor(x15, x3));
    x8 = i32x4.add(x8, x12); x9 = i32x4.add(x9, x13); x10 = i32x4.add(x10, x14); x11 = i32x4.add(x11, x15);
    x4 = rot7(v128.xor(x4, x8)); x5 = rot7(v128.xor(x5, x9));
    x6 = rot7(v128.xor(x6, x10)); x7 = rot7(v128.xor(x7, x11));
    // Diagonal round: (0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14).
    x0 = i32x4.add(x0, x5); x1 = i32x4.add(x1, x6); x2 = i32x4.add(x2, x7); x3 = i32x4.add(x3, x4);
    x15 = rot16(v128.xor(x15, x0)); x12 = rot16(v128.xor(x12, x1));
    x13 = rot16(v128.xor(x13, x2)); x14 = rot16(v128.xor(x14, x3));
    x10 = i32x4.add(x10, x15); x11 = i32x4.add(x11, x12); x8 = i32x4.add(x8, x13); x9 = i32x4.add(x9, x14);
    x5 = rot12(v128.xor(x5, x10)); x6 = rot12(v128.xor(x6, x11));
    x7 = rot12(v128.xor(x7, x8)); x4 = rot12(v128.xor(x4, x9));
    x0 = i32x4.add(x0, x5); x1 = i32x4.add(x1, x6); x2 = i32x4.add(x2, x7); x3 = i32x4.add(x3, x4);
    x15 = rot8(v128.xor(x15, x0)); x12 = rot8(v128.xor(x12, x1));
    x13 = rot8(v128.xor(x13, x2)); x14 = rot8(v128.xor(x14, x3));
    x10 = i32x4.add(x10, x15); x11 = i32x4.add(x11, x12); x8 = i32x4.add(x8, x13); x9 = i32x4.add(x9, x14);
    x5 = rot7(v128.xor(x5, x10)); x6 = rot7(v128.xor(x6, x11));
    x7 = rot7(v128.xor(x7, x8)); x4 = rot7(v128.xor(x4, x9));
    // The second double round of the iteration.
    x0 = i32x4.add(x0, x4); x1 = i32x4.add(x1, x5); x2 = i32x4.add(x2, x6); x3 = i32x4.add(x3, x7);
    x12 = rot16(v128.xor(x12, x0)); x13 = rot16(v128.xor(x13, x1));
    x14 = rot16(v128.xor(x14, x2)); x15 = rot16(v128.xor(x15, x3));
    x8 = i32x4.add(x8, x12); x9 = i32x4.add(x9, x13); x10 = i32x4.add(x10, x14); x11 = i32x4.add(x11, x15);
    x4 = rot12(v128.xor(x4, x8)); x5 = rot12(v128.xor(x5, x9));
    x6 = rot12(v128.xor(x6, x10)); x7 = rot12(v128.xor(x7, x11));
    x0 = i32x4.add(x0, x4); x1 = i32x4.add(x1, x5); x2 = i32x4.add(x2, x6); x3 = i32x4.add(x3, x7);
    x12 = rot8(v128.xor(x12, x0)); x13 = rot8(v128.xor(x13, x1));
    x14 = rot8(v128.xor(x14, x2)); x15 = rot8(v128.xor(x15, x3));
    x8 = i32x4.add(x8, x12); x9 = i32x4.add(x9, x13); x10 = i32x4.add(x10, x14); x11 = i32x4.add(x11, x15);
    x4 = rot7(v128.xor(x4, x8)); x5 = rot7(v128.xor(x5, x9));
    x6 = rot7(v128.xor(x6, x10)); x7 = rot7(v128.xor(x7, x11));
    x0 = i32x4.add(x0, x5); x1 = i32x4.add(x1, x6); x2 = i32x4.add(x2, x7); x3 = i32x4.add(x3, x4);
    x15 = rot16(v128.xor(x15, x0)); x12 = rot16(v128.xor(x12, x1));
    x13 = rot16(v128.xor(x13, x2)); x14 = rot16(v128.xor(x14, x3));
    x10 = i32x4.add(x10, x15); x11 = i32x4.add(x11, x12); x8 = i32x4.add(x8, x13); x9 = i32x4.add(x9, x14);
    x5 = rot12(v128.xor(x5, x10)); x6 = rot12(v128.xor(x6, x11));
    x7 = rot12(v128.xor(x7, x8)); x4 = rot12(v128.xor(x4, x9));
    x0 = i32x4.add(x0, x5); x1 = i32x4.add(x1, x6); x2 = i32x4.add(x2, x7); x3 = i32x4.add(x3, x4);
    x15 = rot8(v128.xor(x15, x0)); x12 = rot8(v128.xor(x12, x1));
    x13 = rot8(v128.xor(x13, x2)); x14 = rot8(v128.xor(x14, x3));
    x10 = i32x4.add(x10, x15); x11 = i32x4.add(x11, x12); x8 = i32x4.add(x8, x13); x9 = i32x4.add(x9, x14);
    x5 = rot7(v128.xor(x5, x10)); x6 = rot7(v128.xor(x6, x11));
    x7 = rot7(v128.xor(x7, x8)); x4 = rot7(v128.xor(x4, x9));
  }
  // Add the input state back; the splats are reloaded from memory (one
  // broadcast load each) rather than kept live through the rounds, where
  // they would only add register pressure.
  x0 = i32x4.add(x0, i32x4.splat(C0)); x1 = i32x4.add(x1, i32x4.splat(C1));
  x2 = i32x4.add(x2, i32x4.splat(C2)); x3 = i32x4.add(x3, i32x4.splat(C3));
  xorWords(x0, x1, x2, x3, src, dst);
  x4 = i32x4.add(x4, v128.load32_splat(KEY, 0)); x5 = i32x4.add(x5, v128.load32_splat(KEY, 4));
  x6 = i32x4.add(x6, v128.load32_splat(KEY, 8)); x7 = i32x4.add(x7, v128.load32_splat(KEY, 12));
  xorWords(x4, x5, x6, x7, src + 16, dst + 16);
  x8 = i32x4.add(x8, v128.load32_splat(KEY, 16)); x9 = i32x4.add(x9, v128.load32_splat(KEY, 20));
  x10 = i32x4.add(x10, v128.load32_splat(KEY, 24)); x11 = i32x4.add(x11, v128.load32_splat(KEY, 28));
  xorWords(x8, x9, x10, x11, src + 32, dst + 32);
  x12 = i32x4.add(x12, ctr); x13 = i32x4.add(x13, v128.load32_splat(NONCE, 0));
  x14 = i32x4.add(x14, v128.load32_splat(NONCE, 4)); x15 = i32x4.add(x15, v128.load32_splat(NONCE, 8));
  xorWords(x12, x13, x14, x15, src + 48, dst + 48);
}

/** dst[i] = src[i] ^ ks[i] for i < len (8 bytes at a time, then bytes). */
export function xorBytes(src: usize, dst: usize, ks: usize, len: usize): void {
  let i: usize = 0;
  for (; i + 8 <= len; i += 8) store<u64>(dst + i, load<u64>(src + i) ^ load<u64>(ks + i));
  for (; i < len; i++) store<u8>(dst + i, load<u8>(src + i) ^ load<u8>(ks + i));
}

/**
 * ChaCha20 encryption (RFC 8439 §2.4): xors `len` bytes at src with the
 * keystream starting at block `counter`, storing at dst (src == dst, or
 * disjoint). A partial last group goes through the KS scratch.
 */
export function chachaXor(counter: u32, src: usize, dst: usize, len: usize): void {
  if (ASC_FEATURE_SIMD) {
    while (len >= 256) {
      chachaXor4(counter, src, dst);
      counter += 4; src += 256; dst += 256; len -= 256;
    }
    if (len > 0) {
      chachaXor4(counter, ZERO, KS); // bare keystream
      xorBytes(src, dst, KS, len);
    }
  } else {
    while (len >= 64) {
      chachaBlock(counter, KS);
      xorBytes(src, dst, KS, 64);
      counter += 1; src += 64; dst += 64; len -= 64;
    }
    if (len > 0) {
      chachaBlock(counter, KS);
      xorBytes(src, dst, KS, len);
    }
  }
}
