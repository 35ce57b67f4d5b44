// as-pect tests of the ChaCha20-Poly1305 core's internal paths (RFC 8439):
// the 4-way SIMD keystream against the scalar block function, the 4-way
// SIMD Poly1305 against the serial one, and RFC 8439 §2.3.2 / §2.5.2.
// Scratch lives in static data: under as-pect the heap belongs to its runtime.
import { KEY, NONCE } from "../aead/memory";
import { chachaBlock, chachaXor4, chachaXor } from "../aead/chacha20";
import { polyInit, blocks1, blocks4, polyMessage, polyFinish, HIBIT_FULL } from "../aead/poly1305";

const A: usize = memory.data(4096, 64);
const B: usize = memory.data(4096, 64);

/** Fills n bytes at p with a deterministic byte pattern. */
function pattern(p: usize, n: usize, seed: u32): void {
  let x = seed * 2654435761 + 1;
  for (let i: usize = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    store<u8>(p + i, <u8>x);
  }
}

function bytesAt(p: usize, n: i32): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = load<u8>(p + <usize>i);
  return out;
}

function hexAt(p: usize, n: i32): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    const b = load<u8>(p + <usize>i);
    s += "0123456789abcdef".charAt(b >> 4) + "0123456789abcdef".charAt(b & 15);
  }
  return s;
}

function setHex(p: usize, hex: string): void {
  for (let i = 0; i < hex.length; i += 2) store<u8>(p + <usize>(i >> 1), <u8>I32.parseInt(hex.substr(i, 2), 16));
}

describe("ChaCha20", () => {
  it("the 4-way SIMD keystream equals four scalar blocks", () => {
    for (let seed: u32 = 1; seed < 6; seed++) {
      pattern(KEY, 44, seed); // key and nonce
      const counter: u32 = seed == 5 ? 0xfffffffe : seed * 1000; // 5: the 32-bit counter wraps inside the group
      memory.fill(A, 0, 256);
      chachaXor4(counter, A, A);
      for (let b: u32 = 0; b < 4; b++) chachaBlock(counter + b, B + (<usize>b << 6));
      expect(bytesAt(A, 256)).toStrictEqual(bytesAt(B, 256));
    }
  });

  it("4-way xor in place and out of place equal scalar keystream xor (with a partial tail)", () => {
    pattern(KEY, 44, 9);
    pattern(A, 1000, 10);
    memory.copy(B, A, 1000);
    chachaXor(7, A, A, 1000); // SIMD: 3 groups of 4 blocks, then a 232-byte tail through scratch
    for (let b: u32 = 0; b < 16; b++) {
      chachaBlock(7 + b, B + 2048);
      const n: usize = b == 15 ? 1000 - 960 : 64;
      for (let i: usize = 0; i < n; i++) {
        const at = (<usize>b << 6) + i;
        store<u8>(B + at, load<u8>(B + at) ^ load<u8>(B + 2048 + i));
      }
    }
    expect(bytesAt(A, 1000)).toStrictEqual(bytesAt(B, 1000));
  });

  it("RFC 8439 §2.3.2 block", () => {
    setHex(KEY, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    setHex(NONCE, "000000090000004a00000000");
    chachaBlock(1, A);
    expect(hexAt(A, 64)).toBe(
      "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e" +
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
    );
    memory.fill(B, 0, 256);
    chachaXor4(1, B, B);
    expect(hexAt(B, 64)).toBe(hexAt(A, 64));
  });
});

describe("Poly1305", () => {
  it("the 4-way SIMD path equals the serial path on the same message", () => {
    for (let seed: u32 = 1; seed < 8; seed++) {
      pattern(B, 32, seed * 7); // one-time key
      if (seed == 7) memory.fill(B, 0xff, 16); // r clamped to its largest value
      const groups: usize = <usize>seed * 5;
      pattern(A, groups << 6, seed);
      if (seed == 6) memory.fill(A, 0xff, groups << 6); // all-ones blocks stress the carries
      polyInit(B);
      blocks1(A, 3, HIBIT_FULL); // a running h enters the 4-way path in lane 0
      blocks4(A + 48, groups - 1, HIBIT_FULL);
      blocks1(A + 48 + ((groups - 1) << 6), 1, 0);
      polyFinish(B + 64);
      polyInit(B);
      blocks1(A, 3 + ((groups - 1) << 2), HIBIT_FULL);
      blocks1(A + 48 + ((groups - 1) << 6), 1, 0);
      polyFinish(B + 80);
      expect(bytesAt(B + 64, 16)).toStrictEqual(bytesAt(B + 80, 16));
    }
  });

  it("RFC 8439 §2.5.2", () => {
    setHex(B, "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
    const msg = "Cryptographic Forum Research Group";
    for (let i = 0; i < msg.length; i++) store<u8>(A + <usize>i, <u8>msg.charCodeAt(i));
    polyInit(B);
    polyMessage(A, msg.length);
    polyFinish(B + 64);
    expect(hexAt(B + 64, 16)).toBe("a8061dc1305136c6c22b8baf0c0127a9");
  });
});
