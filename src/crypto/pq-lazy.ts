// pq.ts as the ESM browser bundle has it (scripts/bundle-browser.mjs
// substitutes this module for every import of ./pq.js): the post-quantum and
// P-256 code is a file of its own (age-rt-pq.js), fetched the first time a
// post-quantum or tagged key or stanza needs it. Recipients and identities
// wait for it asynchronously (src/recipients/kems-access.ts).
import type { Kems } from "./pq.js";

let loaded: Kems | null = null;

export function pqKems(): Kems | null {
  return loaded;
}

export async function loadPqKems(): Promise<Kems> {
  loaded ??= await import("./pq-module.js");
  return loaded;
}
