// The linear part of an AES round (FIPS 197 §5.1.2 ShiftRows, §5.1.3
// MixColumns, §5.1.4 AddRoundKey) on the 8 bit planes of a bitsliced batch,
// taken as values straight from the S-box circuit (sbox.ts) so that a round
// never stores and reloads its planes between the two halves.
//
// MixColumns: s'_r = 2(s_r + s_{r+1}) + s_{r+1} + (s_{r+2} + s_{r+3}); the
// doubling moves plane k to k+1 and folds plane 7 into planes 0, 1, 3, 4
// (0x1b). The layouts are described in aes.ts: SIMD planes are row-major
// (a row is one 32-bit lane), scalar planes have state byte i in nibble i.
// ---- SIMD: v128 planes, byte 4 * row + column ------------------------------

// Fixed byte permutations are i8x16.swizzle with v128.const indices, all
// below 16 (public constants: a register permute, no memory access). V8
// compiles such a swizzle to a single pshufb and, the constant being one
// node, builds the index vector once per function; an i8x16.shuffle rebuilds
// its 16-byte pattern at every use (4 instructions), and a swizzle whose
// indices come from memory gets a saturating add before each pshufb.

/** The 4x4 byte transpose's indices: FIPS 197's column-major state order to row-major and back. */
@inline export function rowMajorIndex(): v128 {
  return i8x16(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
}
/** The 4x4 byte transpose of p with the indices of rowMajorIndex(). */
@inline export function rowMajor(p: v128, rm: v128): v128 {
  return i8x16.swizzle(p, rm);
}
/** ShiftRows' indices: row r (lane r) rotated left by r bytes. */
@inline function shiftRowsIndex(): v128 {
  return i8x16(0, 1, 2, 3, 5, 6, 7, 4, 10, 11, 8, 9, 15, 12, 13, 14);
}
/** ShiftRows: state byte (r, c) takes byte (r, (c + r) mod 4); row r is lane r. */
@inline function shiftRows8(p: v128, sr: v128): v128 {
  return i8x16.swizzle(p, sr);
}
/** Each byte takes the byte one row down in its column (row 3 takes row 0): lanes 1, 2, 3, 0. */
@inline function rowsUp1(p: v128): v128 {
  return i8x16.shuffle(p, p, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3);
}
/** Each byte takes the byte two rows down in its column: lanes 2, 3, 0, 1. */
@inline function rowsUp2(p: v128): v128 {
  return i8x16.shuffle(p, p, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
}

/** ShiftRows, MixColumns unless `last` (public: round 14), AddRoundKey with the planes at rk; to the planes at dst. */
@inline export function mixAddStore8(
  q0: v128, q1: v128, q2: v128, q3: v128, q4: v128, q5: v128, q6: v128, q7: v128, rk: usize, last: bool, dst: usize,
): void {
  const sr = shiftRowsIndex();
  const p0 = shiftRows8(q0, sr), p1 = shiftRows8(q1, sr), p2 = shiftRows8(q2, sr), p3 = shiftRows8(q3, sr);
  const p4 = shiftRows8(q4, sr), p5 = shiftRows8(q5, sr), p6 = shiftRows8(q6, sr), p7 = shiftRows8(q7, sr);
  if (last) {
    v128.store(dst, v128.xor(p0, v128.load(rk)));
    v128.store(dst, v128.xor(p1, v128.load(rk, 16)), 16);
    v128.store(dst, v128.xor(p2, v128.load(rk, 32)), 32);
    v128.store(dst, v128.xor(p3, v128.load(rk, 48)), 48);
    v128.store(dst, v128.xor(p4, v128.load(rk, 64)), 64);
    v128.store(dst, v128.xor(p5, v128.load(rk, 80)), 80);
    v128.store(dst, v128.xor(p6, v128.load(rk, 96)), 96);
    v128.store(dst, v128.xor(p7, v128.load(rk, 112)), 112);
    return;
  }
  const b0 = rowsUp1(p0), b1 = rowsUp1(p1), b2 = rowsUp1(p2), b3 = rowsUp1(p3);
  const b4 = rowsUp1(p4), b5 = rowsUp1(p5), b6 = rowsUp1(p6), b7 = rowsUp1(p7);
  const t0 = v128.xor(p0, b0), t1 = v128.xor(p1, b1), t2 = v128.xor(p2, b2), t3 = v128.xor(p3, b3);
  const t4 = v128.xor(p4, b4), t5 = v128.xor(p5, b5), t6 = v128.xor(p6, b6), t7 = v128.xor(p7, b7);
  v128.store(dst, v128.xor(v128.xor(t7, b0), v128.xor(rowsUp2(t0), v128.load(rk))));
  v128.store(dst, v128.xor(v128.xor(v128.xor(t0, t7), b1), v128.xor(rowsUp2(t1), v128.load(rk, 16))), 16);
  v128.store(dst, v128.xor(v128.xor(t1, b2), v128.xor(rowsUp2(t2), v128.load(rk, 32))), 32);
  v128.store(dst, v128.xor(v128.xor(v128.xor(t2, t7), b3), v128.xor(rowsUp2(t3), v128.load(rk, 48))), 48);
  v128.store(dst, v128.xor(v128.xor(v128.xor(t3, t7), b4), v128.xor(rowsUp2(t4), v128.load(rk, 64))), 64);
  v128.store(dst, v128.xor(v128.xor(t4, b5), v128.xor(rowsUp2(t5), v128.load(rk, 80))), 80);
  v128.store(dst, v128.xor(v128.xor(t5, b6), v128.xor(rowsUp2(t6), v128.load(rk, 96))), 96);
  v128.store(dst, v128.xor(v128.xor(t6, b7), v128.xor(rowsUp2(t7), v128.load(rk, 112))), 112);
}

// ---- scalar: u64 planes, state byte i in nibble i -------------------------

@inline function shiftRows4(x: u64): u64 {
  return (x & 0x000f000f000f000f) | (rotr<u64>(x, 16) & 0x00f000f000f000f0) |
    (rotr<u64>(x, 32) & 0x0f000f000f000f00) | (rotr<u64>(x, 48) & 0xf000f000f000f000);
}
@inline function up1(x: u64): u64 {
  return ((x >> 4) & 0x0fff0fff0fff0fff) | ((x << 12) & 0xf000f000f000f000);
}
@inline function up2(x: u64): u64 {
  return ((x >> 8) & 0x00ff00ff00ff00ff) | ((x << 8) & 0xff00ff00ff00ff00);
}

/** mixAddStore8 for the scalar layout. */
@inline export function mixAddStore4(
  q0: u64, q1: u64, q2: u64, q3: u64, q4: u64, q5: u64, q6: u64, q7: u64, rk: usize, last: bool, dst: usize,
): void {
  const p0 = shiftRows4(q0), p1 = shiftRows4(q1), p2 = shiftRows4(q2), p3 = shiftRows4(q3);
  const p4 = shiftRows4(q4), p5 = shiftRows4(q5), p6 = shiftRows4(q6), p7 = shiftRows4(q7);
  if (last) {
    store<u64>(dst, p0 ^ load<u64>(rk)); store<u64>(dst, p1 ^ load<u64>(rk, 8), 8);
    store<u64>(dst, p2 ^ load<u64>(rk, 16), 16); store<u64>(dst, p3 ^ load<u64>(rk, 24), 24);
    store<u64>(dst, p4 ^ load<u64>(rk, 32), 32); store<u64>(dst, p5 ^ load<u64>(rk, 40), 40);
    store<u64>(dst, p6 ^ load<u64>(rk, 48), 48); store<u64>(dst, p7 ^ load<u64>(rk, 56), 56);
    return;
  }
  const b0 = up1(p0), b1 = up1(p1), b2 = up1(p2), b3 = up1(p3), b4 = up1(p4), b5 = up1(p5), b6 = up1(p6), b7 = up1(p7);
  const t0 = p0 ^ b0, t1 = p1 ^ b1, t2 = p2 ^ b2, t3 = p3 ^ b3, t4 = p4 ^ b4, t5 = p5 ^ b5, t6 = p6 ^ b6, t7 = p7 ^ b7;
  store<u64>(dst, t7 ^ b0 ^ up2(t0) ^ load<u64>(rk));
  store<u64>(dst, t0 ^ t7 ^ b1 ^ up2(t1) ^ load<u64>(rk, 8), 8);
  store<u64>(dst, t1 ^ b2 ^ up2(t2) ^ load<u64>(rk, 16), 16);
  store<u64>(dst, t2 ^ t7 ^ b3 ^ up2(t3) ^ load<u64>(rk, 24), 24);
  store<u64>(dst, t3 ^ t7 ^ b4 ^ up2(t4) ^ load<u64>(rk, 32), 32);
  store<u64>(dst, t4 ^ b5 ^ up2(t5) ^ load<u64>(rk, 40), 40);
  store<u64>(dst, t5 ^ b6 ^ up2(t6) ^ load<u64>(rk, 48), 48);
  store<u64>(dst, t6 ^ b7 ^ up2(t7) ^ load<u64>(rk, 56), 56);
}
