// X25519 (RFC 7748 §5) alone, from @noble/curves' Montgomery ladder.
//
// @noble/curves/ed25519.js also exports x25519, but it pulls in Edwards
// arithmetic and SHA-512 and derives public keys through precomputed Edwards
// tables built on first use (~100 ms and several MiB per process: most of a
// CLI run's start-up). The plain ladder gives the same results for ~1.5 ms
// more per public key, and ~5 KB gzip less in the browser bundle.
import { pow } from "@noble/curves/abstract/modular.js";
import { montgomery } from "@noble/curves/abstract/montgomery.js";

const P = 2n ** 255n - 19n;

export const x25519 = montgomery({
  P,
  type: "x25519",
  // Fermat inversion x^(p-2); ed25519.js uses an addition chain, same result.
  powPminus2: (x: bigint) => pow(x, P - 2n, P),
  // RFC 7748 §5 decodeScalar25519: clear the 3 low bits and the top bit, set bit 254.
  adjustScalarBytes(k: Uint8Array) {
    k[0]! &= 248;
    k[31]! &= 127;
    k[31]! |= 64;
    return k;
  },
});
