// How the recipient types reach their heavy halves: hybrid-stanza.ts
// (ML-KEM-768 + X25519) and tag-stanza.ts (P-256). Node and bundlers get
// them with the rest of the library; the ESM browser bundle swaps this module
// for pq-modules-lazy.ts, which fetches each as a file of its own on first
// use, so a page decrypting X25519 or passphrase files never downloads them.
// Where a module is still to be loaded, the result is a Promise: API.md lets
// recipients and identities answer asynchronously.
import * as hybrid from "./hybrid-stanza.js";
import * as tags from "./tag-stanza.js";

export function withHybrid<T>(f: (m: typeof hybrid) => T): T | Promise<T> {
  return f(hybrid);
}

export function withTags<T>(f: (m: typeof tags) => T): T | Promise<T> {
  return f(tags);
}

/** Loads the post-quantum half where it is loaded lazily (a no-op here). */
export async function loadPqModules(): Promise<void> {}
