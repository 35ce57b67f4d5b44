// X25519 (RFC 7748 §5): the Montgomery ladder over BigInt, written out.
// crypto/x25519.ts builds on it; the commands' build puts OpenSSL's in its
// place (src/cli/x25519-openssl.ts, scripts/bundle.mjs).
//
// @noble/curves has it (montgomery.js, ~1.4 kB gzip with its field, checks
// and helpers in the browser bundle), but age needs only the function
// itself, on 32-byte strings: this is RFC 7748's pseudocode, with the
// conditional swaps done by arithmetic (no branch on a key bit), as noble
// does. Like noble's, it runs on JavaScript's BigInt, whose operations do
// not promise constant time. tests/x25519-ladder.test.ts checks it against
// RFC 7748's vectors (including 1 000 iterations), @noble/curves and
// node:crypto on random keys, and on low-order and non-canonical points.
// The results are those of @noble/curves' ladder, which this replaced.
const P = 2n ** 255n - 19n;
const A24 = 121665n;
const BASE = Uint8Array.of(9);

const LOW = (1n << 255n) - 1n;

/** x mod p, in [0, p). */
const mod = (x: bigint): bigint => {
  const r = x % P;
  return r < 0n ? r + P : r;
};

/**
 * x folded twice by 2^255 ≡ 19 (mod p): congruent to x and below ~2^256 in
 * magnitude for any |x| < 2^530 (the ladder's products), but not fully
 * reduced; about a quarter faster than `%` on V8. mod() reduces at the end.
 */
const fold = (x: bigint): bigint => {
  x = (x & LOW) + 19n * (x >> 255n);
  return (x & LOW) + 19n * (x >> 255n);
};

function toBigInt(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
}

/** Congruent to x^(p-2): the inverse of x mod p (Fermat), 0 for 0; not fully reduced (fold). */
function invert(x: bigint): bigint {
  let r = 1n;
  for (let e = P - 2n, b = x; e > 0n; e >>= 1n, b = fold(b * b)) if (e & 1n) r = fold(r * b);
  return r;
}

/**
 * X25519(k, u) of RFC 7748 §5: `scalar` is clamped (decodeScalar25519), the
 * top bit of `u` is ignored and a non-canonical u (≥ p) is taken mod p
 * (decodeUCoordinate). Both are 32 bytes; the result is 32 bytes, all zero
 * for a point of low order.
 */
export function x25519Raw(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  if (scalar.length !== 32 || u.length !== 32) throw new RangeError("X25519: scalar and point must be 32 bytes");
  const k = (toBigInt(scalar) & ((1n << 254n) - 8n)) | (1n << 254n);
  const x1 = mod(toBigInt(u) & LOW);
  let [x2, z2, x3, z3, swap] = [1n, 0n, x1, 1n, 0n];
  for (let t = 254n; t >= 0n; t--) {
    const bit = (k >> t) & 1n;
    swap ^= bit;
    // cswap by arithmetic: d is 0 or the difference, per swap.
    let d = swap * (x2 - x3);
    [x2, x3] = [x2 - d, x3 + d];
    d = swap * (z2 - z3);
    [z2, z3] = [z2 - d, z3 + d];
    swap = bit;
    const a = x2 + z2, aa = fold(a * a), b = x2 - z2, bb = fold(b * b), e = aa - bb;
    const da = fold((x3 - z3) * a), cb = fold((x3 + z3) * b);
    x3 = fold((da + cb) ** 2n);
    z3 = fold(x1 * fold((da - cb) ** 2n));
    x2 = fold(aa * bb);
    z2 = fold(e * fold(aa + A24 * e));
  }
  const d = swap * (x2 - x3);
  x2 -= d;
  const z = mod(z2 - swap * (z2 - z3));
  let r = mod(mod(x2) * invert(z));
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, r >>= 8n) out[i] = Number(r & 255n);
  return out;
}

/** The public key of a 32-byte secret key: X25519(secret, 9). */
export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  const base = new Uint8Array(32);
  base.set(BASE);
  return x25519Raw(secretKey, base);
}
