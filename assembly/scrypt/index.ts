// Exports of the scrypt core (RFC 7914): ROMix and its parts over linear
// memory. The facade (src/wasm/scrypt.ts) runs PBKDF2 in JS, lays out
// V | X | Y from scrypt_base(), and drives the two ROMix loops in slices.
import { blockMix } from "./blockmix";
import { romixFill, romixMix } from "./romix";
import { permuteCopy, unpermuteCopy } from "./salsa20";

/** Start of the work area: the first 64-byte aligned address past static data. */
export function scrypt_base(): usize {
  return (__heap_base + 63) & ~63;
}

/** Grows memory to at least `pages` 64 KiB pages; returns the previous size or -1 when memory.grow fails. */
export function scrypt_reserve(pages: i32): i32 {
  const have = memory.size();
  return pages <= have ? have : memory.grow(pages - have);
}

/** Zeroes `len` bytes at `ptr` (the whole work area, on every exit path). */
export function scrypt_wipe(ptr: usize, len: usize): void {
  memory.fill(ptr, 0, len);
}

/** Copies 64-byte blocks from RFC word order into the core's layout (a permutation in the SIMD build, a copy otherwise). */
export function scrypt_enter(dst: usize, src: usize, blocks: usize): void {
  if (ASC_FEATURE_SIMD) permuteCopy(dst, src, blocks);
  else memory.copy(dst, src, blocks << 6);
}

/** Inverse of scrypt_enter. */
export function scrypt_leave(dst: usize, src: usize, blocks: usize): void {
  if (ASC_FEATURE_SIMD) unpermuteCopy(dst, src, blocks);
  else memory.copy(dst, src, blocks << 6);
}

/** scryptBlockMix (RFC 7914 §4) from src to dst, both in the core's layout. For the RFC test vectors. */
export function scrypt_blockmix(src: usize, dst: usize, r: usize): void {
  blockMix(src, dst, r);
}

/** ROMix first loop, iterations [start, start + count). */
export function scrypt_fill(v: usize, r: usize, start: usize, count: usize): void {
  romixFill(v, r, start, count);
}

/** ROMix second loop, 2·pairs iterations; the state is in X before and after. */
export function scrypt_mix(v: usize, r: usize, n: usize, pairs: usize): void {
  romixMix(v, r, n, pairs);
}
