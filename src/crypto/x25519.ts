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

/**
 * X25519(scalar, point), or null when the result would be all zero (the
 * point has low order). noble rejects such points by throwing; the explicit
 * zero check keeps us correct with any version of it. Inputs are 32 bytes.
 */
export function sharedSecret(scalar: Uint8Array, point: Uint8Array): Uint8Array | null {
  let shared: Uint8Array;
  try {
    shared = x25519.getSharedSecret(scalar, point);
  } catch {
    return null;
  }
  let acc = 0;
  for (const b of shared) acc |= b;
  return acc === 0 ? null : shared;
}
