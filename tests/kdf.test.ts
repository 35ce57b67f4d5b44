// The two KDFs written out over @noble's HMAC (src/crypto/kdf.ts): HKDF-SHA-256
// with 32 bytes of output (RFC 5869 vectors) and PBKDF2-HMAC-SHA256 with one
// iteration (RFC 7914 §11), each also against @noble's general version.
import { hkdf } from "@noble/hashes/hkdf.js";
import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { hkdf32, pbkdf2Once } from "../src/crypto/kdf.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const utf8 = (s: string) => new TextEncoder().encode(s);
const bytes = (n: number, f: (i: number) => number) => new Uint8Array(n).map((_, i) => f(i));

describe("hkdf32: HKDF-SHA-256, 32 bytes of output", () => {
  // RFC 5869 A.1 and A.3 (L = 42 there: T(1) is the first 32 bytes of OKM).
  it("RFC 5869 A.1 (salt and info)", () => {
    const okm = hkdf32(bytes(22, () => 0x0b), bytes(13, (i) => i), bytes(10, (i) => 0xf0 + i));
    expect(hex(okm)).toBe("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
  });

  it("RFC 5869 A.3 (empty salt: HashLen zeros; empty info)", () => {
    const okm = hkdf32(bytes(22, () => 0x0b), new Uint8Array(0), new Uint8Array(0));
    expect(hex(okm)).toBe("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d");
  });

  it("equals @noble's hkdf for the shapes age uses and for long keys, salts and infos", () => {
    const cases: [Uint8Array, Uint8Array, Uint8Array][] = [
      [bytes(16, (i) => i), new Uint8Array(0), utf8("header")],
      [bytes(16, (i) => 255 - i), bytes(16, (i) => i * 3), utf8("payload")],
      [bytes(32, (i) => i * 5), bytes(64, (i) => i), utf8("age-encryption.org/v1/X25519")],
      [bytes(100, (i) => i), bytes(100, (i) => i * 7), bytes(200, (i) => i * 11)],
    ];
    for (const [ikm, salt, info] of cases) expect(hex(hkdf32(ikm, salt, info))).toBe(hex(hkdf(sha256, ikm, salt, info, 32)));
  });
});

describe("pbkdf2Once: PBKDF2-HMAC-SHA256 with c = 1", () => {
  it('RFC 7914 §11: P="passwd" S="salt" dkLen = 64', () => {
    expect(hex(pbkdf2Once(utf8("passwd"), utf8("salt"), 64))).toBe(hex(unhex(`
      55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc
      49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783`)));
  });

  it("equals @noble's pbkdf2 at every length around the block size, and with a key longer than a SHA-256 block", () => {
    for (const password of [utf8("pw"), new Uint8Array(0), bytes(100, (i) => i * 7)]) {
      for (const dkLen of [1, 31, 32, 33, 64, 95, 1024, 1025]) {
        const salt = bytes(dkLen % 200, (i) => i);
        expect(hex(pbkdf2Once(password, salt, dkLen)), `${password.length}/${dkLen}`)
          .toBe(hex(pbkdf2(sha256, password, salt, { c: 1, dkLen })));
      }
    }
  });
});
