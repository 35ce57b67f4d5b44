// Access to the post-quantum and P-256 code (src/crypto/pq-module.ts). Node
// and bundlers get it with the rest of the library; the ESM browser bundle
// swaps this module for pq-lazy.ts, which fetches it on first use, so that a
// page decrypting X25519 or passphrase files never downloads ML-KEM.
import * as pq from "./pq-module.js";

export type Kems = typeof pq;

/** The module, or null while it is not loaded (only in the browser bundle). */
export function pqKems(): Kems | null {
  return pq;
}

/** Loads the module where it is not loaded yet (a no-op here). */
export async function loadPqKems(): Promise<Kems> {
  return pq;
}
