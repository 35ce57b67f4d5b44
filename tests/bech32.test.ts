import { describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { Bech32Error, decode, decodeWords, encode, encodeWords, fromWords, toWords } from "../src/format/bech32.js";
import { loadVectors } from "./helpers/cctv.js";

// BIP-173 "Test vectors": strings with a valid Bech32 checksum.
const VALID = [
  "A12UEL5L",
  "a12uel5l",
  "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
  "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
  "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
  "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
  "?1ezyfcl",
];

// BIP-173 invalid strings, with the reason given there. The 90-character
// limit is deliberately not enforced (age keys exceed it), so that vector is
// tested separately below.
const INVALID: Array<[string, string]> = [
  ["\x201nwldj5", "HRP character out of range"],
  ["\x7f1axkwrx", "HRP character out of range"],
  ["\x801eym55h", "HRP character out of range"],
  ["pzry9x0s0muk", "no separator character"],
  ["1pzry9x0s0muk", "empty HRP"],
  ["x1b4n0q5v", "invalid data character"],
  ["li1dgmt3", "too short checksum"],
  ["de1lg7wt\xff", "invalid character in checksum"],
  ["A1G7SGD8", "checksum calculated with uppercase form of HRP"],
  ["10a06t8", "empty HRP"],
  ["1qzzfhee", "empty HRP"],
  ["a12UEL5L", "mixed case"],
  ["A12uEL5L", "mixed case"],
];

// BIP-350 bech32m vectors: valid bech32m, so invalid Bech32 (age uses constant 1).
const BECH32M = ["A1LQFN3A", "a1lqfn3a", "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", "?1v759aa"];

// age v1 spec, "The X25519 recipient type".
const SPEC_IDENTITY = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";

describe("bech32: BIP-173 vectors", () => {
  it.each(VALID)("decodes and re-encodes %s", (s) => {
    const { hrp, words, uppercase } = decodeWords(s);
    expect(hrp).toBe(s.slice(0, s.lastIndexOf("1")).toLowerCase());
    expect(encodeWords(uppercase ? hrp.toUpperCase() : hrp, words)).toBe(s);
  });

  it.each(INVALID)("rejects %j (%s)", (s) => {
    expect(() => decodeWords(s)).toThrow(Bech32Error);
  });

  it("rejects a single flipped character in every valid vector", () => {
    for (const s of VALID) {
      const sep = s.lastIndexOf("1");
      for (let i = sep + 1; i < s.length; i++) {
        const c = s[i]!.toLowerCase();
        const repl = c === "q" ? "p" : "q";
        const t = s.slice(0, i) + (s === s.toUpperCase() ? repl.toUpperCase() : repl) + s.slice(i + 1);
        expect(() => decodeWords(t), t).toThrow(/checksum/);
      }
    }
  });

  it.each(BECH32M)("rejects the bech32m string %s (wrong checksum constant)", (s) => {
    expect(() => decodeWords(s)).toThrow(/checksum/);
  });

  it("has no 90-character limit, but a configurable bound", () => {
    const long = "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx";
    expect(decodeWords(long).hrp).toHaveLength(84);
    expect(() => decodeWords(long, 90)).toThrow(/too long/);
    const big = encode("age", new Uint8Array(1216)); // the size of a post-quantum recipient
    expect(decode(big).data).toHaveLength(1216);
    expect(() => decode("a1" + "q".repeat(5000))).toThrow(/too long/);
  });

  it("throws UsageErrors that never echo the input", () => {
    const secret = SPEC_IDENTITY.slice(0, -1) + "Y"; // bad checksum
    try {
      decode(secret);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Bech32Error);
      expect(e).toBeInstanceOf(UsageError);
      expect((e as Error).message).not.toContain("GFPYY");
    }
  });
});

describe("bech32: bytes", () => {
  it("round-trips random bytes of every length 0..80 in both cases", () => {
    for (let n = 0; n <= 80; n++) {
      const data = crypto.getRandomValues(new Uint8Array(n));
      const lower = encode("age", data);
      expect(lower).toBe(lower.toLowerCase());
      expect(decode(lower)).toEqual({ hrp: "age", data, uppercase: false });
      const upper = encode("AGE-SECRET-KEY-", data);
      expect(upper).toBe(upper.toUpperCase());
      expect(decode(upper)).toEqual({ hrp: "age-secret-key-", data, uppercase: true });
      expect(decode(upper.toLowerCase()).data).toEqual(data);
    }
  });

  it("agrees with toWords/fromWords on the BIP-173 example data", () => {
    const { words } = decodeWords("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
    expect(Array.from(words)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(toWords(fromWords(words))).toEqual(words);
  });

  it("rejects bad padding: a whole unused group, or non-zero unused bits", () => {
    // 32 bytes = 256 bits = 51.2 words: 52 words, 4 padding bits that must be zero.
    const words = toWords(new Uint8Array(32).fill(0xff));
    expect(words).toHaveLength(52);
    const nonZeroPad = words.slice();
    nonZeroPad[51] |= 1;
    expect(() => decode(encodeWords("age", nonZeroPad))).toThrow(/non-zero unused bits/);
    // 1 byte = 2 words (2 padding bits); a third word makes 7 unused bits.
    const extraGroup = Uint8Array.from([...toWords(new Uint8Array([0xff])), 0]);
    expect(() => decode(encodeWords("age", extraGroup))).toThrow(/whole unused/);
    expect(() => fromWords([0])).toThrow(Bech32Error); // 5 bits: no byte, a whole group of padding
    expect(fromWords([])).toEqual(new Uint8Array(0));
  });

  it("refuses to encode a mixed-case HRP or out-of-range words", () => {
    expect(() => encode("Age", new Uint8Array(1))).toThrow(/mixed-case/);
    expect(() => encodeWords("age", [32])).toThrow(Bech32Error);
    expect(() => encodeWords("", [])).toThrow(/empty/);
    expect(() => encodeWords("a b", [])).toThrow(/invalid character/);
  });
});

describe("bech32: age keys", () => {
  it("decodes the spec's example identity", () => {
    const { hrp, data, uppercase } = decode(SPEC_IDENTITY);
    expect(hrp).toBe("age-secret-key-");
    expect(uppercase).toBe(true);
    expect(data).toEqual(new Uint8Array(32).fill(0x42)); // "GFPYYSJZ…" is 0x42 repeated
    expect(encode("AGE-SECRET-KEY-", data)).toBe(SPEC_IDENTITY);
  });

  it("round-trips every identity in the CCTV vectors", () => {
    const ids = new Set(loadVectors().flatMap((v) => v.identities));
    expect(ids.size).toBeGreaterThanOrEqual(3);
    for (const id of ids) {
      const { hrp, data } = decode(id);
      expect(["age-secret-key-", "age-secret-key-pq-"]).toContain(hrp);
      expect(data).toHaveLength(32);
      expect(encode(hrp.toUpperCase(), data)).toBe(id);
    }
  });

  it("decodes the spec's example recipient to 32 bytes", () => {
    const r = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
    const { hrp, data } = decode(r);
    expect(hrp).toBe("age");
    expect(encode("age", data)).toBe(r);
    expect(decode(r.toUpperCase()).data).toEqual(data);
  });
});
