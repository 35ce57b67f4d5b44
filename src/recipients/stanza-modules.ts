// How the recipient types reach their heavy halves: hybrid-stanza.ts
// (ML-KEM-768 + X25519), tag-stanza.ts (P-256) and ssh-stanza.ts (SSH keys).
// Node, bundlers and the IIFE script get them with the rest of the library;
// the ESM browser bundle swaps this module for src/lazy/stanza-modules.ts,
// which fetches each as a file of its own on first use, so a page
// decrypting X25519 or passphrase files never downloads them. Where a module
// is still to be loaded, the result is a Promise: API.md lets recipients and
// identities answer asynchronously.
import * as pq from "./hybrid-stanza.js";
import * as ssh from "./ssh-stanza.js";
import * as tag from "./tag-stanza.js";

const modules = { pq, tag, ssh };

/** `f(module)` (at once here; a Promise where the module is still to be fetched). */
export function withModule<K extends keyof typeof modules, R>(name: K, f: (m: (typeof modules)[K]) => R): R | Promise<R> {
  return f(modules[name]);
}

/** Loads a module where it is loaded lazily (a no-op here). */
export async function loadModule(_name: keyof typeof modules): Promise<void> {}
