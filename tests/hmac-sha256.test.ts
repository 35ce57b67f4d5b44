// src/crypto/hmac-sha256.ts: HMAC-SHA-256 against RFC 4231's vectors,
// HKDF-SHA-256 against RFC 5869's (A.1-A.3), PBKDF2-HMAC-SHA-256 with one
// iteration against RFC 7914 §11's, and all three against node:crypto
// (OpenSSL) on random keys, salts, inputs and lengths, split into random
// parts. Also @noble/hashes' own HMAC/HKDF (what they replace) on the same
// inputs, and HKDF's length limit.
import { createHmac, hkdfSync, pbkdf2Sync } from "node:crypto";
import { hkdf as nobleHkdf } from "@noble/hashes/hkdf.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hkdf, hkdfExpand, hkdfExtract, hmacSha256, pbkdf2Sha256Once } from "../src/crypto/hmac-sha256.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const utf8 = (s: string) => new TextEncoder().encode(s);
const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
const seq = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("HMAC-SHA-256: RFC 4231 §4", () => {
  const cases: Array<[string, Uint8Array, Uint8Array, string]> = [
    ["1", fill(20, 0x0b), utf8("Hi There"), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
    ["2", utf8("Jefe"), utf8("what do ya want for nothing?"), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"],
    ["3", fill(20, 0xaa), fill(50, 0xdd), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
    ["4", seq(1, 25), fill(50, 0xcd), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"],
    ["6", fill(131, 0xaa), utf8("Test Using Larger Than Block-Size Key - Hash Key First"), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"],
    [
      "7", fill(131, 0xaa),
      utf8("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    ],
  ];
  for (const [n, key, data, want] of cases) {
    it(`test case ${n}`, () => {
      expect(hex(hmacSha256(key, data))).toBe(want);
      // The same message given in parts.
      expect(hex(hmacSha256(key, data.subarray(0, 7), new Uint8Array(0), data.subarray(7)))).toBe(want);
    });
  }
  it("test case 5 (truncated to 128 bits)", () => {
    expect(hex(hmacSha256(fill(20, 0x0c), utf8("Test With Truncation")).subarray(0, 16))).toBe("a3b6167473100ee06e0c796c2955552b");
  });
});

describe("HKDF-SHA-256: RFC 5869 appendix A", () => {
  it("A.1 basic", () => {
    const prk = hkdfExtract(fill(22, 0x0b), seq(0, 12));
    expect(hex(prk)).toBe("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    expect(hex(hkdfExpand(prk, seq(0xf0, 0xf9), 42))).toBe("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  });
  it("A.2 longer inputs and outputs", () => {
    expect(hex(hkdf(seq(0, 0x4f), seq(0x60, 0xaf), seq(0xb0, 0xff), 82))).toBe(
      "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
    );
  });
  it("A.3 empty salt and info", () => {
    expect(hex(hkdfExtract(fill(22, 0x0b), new Uint8Array(0)))).toBe("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
    expect(hex(hkdf(fill(22, 0x0b), new Uint8Array(0), new Uint8Array(0), 42))).toBe(
      "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
    );
  });
  it("expands to at most 255 blocks, and refuses more (or a bad length) with a RangeError", () => {
    const prk = fill(32, 7);
    expect(hkdfExpand(prk, new Uint8Array(0), 255 * 32)).toHaveLength(8160);
    expect(hkdfExpand(prk, new Uint8Array(0), 0)).toHaveLength(0);
    for (const bad of [255 * 32 + 1, -1, 1.5, Number.NaN]) expect(() => hkdfExpand(prk, new Uint8Array(0), bad)).toThrow(RangeError);
  });
});

describe("PBKDF2-HMAC-SHA-256, one iteration: RFC 7914 §11", () => {
  it('P = "passwd", S = "salt", c = 1, dkLen = 64', () => {
    expect(hex(pbkdf2Sha256Once(utf8("passwd"), utf8("salt"), 64))).toBe(
      "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783",
    );
  });
});

describe("against node:crypto and @noble/hashes on random inputs", () => {
  const bytes = (max: number) => fc.uint8Array({ maxLength: max });

  it("HMAC-SHA-256 (keys 0..200 bytes, messages 0..300 in up to 4 parts)", () => {
    fc.assert(
      fc.property(bytes(200), fc.array(bytes(100), { maxLength: 4 }), (key, parts) => {
        const want = createHmac("sha256", key).update(Buffer.concat(parts)).digest("hex");
        expect(hex(hmacSha256(key, ...parts))).toBe(want);
        expect(hex(nobleHmac(sha256, key, Buffer.concat(parts)))).toBe(want);
      }),
      { numRuns: 300, seed: 4231 },
    );
  });

  it("HKDF-SHA-256 (lengths 0..600)", () => {
    fc.assert(
      fc.property(bytes(80), bytes(80), bytes(80), fc.integer({ min: 0, max: 600 }), (ikm, salt, info, length) => {
        const want = hex(new Uint8Array(hkdfSync("sha256", ikm, salt, info, length)));
        expect(hex(hkdf(ikm, salt, info, length))).toBe(want);
        expect(hex(nobleHkdf(sha256, ikm, salt, info, length))).toBe(want);
      }),
      { numRuns: 300, seed: 5869 },
    );
  });

  it("PBKDF2-HMAC-SHA-256 with c = 1 (lengths 0..2100, scrypt's B for p·r up to 16)", () => {
    fc.assert(
      fc.property(bytes(100), bytes(100), fc.integer({ min: 0, max: 2100 }), (password, salt, length) => {
        expect(hex(pbkdf2Sha256Once(password, salt, length))).toBe(pbkdf2Sync(password, salt, 1, length, "sha256").toString("hex"));
      }),
      { numRuns: 200, seed: 7914 },
    );
  });

  it("leaves its inputs untouched", () => {
    const key = unhex("00112233445566778899aabbccddeeff");
    const msg = seq(0, 99);
    hmacSha256(key, msg);
    hkdf(key, msg, msg, 100);
    pbkdf2Sha256Once(key, msg, 100);
    expect(hex(key)).toBe("00112233445566778899aabbccddeeff");
    expect(msg).toEqual(seq(0, 99));
  });
});
