// src/crypto/x25519.ts, the library's X25519 (RFC 7748 §5), and the two
// functions under it, each way: the BigInt ladder (x25519-ladder.ts) and
// OpenSSL's, which the commands use (src/cli/x25519-openssl.ts). RFC 7748's
// vectors (§5.2, the iterated one to 1 000, §6.1's key exchange), then
// against node:crypto (OpenSSL) and @noble/curves' ladder (what it replaced)
// on random keys and random u-coordinates (top bit set or not), the
// low-order points (all-zero result: sharedSecret() refuses them), and
// non-canonical u (≥ p, taken mod p), and the shape X-Wing's noble KEM
// wrapper uses (crypto/xwing.ts).
import { createPrivateKey, createPublicKey, diffieHellman } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sharedSecret, x25519 } from "../src/crypto/x25519.js";
import * as ladder from "../src/crypto/x25519-ladder.js";
import * as byOpenssl from "../src/cli/x25519-openssl.js";
import { nobleX25519 as noble } from "./helpers/noble-x25519.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const P = 2n ** 255n - 19n;
const le = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 255n));

/** X25519 by OpenSSL: the raw keys wrapped in PKCS#8 / SPKI (RFC 8410). Throws on an all-zero result. */
function openssl(k: Uint8Array, u: Uint8Array): Uint8Array {
  const privateKey = createPrivateKey({ key: Buffer.concat([unhex("302e020100300506032b656e04220420"), k]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey({ key: Buffer.concat([unhex("302a300506032b656e032100"), u]), format: "der", type: "spki" });
  return new Uint8Array(diffieHellman({ privateKey, publicKey }));
}

for (const [name, { x25519Raw, x25519PublicKey }] of [["BigInt ladder", ladder], ["OpenSSL, the commands'", byOpenssl]] as const) {
  describe(`RFC 7748 vectors (${name})`, () => {
    it("§5.2 the two single-shot vectors", () => {
      expect(hex(x25519Raw(unhex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"), unhex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))))
        .toBe("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
      expect(hex(x25519Raw(unhex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"), unhex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))))
        .toBe("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    });

    it("§5.2 iterated: k = u = 9, after 1 and after 1 000 iterations", () => {
      let k: Uint8Array = le(9n);
      let u: Uint8Array = le(9n);
      for (let i = 1; i <= 1000; i++) {
        [k, u] = [x25519Raw(k, u), k];
        if (i === 1) expect(hex(k)).toBe("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
      }
      expect(hex(k)).toBe("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
    });

    it("§6.1 Diffie-Hellman: both public keys and the shared secret", () => {
      const alice = unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
      const bob = unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
      expect(hex(x25519PublicKey(alice))).toBe("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
      expect(hex(x25519PublicKey(bob))).toBe("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
      const shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
      expect(hex(sharedSecret(alice, x25519PublicKey(bob))!)).toBe(shared);
      expect(hex(sharedSecret(bob, x25519PublicKey(alice))!)).toBe(shared);
    });
  });

  describe(`against OpenSSL and @noble/curves (${name})`, () => {
    it("random scalars and u-coordinates (top bit set or not) give OpenSSL's and noble's results", () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (k, u) => {
          const ours = x25519Raw(k, u);
          if (ours.every((b) => b === 0)) return; // a low-order u by chance: below
          expect(hex(ours)).toBe(hex(openssl(k, u)));
          expect(hex(ours)).toBe(hex(noble.getSharedSecret(k, u)));
        }),
        { numRuns: 150, seed: 7748 },
      );
    });

    it("public keys are noble's and OpenSSL's", () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (k) => {
          const pub = x25519PublicKey(k);
          expect(hex(pub)).toBe(hex(noble.getPublicKey(k)));
          expect(hex(pub)).toBe(hex(openssl(k, le(9n))));
        }),
        { numRuns: 60, seed: 8410 },
      );
    });

    it("a non-canonical u (p ≤ u < 2^255) counts as u mod p; the top bit is ignored", () => {
      const k = crypto.getRandomValues(new Uint8Array(32));
      for (const small of [2n, 9n, 18n]) {
        const want = hex(x25519Raw(k, le(small)));
        expect(hex(x25519Raw(k, le(P + small)))).toBe(want);
        expect(hex(x25519Raw(k, le(small | (1n << 255n))))).toBe(want);
        expect(hex(openssl(k, le(P + small)))).toBe(want);
      }
    });
  });

  describe(`low-order points (${name})`, () => {
    // u = 0, 1, the two points of order 8, p - 1, and p, p + 1 (non-canonical 0 and 1), each also with the top bit set.
    const LOW = [0n, 1n, 0x00b8495f16056286fdb1329ceb8d09da6ac49ff1fae35616aeb8413b7c7aebe0n, 0x57119fd0dd4e22d8868e1c58c45c44045bef839c55b1d0b1248c50a3bc959c5fn, P - 1n, P, P + 1n];

    it("give an all-zero result, which sharedSecret() refuses (null) and the X-Wing shape refuses by throwing", () => {
      const k = crypto.getRandomValues(new Uint8Array(32));
      for (const u of LOW.flatMap((n) => [n, n | (1n << 255n)])) {
        expect(x25519Raw(k, le(u)).every((b) => b === 0), u.toString(16)).toBe(true);
        expect(sharedSecret(k, le(u))).toBeNull();
        expect(() => x25519.getSharedSecret(k, le(u))).toThrow(/low-order/);
        expect(() => noble.getSharedSecret(k, le(u))).toThrow(); // noble agrees they are invalid
      }
    });
  });
}

describe("interface", () => {
  for (const [name, { x25519Raw }] of [["BigInt ladder", ladder], ["OpenSSL", byOpenssl]] as const) {
    it(`refuses inputs that are not 32 bytes (${name})`, () => {
      expect(() => x25519Raw(new Uint8Array(31), le(9n))).toThrow(RangeError);
      expect(() => x25519Raw(new Uint8Array(32), new Uint8Array(33))).toThrow(RangeError);
    });

    it(`leaves its inputs untouched (the clamping is on a copy) (${name})`, () => {
      const k = new Uint8Array(32).fill(0xff);
      const u = new Uint8Array(32).fill(0xff);
      x25519Raw(k, u);
      expect(k.every((b) => b === 0xff) && u.every((b) => b === 0xff)).toBe(true);
    });
  }

  it("sharedSecret() refuses a point that is not 32 bytes", () => {
    expect(sharedSecret(new Uint8Array(32), new Uint8Array(31))).toBeNull();
  });

  it("the X-Wing shape: keygen keeps the seed as the secret key, as noble's does", () => {
    const seed = crypto.getRandomValues(new Uint8Array(32));
    const ours = x25519.keygen(seed);
    const theirs = noble.keygen(seed.slice());
    expect(hex(ours.secretKey)).toBe(hex(theirs.secretKey));
    expect(hex(ours.publicKey)).toBe(hex(theirs.publicKey));
    expect(x25519.lengths).toEqual({ secretKey: 32, publicKey: 32, seed: 32 });
  });
});
