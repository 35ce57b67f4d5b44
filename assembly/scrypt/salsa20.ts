// Salsa20/8 core (RFC 7914 §3): the quarter-round step and the SIMD lane
// layout. The rounds themselves are written inside BlockMix (blockmix.ts) so
// that the 64-byte state X stays in registers across the 2r calls of one
// BlockMix instead of going through memory between calls.
//
// SIMD layout. The 16 words x0..x15 are kept as 4 vectors along diagonals,
//   A = (x0, x5, x10, x15)  B = (x4, x9, x14, x3)
//   C = (x8, x13, x2, x7)   D = (x12, x1, x6, x11)
// i.e. lane l of vector v holds x[(4v + 5l) mod 16]. Then the four column
// quarter-rounds run lane-wise on (A, B, C, D) as they are, and the four row
// quarter-rounds run lane-wise after rotating the lanes of B, C and D (one
// shuffle each, off the critical path: removing them changes nothing
// measurable). Blocks stay in this order in memory for the whole of ROMix
// (permuted on entry, unpermuted on exit), so the XORs and copies of
// BlockMix/ROMix are plain v128 operations. x0 stays at byte offset 0 of its
// block, so Integerify reads the same place in both layouts.

/** y ^= (a + b) <<< n, four lanes at once (one Salsa20 quarter-round step). */
// @ts-ignore: decorator
@inline export function stepV(y: v128, a: v128, b: v128, n: i32): v128 {
  const t = i32x4.add(a, b);
  // WebAssembly has no v128 rotate, so it takes two shifts. On the AMD EPYC
  // we measure on they issue one after the other (as on a core with a single
  // vector-shift pipe), so (shl | shr) ^ y cost 5 cycles per step. Written as
  // y ^ (t << n) ^ (t >>> 32-n), the first XOR overlaps the second shift and
  // the step is add, shift, xor, xor = 4 cycles, the latency bound here; with
  // two shift pipes both forms take 4. Measured: 52 -> 44 ns per Salsa20/8.
  return v128.xor(v128.xor(y, i32x4.shl(t, n)), i32x4.shr_u(t, 32 - n));
}

/** y ^= (a + b) <<< n on one word (scalar build). */
// @ts-ignore: decorator
@inline export function stepS(y: u32, a: u32, b: u32, n: u32): u32 {
  return y ^ rotl<u32>(a + b, n);
}

/** Word index held by position k (0..15) of a block in SIMD layout. */
// @ts-ignore: decorator
@inline function wordAt(k: usize): usize {
  return ((k & ~3) + 5 * (k & 3)) & 15;
}

/**
 * Copies `blocks` 64-byte blocks from `src` (RFC word order) to `dst` in the
 * SIMD layout; src and dst must not overlap. Runs on entry to ROMix only.
 */
export function permuteCopy(dst: usize, src: usize, blocks: usize): void {
  for (let i: usize = 0; i < blocks; i++, src += 64, dst += 64) {
    for (let k: usize = 0; k < 16; k++) store<u32>(dst + (k << 2), load<u32>(src + (wordAt(k) << 2)));
  }
}

/** Inverse of permuteCopy: SIMD layout at `src` back to RFC word order at `dst`. */
export function unpermuteCopy(dst: usize, src: usize, blocks: usize): void {
  for (let i: usize = 0; i < blocks; i++, src += 64, dst += 64) {
    for (let k: usize = 0; k < 16; k++) store<u32>(dst + (wordAt(k) << 2), load<u32>(src + (k << 2)));
  }
}
