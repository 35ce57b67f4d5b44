// crypto/x25519-ladder.ts as the commands see it (scripts/bundle.mjs
// substitutes it in the CLI build): RFC 7748's X25519 by Node's OpenSSL
// instead of the BigInt ladder. OpenSSL's is constant time, which BigInt
// arithmetic does not promise, and takes microseconds where the ladder takes
// ~0.8 ms, twice in every X25519 unlock and once per recipient. The raw keys
// go in as PKCS#8 and SPKI (RFC 8410: the curve's OID and the 32 bytes);
// OpenSSL clamps the scalar, ignores u's top bit and reduces a non-canonical
// u as RFC 7748 §5 says, and refuses an all-zero result, which is returned
// here as the ladder returns it (crypto/x25519.ts refuses it).
// tests/x25519-ladder.test.ts runs the ladder's tests on it too.
import { createPrivateKey, createPublicKey, diffieHellman, type KeyObject } from "node:crypto";

const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");

function checked(bytes: Uint8Array, what: string): void {
  if (bytes.length !== 32) throw new RangeError(`X25519: ${what} must be 32 bytes`);
}

/** The scalar as an OpenSSL key; the DER copy of it is wiped. */
function privateKey(scalar: Uint8Array): KeyObject {
  checked(scalar, "scalar and point");
  const der = Buffer.concat([PKCS8_PREFIX, scalar]);
  try {
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } finally {
    der.fill(0);
  }
}

/** X25519(k, u) of RFC 7748 §5; all zero for a point of low order. */
export function x25519Raw(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  const key = privateKey(scalar);
  checked(u, "scalar and point");
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, u]), format: "der", type: "spki" });
  try {
    return new Uint8Array(diffieHellman({ privateKey: key, publicKey }));
  } catch (e) {
    // OpenSSL refuses the all-zero result of a low-order point; anything else is not that.
    if ((e as { code?: string }).code === "ERR_OSSL_FAILED_DURING_DERIVATION") return new Uint8Array(32);
    throw e;
  }
}

/** The public key of a 32-byte secret key: X25519(secret, 9). */
export function x25519PublicKey(secretKey: Uint8Array): Uint8Array {
  return new Uint8Array(createPublicKey(privateKey(secretKey)).export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length));
}
