// The AES S-box (FIPS 197 §5.1.1) as a Boolean circuit over bit planes: the
// depth-16 circuit of Boyar and Peralta ("A Small Depth-16 Circuit for the
// AES S-Box", SEC 2012, eprint 2011/332): 27 XORs of a top linear layer, a
// shared non-linear middle (the GF(2^8) inversion, 32 ANDs) and 30 XOR/XNORs
// of a bottom linear layer that also applies the affine map.
//
// Why a circuit: a table indexed by a secret byte leaks it through the cache;
// here every byte of every block goes through the same instructions, with no
// memory access and no branch that depends on data. Plane k holds bit k of
// many bytes at once (v128 in the SIMD build, u64 in the scalar one), so one
// pass substitutes all bytes of a batch. tests/gcm-vectors.test.ts checks
// the circuit against the S-box's definition (inverse, then affine) on all
// 256 inputs.
//
// In a round, the circuit's outputs go straight on to the linear layer
// (linear.ts) without the affine constant 0x63: a byte constant in every
// position passes through ShiftRows and MixColumns unchanged, so aes.ts adds
// it to round keys 1..14 instead, and the four XNORs become XORs.

import { mixAddStore8, mixAddStore4 } from "./linear";

@inline function x<T>(a: T, b: T): T {
  if (isVector<T>()) return v128.xor(a, b);
  else return a ^ b;
}

@inline function a<T>(p: T, q: T): T {
  if (isVector<T>()) return v128.and(p, q);
  else return p & q;
}

@inline function not<T>(p: T): T {
  if (isVector<T>()) return v128.not(p);
  else return ~p;
}


/**
 * The circuit on the 8 planes at q (plane k = bit k, k = 0..7; stride
 * sizeof<T>()). `round` (a constant where this is inlined): hand the outputs
 * without the 0x63 constant to the linear layer with round key rk (`last`:
 * round 14, no MixColumns), which stores the planes back at q; otherwise
 * store the S-box of every byte back at q.
 */
@inline function circuit<T>(q: usize, round: bool, rk: usize, last: bool): void {
  const w = sizeof<T>();
  // U0 is the most significant bit of each byte, U7 the least (the paper's order).
  const u0 = load<T>(q + 7 * w), u1 = load<T>(q + 6 * w), u2 = load<T>(q + 5 * w), u3 = load<T>(q + 4 * w);
  const u4 = load<T>(q + 3 * w), u5 = load<T>(q + 2 * w), u6 = load<T>(q + w), u7 = load<T>(q);

  // Top linear layer.
  const t1 = x<T>(u0, u3), t2 = x<T>(u0, u5), t3 = x<T>(u0, u6), t4 = x<T>(u3, u5), t5 = x<T>(u4, u6);
  const t6 = x<T>(t1, t5), t7 = x<T>(u1, u2), t8 = x<T>(u7, t6), t9 = x<T>(u7, t7), t10 = x<T>(t6, t7);
  const t11 = x<T>(u1, u5), t12 = x<T>(u2, u5), t13 = x<T>(t3, t4), t14 = x<T>(t6, t11), t15 = x<T>(t5, t11);
  const t16 = x<T>(t5, t12), t17 = x<T>(t9, t16), t18 = x<T>(u3, u7), t19 = x<T>(t7, t18), t20 = x<T>(t1, t19);
  const t21 = x<T>(u6, u7), t22 = x<T>(t7, t21), t23 = x<T>(t2, t22), t24 = x<T>(t2, t10), t25 = x<T>(t20, t17);
  const t26 = x<T>(t3, t16), t27 = x<T>(t1, t12);
  const d = u7;

  // Shared non-linear middle: inversion in GF(2^8).
  const m1 = a<T>(t13, t6), m2 = a<T>(t23, t8), m3 = x<T>(t14, m1), m4 = a<T>(t19, d), m5 = x<T>(m4, m1);
  const m6 = a<T>(t3, t16), m7 = a<T>(t22, t9), m8 = x<T>(t26, m6), m9 = a<T>(t20, t17), m10 = x<T>(m9, m6);
  const m11 = a<T>(t1, t15), m12 = a<T>(t4, t27), m13 = x<T>(m12, m11), m14 = a<T>(t2, t10), m15 = x<T>(m14, m11);
  const m16 = x<T>(m3, m2), m17 = x<T>(m5, t24), m18 = x<T>(m8, m7), m19 = x<T>(m10, m15), m20 = x<T>(m16, m13);
  const m21 = x<T>(m17, m15), m22 = x<T>(m18, m13), m23 = x<T>(m19, t25), m24 = x<T>(m22, m23), m25 = a<T>(m22, m20);
  const m26 = x<T>(m21, m25), m27 = x<T>(m20, m21), m28 = x<T>(m23, m25), m29 = a<T>(m28, m27), m30 = a<T>(m26, m24);
  const m31 = a<T>(m20, m23), m32 = a<T>(m27, m31), m33 = x<T>(m27, m25), m34 = a<T>(m21, m22), m35 = a<T>(m24, m34);
  const m36 = x<T>(m24, m25), m37 = x<T>(m21, m29), m38 = x<T>(m32, m33), m39 = x<T>(m23, m30), m40 = x<T>(m35, m36);
  const m41 = x<T>(m38, m40), m42 = x<T>(m37, m39), m43 = x<T>(m37, m38), m44 = x<T>(m39, m40), m45 = x<T>(m42, m41);
  const m46 = a<T>(m44, t6), m47 = a<T>(m40, t8), m48 = a<T>(m39, d), m49 = a<T>(m43, t16), m50 = a<T>(m38, t9);
  const m51 = a<T>(m37, t17), m52 = a<T>(m42, t15), m53 = a<T>(m45, t27), m54 = a<T>(m41, t10), m55 = a<T>(m44, t13);
  const m56 = a<T>(m40, t23), m57 = a<T>(m39, t19), m58 = a<T>(m43, t3), m59 = a<T>(m38, t22), m60 = a<T>(m37, t20);
  const m61 = a<T>(m42, t1), m62 = a<T>(m45, t4), m63 = a<T>(m41, t2);

  // Bottom linear layer (with the affine map, but not its constant 0x63).
  const l0 = x<T>(m61, m62), l1 = x<T>(m50, m56), l2 = x<T>(m46, m48), l3 = x<T>(m47, m55), l4 = x<T>(m54, m58);
  const l5 = x<T>(m49, m61), l6 = x<T>(m62, l5), l7 = x<T>(m46, l3), l8 = x<T>(m51, m59), l9 = x<T>(m52, m53);
  const l10 = x<T>(m53, l4), l11 = x<T>(m60, l2), l12 = x<T>(m48, m51), l13 = x<T>(m50, l0), l14 = x<T>(m52, m61);
  const l15 = x<T>(m55, l1), l16 = x<T>(m56, l0), l17 = x<T>(m57, l1), l18 = x<T>(m58, l8), l19 = x<T>(m63, l4);
  const l20 = x<T>(l0, l1), l21 = x<T>(l1, l7), l22 = x<T>(l3, l12), l23 = x<T>(l18, l2), l24 = x<T>(l15, l9);
  const l25 = x<T>(l6, l10), l26 = x<T>(l7, l9), l27 = x<T>(l8, l10), l28 = x<T>(l11, l14), l29 = x<T>(l11, l17);

  const o7 = x<T>(l6, l24), o6 = x<T>(l16, l26), o5 = x<T>(l19, l28), o4 = x<T>(l6, l21);
  const o3 = x<T>(l20, l22), o2 = x<T>(l25, l29), o1 = x<T>(l13, l27), o0 = x<T>(l6, l23);
  if (round) {
    if (isVector<T>()) mixAddStore8(o0, o1, o2, o3, o4, o5, o6, o7, rk, last, q);
    else mixAddStore4(<u64>o0, <u64>o1, <u64>o2, <u64>o3, <u64>o4, <u64>o5, <u64>o6, <u64>o7, rk, last, q);
    return;
  }
  // Planes 0, 1, 5 and 6 take the constant 0x63 (the paper's XNORs).
  store<T>(q + 7 * w, o7);
  store<T>(q + 6 * w, not<T>(o6));
  store<T>(q + 5 * w, not<T>(o5));
  store<T>(q + 4 * w, o4);
  store<T>(q + 3 * w, o3);
  store<T>(q + 2 * w, o2);
  store<T>(q + w, not<T>(o1));
  store<T>(q, not<T>(o0));
}

/** Substitutes every byte of the 8 planes at q (the S-box, FIPS 197 §5.1.1). */
export function subBytes<T>(q: usize): void {
  circuit<T>(q, false, 0, false);
}

/**
 * One AES round on the planes at q (FIPS 197 §5.1): SubBytes without its
 * constant (in the round keys), ShiftRows, MixColumns unless `last`,
 * AddRoundKey with the planes at rk.
 */
export function roundPlanes<T>(q: usize, rk: usize, last: bool): void {
  circuit<T>(q, true, rk, last);
}
