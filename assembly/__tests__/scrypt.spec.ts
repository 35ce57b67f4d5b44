// The SIMD Salsa20/8 (diagonal lane layout, RFC 7914 §3) against the scalar
// one, through BlockMix (§4), on pseudo-random blocks: both are compiled
// into this SIMD test build, so each can be checked against the other.
import { blockMixScalar, blockMixSimd, blockMixXor, blockMix } from "../scrypt/blockmix";
import { permuteCopy, unpermuteCopy } from "../scrypt/salsa20";

const MAX = 1024 * 3; // up to r = 12
const input = memory.data(MAX, 64);
const input2 = memory.data(MAX, 64);
const lanes = memory.data(MAX, 64);
const outS = memory.data(MAX, 64);
const outV = memory.data(MAX, 64);
const back = memory.data(MAX, 64);

let seed: u32 = 0x7914;
function fillRandom(ptr: usize, len: usize): void {
  for (let i: usize = 0; i < len; i += 4) {
    seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; // xorshift32
    store<u32>(ptr + i, seed);
  }
}

function toHex(ptr: usize, len: usize): string {
  let s = "";
  for (let i: usize = 0; i < len; i++) s += (<u32>load<u8>(ptr + i) + 0x100).toString(16).slice(1);
  return s;
}

/** BlockMix through the SIMD path: enter the lane layout, mix, leave it. */
function simdBlockMix(r: usize): void {
  permuteCopy(lanes, input, r << 1);
  blockMixSimd(lanes, outV + MAX / 2, r);
  unpermuteCopy(outV, outV + MAX / 2, r << 1);
}

describe("Salsa20/8 SIMD vs scalar", () => {
  it("computes the same core on several blocks (BlockMix, r = 1, on Z || 0 gives Salsa20/8(Z))", () => {
    for (let k = 0; k < 16; k++) {
      fillRandom(input, 64);
      memory.fill(input + 64, 0, 64);
      blockMixScalar(input, outS, 1);
      simdBlockMix(1);
      expect<string>(toHex(outV, 64)).toBe(toHex(outS, 64));
    }
  });

  it("gives the RFC 7914 §8 output in both layouts", () => {
    const words: u32[] = [0x219a877e, 0x86c93e4f, 0xe640a97c, 0x268f7141, 0x5b55eeba, 0xb5c1618c, 0x1146f80d, 0x1d3bcd6d,
      0x19f324ee, 0x853d9bdf, 0x4b1e1214, 0x32aac55a, 0x291d0276, 0x2948c709, 0x8dc6ebed, 0x5ec2b8b8];
    for (let i = 0; i < 16; i++) store<u32>(input + (<usize>i << 2), words[i]);
    memory.fill(input + 64, 0, 64);
    const want = "a41f859c6608cc993b81cacb020cef05044b2181a2fd337dfd7b1c6396682f29b4393168e3c9e6bcfe6bc5b7a06d96bae424cc102c91745c24ad673dc7618f81";
    blockMixScalar(input, outS, 1);
    expect<string>(toHex(outS, 64)).toBe(want);
    simdBlockMix(1);
    expect<string>(toHex(outV, 64)).toBe(want);
  });

  it("computes the same BlockMix for r = 1, 2, 3, 8, 12", () => {
    const rs: usize[] = [1, 2, 3, 8, 12];
    for (let k = 0; k < rs.length; k++) {
      const r = rs[k], len = r << 7;
      fillRandom(input, len);
      blockMixScalar(input, outS, r);
      simdBlockMix(r);
      expect<string>(toHex(outV, len)).toBe(toHex(outS, len));
    }
  });

  it("fuses X xor V[j] into BlockMix exactly like xoring first", () => {
    const r: usize = 3, len = r << 7;
    fillRandom(input, len);
    fillRandom(input2, len);
    blockMixXor(input, input2, outV, r);
    for (let i: usize = 0; i < len; i += 4) store<u32>(back + i, load<u32>(input + i) ^ load<u32>(input2 + i));
    blockMix(back, outS, r);
    expect<string>(toHex(outV, len)).toBe(toHex(outS, len));
  });

  it("permutes into the lane layout and back", () => {
    const blocks: usize = 6;
    fillRandom(input, blocks << 6);
    permuteCopy(lanes, input, blocks);
    // x0 stays in place (Integerify reads it there); x1 moves to lane 1 of D.
    expect<u32>(load<u32>(lanes)).toBe(load<u32>(input));
    expect<u32>(load<u32>(lanes + 52)).toBe(load<u32>(input + 4));
    expect<string>(toHex(lanes, blocks << 6)).not.toBe(toHex(input, blocks << 6));
    unpermuteCopy(back, lanes, blocks);
    expect<string>(toHex(back, blocks << 6)).toBe(toHex(input, blocks << 6));
  });
});
