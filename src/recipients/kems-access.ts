// How recipients and identities reach the post-quantum and P-256 KEMs: at
// once where they are loaded (everywhere but the ESM browser bundle, which
// fetches them on first use: src/crypto/pq.ts), else through a Promise —
// API.md lets a recipient or identity be asynchronous.
import { loadPqKems, pqKems, type Kems } from "../crypto/pq.js";

/** `f(kems)`, synchronously when the KEMs are loaded, else as a Promise. */
export function withKems<T>(f: (k: Kems) => T): T | Promise<T> {
  const loaded = pqKems();
  return loaded !== null ? f(loaded) : loadPqKems().then(f);
}
