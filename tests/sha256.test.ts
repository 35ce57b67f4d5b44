// src/crypto/sha256.ts: FIPS 180-2's examples (Appendix B), the empty
// message, every length around the padding boundaries, and node:crypto
// (OpenSSL) and @noble/hashes (what it replaced) on random messages fed in
// random parts; clone() continues independently of its source.
import { createHash } from "node:crypto";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Sha256, sha256 } from "../src/crypto/sha256.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const utf8 = (s: string) => new TextEncoder().encode(s);
const openssl = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** The digest of `parts` fed one update() each. */
function digestParts(parts: Uint8Array[]): string {
  const h = new Sha256();
  for (const p of parts) h.update(p);
  const out = new Uint8Array(32);
  h.digestInto(out);
  return hex(out);
}

describe("SHA-256: FIPS 180-2 Appendix B", () => {
  it("B.1: one block, \"abc\"", () => {
    expect(hex(sha256(utf8("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("B.2: two blocks, 448 bits", () => {
    expect(hex(sha256(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
  });
  it("B.3: one million \"a\", fed in pieces of 1000", () => {
    const piece = new Uint8Array(1000).fill(0x61);
    expect(digestParts(Array.from({ length: 1000 }, () => piece))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });
  it("the empty message", () => {
    expect(hex(sha256(new Uint8Array(0)))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});

describe("SHA-256 against node:crypto and @noble/hashes", () => {
  it("every length 0..300 (the padding's one- and two-block cases, 55/56/63/64/119/120)", () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 167 + 13) & 255);
    for (let n = 0; n <= 300; n++) {
      const m = data.subarray(0, n);
      expect(hex(sha256(m)), `${n} bytes`).toBe(openssl(m));
    }
  });

  it("random messages in random parts", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(2000), { maxLength: 6 }), (m, cuts) => {
        const at = [...new Set(cuts.map((c) => c % (m.length + 1)))].sort((a, b) => a - b);
        const parts = [0, ...at].map((from, i) => m.subarray(from, [...at, m.length][i]));
        const want = openssl(m);
        expect(digestParts(parts)).toBe(want);
        expect(hex(nobleSha256(m))).toBe(want);
      }),
      { numRuns: 300 },
    );
  });

  it("a view into a larger buffer hashes only its own bytes", () => {
    const buf = Uint8Array.from({ length: 200 }, (_, i) => i);
    expect(hex(sha256(buf.subarray(17, 150)))).toBe(openssl(buf.subarray(17, 150)));
  });

  it("clone() copies the state: both go on independently; clone(into) reuses a state", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (a, b, c) => {
        const h = new Sha256().update(a);
        const copy = h.clone();
        const into = new Sha256().update(utf8("state to be overwritten"));
        expect(h.clone(into)).toBe(into);
        const out = () => new Uint8Array(32);
        const [d1, d2, d3] = [out(), out(), out()];
        h.update(b).digestInto(d1);
        copy.update(c).digestInto(d2);
        into.update(c).digestInto(d3);
        expect(hex(d1)).toBe(openssl(Uint8Array.from([...a, ...b])));
        expect(hex(d2)).toBe(openssl(Uint8Array.from([...a, ...c])));
        expect(hex(d3)).toBe(hex(d2));
      }),
      { numRuns: 100 },
    );
  });

  it("digestInto() writes into a view at its offset, nothing around it", () => {
    const buf = new Uint8Array(40).fill(0xee);
    const h = new Sha256().update(utf8("abc"));
    h.digestInto(buf.subarray(5, 37));
    expect(hex(buf.subarray(5, 37))).toBe(openssl(utf8("abc")));
    expect([...buf.subarray(0, 5), ...buf.subarray(37)]).toEqual(Array(8).fill(0xee));
  });
});
