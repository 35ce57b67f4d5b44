// HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): the ChaCha20 state with the
// 16-byte input in words 12..15, 20 rounds, and no final addition; the
// subkey is words 0..3 and 12..15. XChaCha20-Poly1305 (§2.3) then runs
// ChaCha20-Poly1305 under that subkey with nonce 0^4 || nonce[16..24].
//
// SIMD build: one v128 per row of the 4x4 state, so a column round is four
// lane-wise quarter rounds at once and the diagonal round is the same after
// turning rows 0, 2 and 3 by whole lanes (single pshufd each). The scalar
// rounds of ChaCha20 (../aead/chacha20.ts) keep 16 words live, more than
// V8 has general registers, and spill; four vectors do not.
// Scalar build: ChaCha20's rounds (hchachaBlock), with input words 12..15 as
// its counter and nonce, and HChaCha20's output taken straight from the state.
import { KEY, NONCE } from "../aead/memory";
import { C0, C1, C2, C3, hchachaBlock, rot16, rot12, rot8, rot7 } from "../aead/chacha20";

/** Lanes rotated left by 1, 2, 3 (lane i takes lane i + k mod 4). */
@inline function lanes1(x: v128): v128 {
  return i32x4.shuffle(x, x, 1, 2, 3, 0);
}
@inline function lanes2(x: v128): v128 {
  return i32x4.shuffle(x, x, 2, 3, 0, 1);
}
@inline function lanes3(x: v128): v128 {
  return i32x4.shuffle(x, x, 3, 0, 1, 2);
}

/** HChaCha20 with the key at KEY and the 16-byte input at `input`, 32 bytes to out (which may be KEY). */
function hchachaRows(input: usize, out: usize): void {
  let a = i32x4(C0, C1, C2, C3);
  let b = v128.load(KEY), c = v128.load(KEY, 16), d = v128.load(input);
  // Ten double rounds (two per iteration measured no faster).
  for (let i = 0; i < 10; i++) {
    // Column round: QUARTERROUND on the four columns (lane i of each row).
    a = i32x4.add(a, b); d = rot16(v128.xor(d, a));
    c = i32x4.add(c, d); b = rot12(v128.xor(b, c));
    a = i32x4.add(a, b); d = rot8(v128.xor(d, a));
    c = i32x4.add(c, d); b = rot7(v128.xor(b, c));
    // Diagonal round: rows 0, 2, 3 turned by 3, 1, 2 lanes put each diagonal in a column. Row 1 stays:
    // it is the last value the column round computes, so turning it would lengthen the chain of
    // dependent instructions; the others were ready earlier.
    a = lanes3(a); c = lanes1(c); d = lanes2(d);
    a = i32x4.add(a, b); d = rot16(v128.xor(d, a));
    c = i32x4.add(c, d); b = rot12(v128.xor(b, c));
    a = i32x4.add(a, b); d = rot8(v128.xor(d, a));
    c = i32x4.add(c, d); b = rot7(v128.xor(b, c));
    a = lanes1(a); c = lanes3(c); d = lanes2(d);
  }
  v128.store(out, a);
  v128.store(out, d, 16);
}

/** Writes HChaCha20(key at KEY, 16 bytes at input) at out (which may be KEY). */
export function hchacha20(input: usize, out: usize): void {
  if (ASC_FEATURE_SIMD) {
    hchachaRows(input, out);
    return;
  }
  store<u32>(NONCE, load<u32>(input, 4));
  store<u32>(NONCE, load<u32>(input, 8), 4);
  store<u32>(NONCE, load<u32>(input, 12), 8);
  hchachaBlock(load<u32>(input), out);
}
