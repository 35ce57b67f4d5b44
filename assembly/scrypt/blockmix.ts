// scryptBlockMix (RFC 7914 §4) with the Salsa20/8 core (§3) inlined.
//
// One BlockMix is 2r Salsa20/8 calls chained through X; X lives in locals
// (4 v128 or 16 u32) for the whole loop, and each output goes straight to its
// final place in B' (even steps to the first half, odd steps to the second),
// so there is no Y buffer and no reshuffling copy. The XOR variant reads its
// input as src ^ src2, which is ROMix's second loop (X xor V_j) fused into
// the loads instead of a separate pass over X.
//
// The SIMD build keeps blocks in the diagonal layout of salsa20.ts; the
// scalar build keeps RFC word order. ASC_FEATURE_SIMD picks one at compile
// time; both are compiled into the as-pect build for the equivalence test.
import { stepS, stepV } from "./salsa20";

/** B' = BlockMix(src) into dst (128·r bytes each, not overlapping). */
export function blockMix(src: usize, dst: usize, r: usize): void {
  if (ASC_FEATURE_SIMD) blockMixV(src, 0, dst, r, false);
  else blockMixS(src, 0, dst, r, false);
}

/** B' = BlockMix(src ^ src2) into dst (dst overlapping neither). */
export function blockMixXor(src: usize, src2: usize, dst: usize, r: usize): void {
  if (ASC_FEATURE_SIMD) blockMixV(src, src2, dst, r, true);
  else blockMixS(src, src2, dst, r, true);
}

/** The SIMD BlockMix on SIMD-layout blocks (for the as-pect equivalence test). */
export function blockMixSimd(src: usize, dst: usize, r: usize): void {
  blockMixV(src, 0, dst, r, false);
}

/** The scalar BlockMix on RFC-order blocks (for the as-pect equivalence test). */
export function blockMixScalar(src: usize, dst: usize, r: usize): void {
  blockMixS(src, 0, dst, r, false);
}

// `withXor` is a constant at every call site, so the untaken branches fold away.
// @ts-ignore: decorator
@inline function blockMixV(src: usize, src2: usize, dst: usize, r: usize, withXor: bool): void {
  const lastOff = (r << 7) - 64;
  const half = r << 6;
  // X = B[2r - 1]
  let a = v128.load(src + lastOff, 0), b = v128.load(src + lastOff, 16);
  let c = v128.load(src + lastOff, 32), d = v128.load(src + lastOff, 48);
  if (withXor) {
    a = v128.xor(a, v128.load(src2 + lastOff, 0)); b = v128.xor(b, v128.load(src2 + lastOff, 16));
    c = v128.xor(c, v128.load(src2 + lastOff, 32)); d = v128.xor(d, v128.load(src2 + lastOff, 48));
  }
  const steps = r << 1;
  for (let i: usize = 0; i < steps; i++) {
    // X ^= B[i]; the B[i] ^ V[j][i] half of the XOR is off X's dependency chain.
    const p = src + (i << 6);
    let ia = v128.load(p, 0), ib = v128.load(p, 16), ic = v128.load(p, 32), id = v128.load(p, 48);
    if (withXor) {
      const q = src2 + (i << 6);
      ia = v128.xor(ia, v128.load(q, 0)); ib = v128.xor(ib, v128.load(q, 16));
      ic = v128.xor(ic, v128.load(q, 32)); id = v128.xor(id, v128.load(q, 48));
    }
    a = v128.xor(a, ia); b = v128.xor(b, ib); c = v128.xor(c, ic); d = v128.xor(d, id);
    const a0 = a, b0 = b, c0 = c, d0 = d;
    for (let k = 0; k < 4; k++) {
      // Column round: the four columns are the four lanes.
      b = stepV(b, a, d, 7); c = stepV(c, b, a, 9); d = stepV(d, c, b, 13); a = stepV(a, d, c, 18);
      // Rotate lanes so that the rows line up: B -> (x3,x4,x9,x14), C -> (x2,x7,x8,x13), D -> (x1,x6,x11,x12).
      b = i32x4.shuffle(b, b, 3, 0, 1, 2); c = i32x4.shuffle(c, c, 2, 3, 0, 1); d = i32x4.shuffle(d, d, 1, 2, 3, 0);
      // Row round, with the roles of B and D exchanged (x1 = y1 is in D, x3 = y3 in B).
      d = stepV(d, a, b, 7); c = stepV(c, d, a, 9); b = stepV(b, c, d, 13); a = stepV(a, b, c, 18);
      b = i32x4.shuffle(b, b, 1, 2, 3, 0); c = i32x4.shuffle(c, c, 2, 3, 0, 1); d = i32x4.shuffle(d, d, 3, 0, 1, 2);
    }
    a = i32x4.add(a, a0); b = i32x4.add(b, b0); c = i32x4.add(c, c0); d = i32x4.add(d, d0);
    // Y[i] goes to B'[i / 2] for even i and B'[r + i / 2] for odd i.
    const o = dst + (i & 1) * half + ((i >> 1) << 6);
    v128.store(o, a, 0); v128.store(o, b, 16); v128.store(o, c, 32); v128.store(o, d, 48);
  }
}

// @ts-ignore: decorator
@inline function blockMixS(src: usize, src2: usize, dst: usize, r: usize, withXor: bool): void {
  const lastOff = (r << 7) - 64;
  const half = r << 6;
  const l = src + lastOff, l2 = src2 + lastOff;
  let x0 = load<u32>(l, 0), x1 = load<u32>(l, 4), x2 = load<u32>(l, 8), x3 = load<u32>(l, 12);
  let x4 = load<u32>(l, 16), x5 = load<u32>(l, 20), x6 = load<u32>(l, 24), x7 = load<u32>(l, 28);
  let x8 = load<u32>(l, 32), x9 = load<u32>(l, 36), x10 = load<u32>(l, 40), x11 = load<u32>(l, 44);
  let x12 = load<u32>(l, 48), x13 = load<u32>(l, 52), x14 = load<u32>(l, 56), x15 = load<u32>(l, 60);
  if (withXor) {
    x0 ^= load<u32>(l2, 0); x1 ^= load<u32>(l2, 4); x2 ^= load<u32>(l2, 8); x3 ^= load<u32>(l2, 12);
    x4 ^= load<u32>(l2, 16); x5 ^= load<u32>(l2, 20); x6 ^= load<u32>(l2, 24); x7 ^= load<u32>(l2, 28);
    x8 ^= load<u32>(l2, 32); x9 ^= load<u32>(l2, 36); x10 ^= load<u32>(l2, 40); x11 ^= load<u32>(l2, 44);
    x12 ^= load<u32>(l2, 48); x13 ^= load<u32>(l2, 52); x14 ^= load<u32>(l2, 56); x15 ^= load<u32>(l2, 60);
  }
  const steps = r << 1;
  for (let i: usize = 0; i < steps; i++) {
    const p = src + (i << 6);
    x0 ^= load<u32>(p, 0); x1 ^= load<u32>(p, 4); x2 ^= load<u32>(p, 8); x3 ^= load<u32>(p, 12);
    x4 ^= load<u32>(p, 16); x5 ^= load<u32>(p, 20); x6 ^= load<u32>(p, 24); x7 ^= load<u32>(p, 28);
    x8 ^= load<u32>(p, 32); x9 ^= load<u32>(p, 36); x10 ^= load<u32>(p, 40); x11 ^= load<u32>(p, 44);
    x12 ^= load<u32>(p, 48); x13 ^= load<u32>(p, 52); x14 ^= load<u32>(p, 56); x15 ^= load<u32>(p, 60);
    if (withXor) {
      const q = src2 + (i << 6);
      x0 ^= load<u32>(q, 0); x1 ^= load<u32>(q, 4); x2 ^= load<u32>(q, 8); x3 ^= load<u32>(q, 12);
      x4 ^= load<u32>(q, 16); x5 ^= load<u32>(q, 20); x6 ^= load<u32>(q, 24); x7 ^= load<u32>(q, 28);
      x8 ^= load<u32>(q, 32); x9 ^= load<u32>(q, 36); x10 ^= load<u32>(q, 40); x11 ^= load<u32>(q, 44);
      x12 ^= load<u32>(q, 48); x13 ^= load<u32>(q, 52); x14 ^= load<u32>(q, 56); x15 ^= load<u32>(q, 60);
    }
    const y0 = x0, y1 = x1, y2 = x2, y3 = x3, y4 = x4, y5 = x5, y6 = x6, y7 = x7;
    const y8 = x8, y9 = x9, y10 = x10, y11 = x11, y12 = x12, y13 = x13, y14 = x14, y15 = x15;
    for (let k = 0; k < 4; k++) {
      // Columns (x0,x4,x8,x12) (x5,x9,x13,x1) (x10,x14,x2,x6) (x15,x3,x7,x11).
      x4 = stepS(x4, x0, x12, 7); x8 = stepS(x8, x4, x0, 9); x12 = stepS(x12, x8, x4, 13); x0 = stepS(x0, x12, x8, 18);
      x9 = stepS(x9, x5, x1, 7); x13 = stepS(x13, x9, x5, 9); x1 = stepS(x1, x13, x9, 13); x5 = stepS(x5, x1, x13, 18);
      x14 = stepS(x14, x10, x6, 7); x2 = stepS(x2, x14, x10, 9); x6 = stepS(x6, x2, x14, 13); x10 = stepS(x10, x6, x2, 18);
      x3 = stepS(x3, x15, x11, 7); x7 = stepS(x7, x3, x15, 9); x11 = stepS(x11, x7, x3, 13); x15 = stepS(x15, x11, x7, 18);
      // Rows (x0,x1,x2,x3) (x5,x6,x7,x4) (x10,x11,x8,x9) (x15,x12,x13,x14).
      x1 = stepS(x1, x0, x3, 7); x2 = stepS(x2, x1, x0, 9); x3 = stepS(x3, x2, x1, 13); x0 = stepS(x0, x3, x2, 18);
      x6 = stepS(x6, x5, x4, 7); x7 = stepS(x7, x6, x5, 9); x4 = stepS(x4, x7, x6, 13); x5 = stepS(x5, x4, x7, 18);
      x11 = stepS(x11, x10, x9, 7); x8 = stepS(x8, x11, x10, 9); x9 = stepS(x9, x8, x11, 13); x10 = stepS(x10, x9, x8, 18);
      x12 = stepS(x12, x15, x14, 7); x13 = stepS(x13, x12, x15, 9); x14 = stepS(x14, x13, x12, 13); x15 = stepS(x15, x14, x13, 18);
    }
    x0 += y0; x1 += y1; x2 += y2; x3 += y3; x4 += y4; x5 += y5; x6 += y6; x7 += y7;
    x8 += y8; x9 += y9; x10 += y10; x11 += y11; x12 += y12; x13 += y13; x14 += y14; x15 += y15;
    const o = dst + (i & 1) * half + ((i >> 1) << 6);
    store<u32>(o, x0, 0); store<u32>(o, x1, 4); store<u32>(o, x2, 8); store<u32>(o, x3, 12);
    store<u32>(o, x4, 16); store<u32>(o, x5, 20); store<u32>(o, x6, 24); store<u32>(o, x7, 28);
    store<u32>(o, x8, 32); store<u32>(o, x9, 36); store<u32>(o, x10, 40); store<u32>(o, x11, 44);
    store<u32>(o, x12, 48); store<u32>(o, x13, 52); store<u32>(o, x14, 56); store<u32>(o, x15, 60);
  }
}
