// scryptROMix (RFC 7914 §5) over linear memory, in slices so that the
// caller can report progress between them.
//
// Layout, from `v` (128·r bytes per block): V[0] .. V[N-1], then X, then Y.
// The first loop writes BlockMix(V[i]) straight into V[i+1], and the last
// one (i = N-1) lands in X, which sits right after V: no copy of X into V is
// ever made. The second loop ping-pongs X -> Y -> X, so after an even number
// of iterations the state is back in X.
import { blockMix, blockMixXor } from "./blockmix";

/** First loop, iterations [start, start + count): V[i+1] = BlockMix(V[i]) (V[N] is X). */
export function romixFill(v: usize, r: usize, start: usize, count: usize): void {
  const blk = r << 7;
  let p = v + start * blk;
  for (let i: usize = 0; i < count; i++, p += blk) blockMix(p, p + blk, r);
}

/**
 * Second loop, 2·pairs iterations: j = Integerify(X) mod N, X = BlockMix(X ^ V[j]).
 * Integerify is the first word of the last 64-byte block, which is at the
 * same offset in the SIMD layout (x0 does not move).
 */
export function romixMix(v: usize, r: usize, n: usize, pairs: usize): void {
  const blk = r << 7;
  const lastOff = blk - 64;
  const mask = n - 1;
  const x = v + n * blk, y = x + blk;
  for (let i: usize = 0; i < pairs; i++) {
    blockMixXor(x, v + (<usize>load<u32>(x + lastOff) & mask) * blk, y, r);
    blockMixXor(y, v + (<usize>load<u32>(y + lastOff) & mask) * blk, x, r);
  }
}
