// GCTR's counter blocks (NIST SP 800-38D §6.5) and, for long inputs,
// counter-mode caching of the first AES round.
//
// A counter block is IV || be32(c). In round 1 (FIPS 197 §5.1) SubBytes acts
// on each byte alone and ShiftRows, MixColumns and AddRoundKey are affine, so
// the state after round 1 is R(c & ~255) xor D(c & 255): the low counter byte
// v is state byte 15 (row 3, column 3), which ShiftRows moves to column 0,
// where MixColumns makes it (s, s, 3s, 2s) with s = S(v xor k15) xor S(k15),
// k15 byte 15 of round key 0, and nothing else changes. D is a table of 256
// words per key, R one state per 256 counters, so batches start at round 2.
// The bit transpose into planes is linear too, so a batch inside one run of
// 256 counters goes straight to plane form: the planes of R xor those of D
// for its counters, which depend only on where the batch sits in the run
// (GCTR's batches start at counter 2 + BATCH * k: 256 / BATCH places).
// The counter is public (a block position): indexing by it says nothing of
// the key, as tests/constant-time.test.ts checks.
import { BLOCKS, PLANES, PLANES2, GIV, EXPKEY, R1TAB, R1TP, R1PLANES, R1BASE, setCtrCached } from "./memory";
import { BATCH, PLANE_BYTES, subBlocks, encryptRounds, planeRounds, planeRoundsPair, toPlanes, xorWords } from "./aes";

/** Writes BATCH counter blocks IV || be32(counter + i) at BLOCKS. */
export function counterBlocks(counter: u32): void {
  const iv0 = load<u64>(GIV), iv1 = load<u32>(GIV, 8);
  for (let i: usize = 0; i < BATCH; i++) {
    store<u64>(BLOCKS + 16 * i, iv0);
    store<u32>(BLOCKS + 16 * i, iv1, 8);
    store<u32>(BLOCKS + 16 * i, bswap<u32>(counter + <u32>i), 12);
  }
}

/** Multiplication by x in GF(2^8) (FIPS 197 §4.2.1) with a mask, not a branch. */
@inline function xtime(s: u32): u32 {
  return ((s << 1) ^ (0x1b & (0 - (s >> 7)))) & 0xff;
}

/** Fills R1TAB (D above, as little-endian words: byte r is row r) from the key schedule at EXPKEY. */
export function round1Table(): void {
  const k15 = <u32>load<u8>(EXPKEY + 15);
  const step: usize = 16 * BATCH;
  let s0: u32 = 0;
  for (let v: usize = 0; v < 256; v += step) {
    for (let j: usize = 0; j < step; j++) store<u8>(BLOCKS + j, <u32>(v + j) ^ k15);
    subBlocks();
    if (v == 0) s0 = load<u8>(BLOCKS);
    for (let j: usize = 0; j < step; j++) {
      const s = <u32>load<u8>(BLOCKS + j) ^ s0, s2 = xtime(s);
      store<u32>(R1TAB + 4 * (v + j), s | (s << 8) | ((s2 ^ s) << 16) | (s2 << 24));
    }
  }
  // R1TP: the planes of D for the counters of the batch at each place m.
  for (let m: usize = 0; m < 256 / BATCH; m++) {
    memory.fill(BLOCKS, 0, 16 * BATCH);
    for (let i: usize = 0; i < BATCH; i++) {
      store<u32>(BLOCKS + 16 * i, load<u32>(R1TAB + 4 * ((2 + BATCH * m + i) & 255)));
    }
    toPlanes();
    memory.copy(R1TP + PLANE_BYTES * m, PLANES, PLANE_BYTES);
  }
  setCtrCached();
}

/** R1BASE = the states after round 1 of the counter blocks c & ~255 and top; R1PLANES = BATCH copies of the second. */
function round1Bases(c: u32, top: u32): void {
  counterBlocks(c & ~255);
  for (let i: usize = 1; i < BATCH; i++) store<u32>(BLOCKS + 16 * i, bswap<u32>(top), 12);
  encryptRounds(0, 1);
  memory.copy(R1BASE, BLOCKS, 32);
  memory.copy(BLOCKS, BLOCKS + 16, 16);
  toPlanes();
  memory.copy(R1PLANES, PLANES, PLANE_BYTES);
}

/** The BATCH counter blocks from c after round 1, at BLOCKS; R1BASE + 16 is the base for counters top..top + 255. */
function round1Blocks(c: u32, top: u32): void {
  for (let i: usize = 0; i < BATCH; i++) {
    const ci = c + <u32>i, dst = BLOCKS + 16 * i;
    const base = R1BASE + ((ci & ~255) == top ? 16 : 0), d = R1TAB + 4 * <usize>(ci & 255);
    if (ASC_FEATURE_SIMD) {
      v128.store(dst, v128.xor(v128.load(base), v128.load32_zero(d)));
    } else {
      store<u32>(dst, load<u32>(base) ^ load<u32>(d));
      store<u32>(dst, load<u32>(base, 4), 4);
      store<u64>(dst, load<u64>(base, 8), 8);
    }
  }
}

/** The planes at p of the batch from c inside the run whose bases R1PLANES holds (c = 2 + BATCH * k). */
@inline function runPlanes(p: usize, c: u32): void {
  xorWords(p, R1PLANES, R1TP + PLANE_BYTES * <usize>((c & 255) / <u32>BATCH), PLANE_BYTES);
}

/** The run of 256 counters whose bases R1BASE / R1PLANES hold once keystream(c, _, true) returns. */
@inline export function runAfter(c: u32): u32 {
  return (c + <u32>BATCH - 1) & ~255;
}

/**
 * The keystream E(K, counter block) of the BATCH counters from c, as the
 * planes at PLANES (fromPlanes() makes them blocks). `cached`: round 1 comes
 * from the tables of round1Table() and from R1BASE / R1PLANES, which hold the
 * bases for the run from counter `top` (1 before the first batch: no
 * multiple of 256); c is then 2 + BATCH * k.
 */
export function keystream(c: u32, top: u32, cached: bool): void {
  if (!cached) {
    counterBlocks(c);
    toPlanes();
    planeRounds(0, 14);
    return;
  }
  const t = runAfter(c);
  if (t != top) round1Bases(c, t);
  if ((c & ~255) == t) {
    runPlanes(PLANES, c);
  } else {
    round1Blocks(c, t);
    toPlanes();
  }
  planeRounds(2, 14);
}

/** Whether both batches from c lie in the run from `top` (whose bases are ready after keystream()). */
@inline export function pairInRun(c: u32, top: u32): bool {
  return (c & ~255) == top && ((c + 2 * <u32>BATCH - 1) & ~255) == top;
}

/**
 * The keystream of the 2 * BATCH counters from c as the planes at PLANES and
 * PLANES2. `cached` (as for keystream()): only when pairInRun(c, top) for
 * the bases R1PLANES holds.
 */
export function keystreamPair(c: u32, cached: bool): void {
  if (cached) {
    runPlanes(PLANES, c);
    runPlanes(PLANES2, c + <u32>BATCH);
    planeRoundsPair(2, 14);
    return;
  }
  counterBlocks(c);
  toPlanes(PLANES);
  counterBlocks(c + <u32>BATCH);
  toPlanes(PLANES2);
  planeRoundsPair(0, 14);
}
