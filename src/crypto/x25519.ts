// X25519 as age uses it (C2SP age.md "X25519 recipient stanza", X-Wing's
// X25519 half): RFC 7748's function (x25519-ladder.ts), and a shared secret
// that refuses low-order points (RFC 7748 §6.1). tests/x25519-ladder.test.ts.
import { x25519PublicKey, x25519Raw } from "./x25519-ladder.js";

export { x25519PublicKey, x25519Raw };

/**
 * X25519(scalar, point), or null when the result is all zero (the point has
 * low order: RFC 7748 §6.1, which age requires refusing). Inputs are 32 bytes.
 */
export function sharedSecret(scalar: Uint8Array, point: Uint8Array): Uint8Array | null {
  if (point.length !== 32) return null;
  const shared = x25519Raw(scalar, point);
  let acc = 0;
  for (const b of shared) acc |= b;
  return acc === 0 ? null : shared;
}

/**
 * The same function in the shape @noble/post-quantum's `_ecdhKem` takes
 * for X-Wing's X25519 half (crypto/xwing.ts), refusing a low-order share
 * by throwing, as noble's curve does.
 */
export const x25519 = {
  lengths: { secretKey: 32, publicKey: 32, seed: 32 },
  getPublicKey: x25519PublicKey,
  keygen(seed: Uint8Array = crypto.getRandomValues(new Uint8Array(32))): { secretKey: Uint8Array; publicKey: Uint8Array } {
    return { secretKey: seed, publicKey: x25519PublicKey(seed) };
  },
  getSharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
    const s = sharedSecret(secretKey, publicKey);
    if (s === null) throw new Error("X25519: the shared secret is zero (a low-order point)");
    return s;
  },
};
