// The byte loops of a23crypt's noise layer (../shared/formats/A23CRYPT.md §5),
// used by src/wasm/noise.ts. The caller writes the input, the SHAKE-256
// keystream K and room for the output into the I/O window (aead_reserve),
// each region followed by at least 16 bytes of slack: a step copies its 0..15
// input bytes with one unaligned 16-byte load and store (SIMD build: one
// v128; scalar build: two u64), which may read past the input and write
// past the step's bytes into what the next step overwrites or the slack.
// Nothing here is secret-dependent in timing beyond what the format itself
// reveals (frame lengths already tell the number of steps).

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
 * then appends K[2j+1]. Returns the output length, or -1 when K ran out
 * (the caller extends K and calls again).
 */
export function noise_add(src: usize, n: usize, k: usize, kLen: usize, dst: usize): isize {
  let p: usize = 0;
  let o: usize = 0;
  let j: usize = 0;
  while (p < n) {
    if (j + 1 >= kLen) return -1;
    let take = <usize>(load<u8>(k + j) & 15);
    const left = n - p;
    if (take > left) take = left;
    copy16(dst + o, src + p);
    o += take;
    p += take;
    store<u8>(dst + o, load<u8>(k + j + 1));
    o++;
    j += 2;
  }
  return <isize>o;
}

/**
 * NoiseRemove: for each step j, copies min(K[2j] & 15, max(m - q - 1, 0))
 * input bytes, then skips one noise byte if any is left. Returns the output
 * length, or -1 when K ran out.
 */
export function noise_remove(src: usize, m: usize, k: usize, kLen: usize, dst: usize): isize {
  let q: usize = 0;
  let o: usize = 0;
  let j: usize = 0;
  while (q < m) {
    if (j >= kLen) return -1;
    let take = <usize>(load<u8>(k + j) & 15);
    const left = m - q - 1; // q < m, so never negative
    if (take > left) take = left;
    copy16(dst + o, src + q);
    o += take;
    q += take;
    if (q < m) q++;
    j += 2;
  }
  return <isize>o;
}
