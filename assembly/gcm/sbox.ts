// The AES S-box (FIPS 197 §5.1.1) as a Boolean circuit over bit planes: the
// 113-gate circuit of Boyar and Peralta ("A new combinational logic
// minimization technique with applications to cryptology", SEA 2010, eprint
// 2009/191; the listing of Yale's Circuit Minimization Team): 23 XORs of a
// top linear layer, a shared non-linear middle (the GF(2^8) inversion, 32
// ANDs and 30 XORs) and 28 XOR/XNORs of a bottom linear layer that also
// applies the affine map. Their depth-16 circuit (eprint 2011/332) has 128
// gates: in V8's code a round is 312 instructions with it, 285 with this one
// (47 spills instead of 59). One batch alone runs no faster (the longer chain
// waits); GCTR's long path, which alternates two batches' rounds, gains 2-3 %.
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

  // Top linear layer: 23 XORs.
  const y14 = x<T>(u3, u5), y13 = x<T>(u0, u6), y9 = x<T>(u0, u3), y8 = x<T>(u0, u5), s0 = x<T>(u1, u2);
  const y1 = x<T>(s0, u7), y4 = x<T>(y1, u3), y12 = x<T>(y13, y14), y2 = x<T>(y1, u0), y5 = x<T>(y1, u6);
  const y3 = x<T>(y5, y8), s1 = x<T>(u4, y12), y15 = x<T>(s1, u5), y20 = x<T>(s1, u1), y6 = x<T>(y15, u7);
  const y10 = x<T>(y15, s0), y11 = x<T>(y20, y9), y7 = x<T>(u7, y11), y17 = x<T>(y10, y11);
  const y19 = x<T>(y10, y8), y16 = x<T>(s0, y11), y21 = x<T>(y13, y16), y18 = x<T>(u0, y16);

  // Shared non-linear middle: inversion in GF(2^8) through GF(2^4).
  const t2 = a<T>(y12, y15), t3 = a<T>(y3, y6), t4 = x<T>(t3, t2), t5 = a<T>(y4, u7), t6 = x<T>(t5, t2);
  const t7 = a<T>(y13, y16), t8 = a<T>(y5, y1), t9 = x<T>(t8, t7), t10 = a<T>(y2, y7), t11 = x<T>(t10, t7);
  const t12 = a<T>(y9, y11), t13 = a<T>(y14, y17), t14 = x<T>(t13, t12), t15 = a<T>(y8, y10), t16 = x<T>(t15, t12);
  const t17 = x<T>(t4, y20), t18 = x<T>(t6, t16), t19 = x<T>(t9, t14), t20 = x<T>(t11, t16);
  const t21 = x<T>(t17, t14), t22 = x<T>(t18, y19), t23 = x<T>(t19, y21), t24 = x<T>(t20, y18);
  const t25 = x<T>(t21, t22), t26 = a<T>(t21, t23), t27 = x<T>(t24, t26), t28 = a<T>(t25, t27), t29 = x<T>(t28, t22);
  const t30 = x<T>(t23, t24), t31 = x<T>(t22, t26), t32 = a<T>(t31, t30), t33 = x<T>(t32, t24), t34 = x<T>(t23, t33);
  const t35 = x<T>(t27, t33), t36 = a<T>(t24, t35), t37 = x<T>(t36, t34), t38 = x<T>(t27, t36), t39 = a<T>(t29, t38);
  const t40 = x<T>(t25, t39), t41 = x<T>(t40, t37), t42 = x<T>(t29, t33), t43 = x<T>(t29, t40), t44 = x<T>(t33, t37);
  const t45 = x<T>(t42, t41);
  const z0 = a<T>(t44, y15), z1 = a<T>(t37, y6), z2 = a<T>(t33, u7), z3 = a<T>(t43, y16), z4 = a<T>(t40, y1);
  const z5 = a<T>(t29, y7), z6 = a<T>(t42, y11), z7 = a<T>(t45, y17), z8 = a<T>(t41, y10), z9 = a<T>(t44, y12);
  const z10 = a<T>(t37, y3), z11 = a<T>(t33, y4), z12 = a<T>(t43, y13), z13 = a<T>(t40, y5), z14 = a<T>(t29, y2);
  const z15 = a<T>(t42, y9), z16 = a<T>(t45, y14), z17 = a<T>(t41, y8);

  // Bottom linear layer (with the affine map, but not its constant 0x63): 28 XORs.
  const c1 = x<T>(z15, z16), c2 = x<T>(z10, c1), c3 = x<T>(z9, c2), c4 = x<T>(z0, z2), c5 = x<T>(z1, z0);
  const c6 = x<T>(z3, z4), c7 = x<T>(z12, c4), c8 = x<T>(z7, c6), c9 = x<T>(z8, c7), c10 = x<T>(c8, c9);
  const c11 = x<T>(c6, c5), c12 = x<T>(z3, z5), c13 = x<T>(z13, c1), c14 = x<T>(c4, c12);
  const c16 = x<T>(z6, c8), c17 = x<T>(z14, c10), c18 = x<T>(c13, c14), c20 = x<T>(z15, c16), c21 = x<T>(c2, z11);
  const c26 = x<T>(c17, c20);
  // Output plane k is the paper's S(7 - k).
  const o4 = x<T>(c3, c11), o0 = x<T>(z12, c18), o7 = x<T>(c3, c16), o1 = x<T>(c10, c18);
  const o3 = x<T>(c14, o4), o6 = x<T>(o4, c16), o5 = x<T>(c26, z17), o2 = x<T>(c21, c17);
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
