// Known answers for the AES-256-GCM and XChaCha20-Poly1305 core, both builds:
// the AES S-box circuit on all 256 inputs against its definition (FIPS 197
// §5.1.1: inverse in GF(2^8), then the affine map), FIPS 197 C.3 (AES-256),
// the McGrew–Viega GCM test cases 13-16 (AES-256; 16 has AAD and a partial
// block), GCM edge cases (empty plaintext, AAD only, every length 1..65, each
// tag bit flipped), HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2.1) and
// XChaCha20-Poly1305 (§A.3.1), and the pure-JS fallback on the same vectors.
import { createCipheriv } from "node:crypto";
import { describe, expect, it } from "vitest";
import simdBytes from "../build/core.simd.wasm";
import scalarBytes from "../build/core.scalar.wasm";
import { gcmOver, gcmPrimitivesOver, xchachaOver } from "../src/wasm/gcm.js";
import { jsGcm, jsXChaCha } from "../src/crypto/nonce-aead-js.js";
import type { NonceAead } from "../src/crypto/backend.js";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ""), "hex"));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** The S-box from its definition: multiplicative inverse in GF(2^8) mod x^8+x^4+x^3+x+1, then the affine map. */
function sboxByDefinition(v: number): number {
  const mul = (a: number, b: number) => {
    let r = 0;
    for (; b; b >>= 1, a = (a << 1) ^ (a & 0x80 ? 0x11b : 0)) if (b & 1) r ^= a;
    return r & 0xff;
  };
  let inv = 0;
  for (let b = 1; b < 256 && v !== 0; b++) if (mul(v, b) === 1) inv = b;
  let s = inv;
  for (let i = 1; i < 5; i++) s ^= ((inv << i) | (inv >> (8 - i))) & 0xff;
  return s ^ 0x63;
}

const K15 = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
const IV15 = hex("cafebabefacedbaddecaf888");
const P15 = hex(`d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
  1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255`);
const C15 = hex(`522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
  8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad`);
const A16 = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");

/** McGrew–Viega, "The Galois/Counter Mode of Operation", test cases 13-16 (AES-256). */
const MCGREW_VIEGA = [
  { name: "13", key: new Uint8Array(32), iv: new Uint8Array(12), pt: new Uint8Array(0), aad: new Uint8Array(0),
    ct: new Uint8Array(0), tag: "530f8afbc74536b9a963b4f1c4cb738b" },
  { name: "14", key: new Uint8Array(32), iv: new Uint8Array(12), pt: new Uint8Array(16), aad: new Uint8Array(0),
    ct: hex("cea7403d4d606b6e074ec5d3baf39d18"), tag: "d0d1c8a799996bf0265b98b5d48ab919" },
  { name: "15", key: K15, iv: IV15, pt: P15, aad: new Uint8Array(0), ct: C15, tag: "b094dac5d93471bdec1a502270e3cc6c" },
  { name: "16", key: K15, iv: IV15, pt: P15.subarray(0, 60), aad: A16, ct: C15.subarray(0, 60),
    tag: "76fc6ece0f4e1768cddf8853bb2d551b" },
];

const SUNSCREEN = new TextEncoder().encode(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);
/** draft-irtf-cfrg-xchacha-03 §A.3.1. */
const XCHACHA = {
  key: hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"),
  nonce: hex("404142434445464748494a4b4c4d4e4f5051525354555657"),
  aad: hex("50515253c0c1c2c3c4c5c6c7"),
  ct: hex(`bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb
    731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452
    2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9
    21f9664c97637da9768812f615c68b13b52e`),
  tag: "c0875924c1c7987947deafd8780acf49",
};

function nodeGcm(key: Uint8Array, iv: Uint8Array, pt: Uint8Array, aad: Uint8Array): Uint8Array {
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(aad);
  return new Uint8Array(Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]));
}

function aeadVectors(name: string, gcm: NonceAead, xchacha: NonceAead) {
  describe(name, () => {
    it.each(MCGREW_VIEGA)("McGrew–Viega test case $name: seal, open, and a flipped tag bit opens nothing", (v) => {
      const sealed = gcm.seal(v.key, v.iv, v.pt, v.aad);
      expect(toHex(sealed)).toBe(toHex(v.ct) + v.tag);
      expect(toHex(gcm.open(v.key, v.iv, sealed, v.aad)!)).toBe(toHex(v.pt));
      for (let bit = 0; bit < 128; bit++) {
        const bad = sealed.slice();
        bad[v.ct.length + (bit >> 3)]! ^= 1 << (bit & 7);
        expect(gcm.open(v.key, v.iv, bad, v.aad)).toBeNull();
      }
    });

    it("GCM edge cases: AAD only, every length 1..65 with and without AAD, against node:crypto", () => {
      const key = hex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
      const iv = hex("0f0e0d0c0b0a090807060504");
      for (let aadLen = 0; aadLen <= 33; aadLen += 11) {
        const aad = Uint8Array.from({ length: aadLen }, (_, i) => i * 7);
        for (let len = 0; len <= 65; len++) {
          const pt = Uint8Array.from({ length: len }, (_, i) => (i * 31 + len) & 0xff);
          const sealed = gcm.seal(key, iv, pt, aad);
          expect(toHex(sealed)).toBe(toHex(nodeGcm(key, iv, pt, aad)));
          expect(toHex(gcm.open(key, iv, sealed, aad)!)).toBe(toHex(pt));
          if (len > 0) {
            const bad = sealed.slice();
            bad[len - 1]! ^= 0x80; // a ciphertext bit
            expect(gcm.open(key, iv, bad, aad)).toBeNull();
          }
          if (aadLen > 0) {
            const badAad = aad.slice();
            badAad[0]! ^= 1;
            expect(gcm.open(key, iv, sealed, badAad)).toBeNull();
          }
        }
      }
      expect(gcm.open(key, iv, new Uint8Array(15))).toBeNull(); // shorter than a tag
    });

    it("XChaCha20-Poly1305: draft-irtf-cfrg-xchacha-03 §A.3.1", () => {
      const sealed = xchacha.seal(XCHACHA.key, XCHACHA.nonce, SUNSCREEN, XCHACHA.aad);
      expect(toHex(sealed)).toBe(toHex(XCHACHA.ct) + XCHACHA.tag);
      expect(xchacha.open(XCHACHA.key, XCHACHA.nonce, sealed, XCHACHA.aad)).toEqual(SUNSCREEN);
      const bad = sealed.slice();
      bad[sealed.length - 1]! ^= 1;
      expect(xchacha.open(XCHACHA.key, XCHACHA.nonce, bad, XCHACHA.aad)).toBeNull();
      expect(xchacha.open(XCHACHA.key, XCHACHA.nonce, sealed)).toBeNull(); // AAD missing
    });
  });
}

const builds = [["simd", simdBytes], ["scalar", scalarBytes]] as const;

describe.each(builds)("%s build", (name, bytes) => {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const raw = gcmPrimitivesOver(instance);

  it("the bitsliced S-box circuit equals the S-box's definition on all 256 inputs", () => {
    for (let i = 0; i < 256; i += 16) {
      const out = raw.sbox(Uint8Array.from({ length: 16 }, (_, j) => i + j));
      for (let j = 0; j < 16; j++) expect(out[j]).toBe(sboxByDefinition(i + j));
    }
  });

  it("FIPS 197 C.3: AES-256 of one block", () => {
    const key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    expect(toHex(raw.aes256(key, hex("00112233445566778899aabbccddeeff")))).toBe("8ea2b7ca516745bfeafc49904b496089");
  });

  it("GHASH: H = E(0^128) of McGrew–Viega case 14, one zero block and one block", () => {
    const h = hex("dc95c078a2408989ad48a21492842087"); // test case 14's H
    expect(toHex(raw.ghash(h, new Uint8Array(16)))).toBe("00000000000000000000000000000000");
    // Test case 14: GHASH(H, {}, C) = 83de425c5edc5d498f382c441041ca92 (its len block folded in by GCM, not here).
    const c = hex("cea7403d4d606b6e074ec5d3baf39d18");
    const lenBlock = hex("00000000000000000000000000000080");
    const both = new Uint8Array(32);
    both.set(c);
    both.set(lenBlock, 16);
    expect(toHex(raw.ghash(h, both))).toBe("83de425c5edc5d498f382c441041ca92");
  });

  it("HChaCha20: draft-irtf-cfrg-xchacha-03 §2.2.1", () => {
    const key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    expect(toHex(raw.hchacha20(key, hex("000000090000004a0000000031415927")))).toBe(
      "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
    );
  });

  aeadVectors(`${name}: AEAD`, gcmOver(instance), xchachaOver(instance));
});

aeadVectors("pure-JS fallback (@noble/ciphers)", jsGcm, jsXChaCha);
