// The byte loops of a23crypt's noise layer (../shared/formats/A23CRYPT.md §5),
// used by src/wasm/noise.ts, with their keystream K = SHAKE-256(seed)
// squeezed as they go (keccak.ts): step j reads K[2j] and K[2j + 1], and as
// the rate (136) is even a pair never straddles two squeezes.
//
// The caller writes the input and room for the output into the I/O window
// (aead_reserve), each followed by at least 16 bytes of slack: a step copies
// its 0..15 input bytes with one unaligned 16-byte load and store (SIMD
// build: one v128; scalar build: two u64), which may read past the input and
// write past the step's bytes into what the next step overwrites or the
// slack. The Keccak state is zeroed before returning.
import { RATE, STATE, keccakF, shakeStart } from "./keccak";

/** Copies 16 bytes from src to dst (unaligned; the regions never overlap). */
// @ts-ignore: decorator
@inline function copy16(dst: usize, src: usize): void {
  if (ASC_FEATURE_SIMD) {
    v128.store(dst, v128.load(src));
  } else {
    store<u64>(dst, load<u64>(src));
    store<u64>(dst, load<u64>(src, 8), 8);
  }
}

/**
 * NoiseAdd: for each step j, copies min(K[2j] & 15, bytes left) input bytes,
 * then appends K[2j+1]. `seed` is 16 bytes. Returns the output length, or -1
 * if the output would pass `cap` bytes (a keystream with far more take-0
 * steps than chance gives; the caller then uses its other implementation).
 */
export function noise_add(src: usize, n: usize, seed: usize, dst: usize, cap: usize): isize {
  shakeStart(seed, 16);
  let p: usize = 0;
  let o: usize = 0;
  let k: usize = 0;
  while (p < n) {
    if (k == RATE) {
      keccakF();
      k = 0;
    }
    if (o + 17 > cap) {
      memory.fill(STATE, 0, 200);
      return -1;
    }
    let take = <usize>(load<u8>(STATE + k) & 15);
    const left = n - p;
    if (take > left) take = left;
    copy16(dst + o, src + p);
    o += take;
    p += take;
    store<u8>(dst + o, load<u8>(STATE + k + 1));
    o++;
    k += 2;
  }
  memory.fill(STATE, 0, 200);
  return <isize>o;
}

/**
 * NoiseRemove: for each step j, copies min(K[2j] & 15, max(m - q - 1, 0))
 * input bytes, then skips one noise byte if any is left. Returns the output length.
 */
export function noise_remove(src: usize, m: usize, seed: usize, dst: usize): usize {
  shakeStart(seed, 16);
  let q: usize = 0;
  let o: usize = 0;
  let k: usize = 0;
  while (q < m) {
    if (k == RATE) {
      keccakF();
      k = 0;
    }
    let take = <usize>(load<u8>(STATE + k) & 15);
    const left = m - q - 1; // q < m, so never negative
    if (take > left) take = left;
    copy16(dst + o, src + q);
    o += take;
    q += take;
    if (q < m) q++;
    k += 2;
  }
  memory.fill(STATE, 0, 200);
  return o;
}

/** SHAKE-256 of `len` (< 136) bytes at `seed` into `outLen` bytes at `out`: for the known-answer tests. */
export function shake256_raw(seed: usize, len: usize, out: usize, outLen: usize): void {
  shakeStart(seed, len);
  let o: usize = 0;
  while (o < outLen) {
    const n = min(RATE, outLen - o);
    memory.copy(out + o, STATE, n);
    o += n;
    if (o < outLen) keccakF();
  }
  memory.fill(STATE, 0, 200);
}
