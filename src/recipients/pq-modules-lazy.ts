// pq-modules.ts as the ESM browser bundle has it (scripts/bundle-browser.mjs
// substitutes this module for every import of ./pq-modules.js): each heavy
// half is a file of its own (age-rt-pq.js, age-rt-tag.js), fetched the first
// time a key or stanza of its kind needs it.
import type * as Hybrid from "./hybrid-stanza.js";
import type * as Tags from "./tag-stanza.js";

let hybrid: typeof Hybrid | null = null;
let tags: typeof Tags | null = null;

export function withHybrid<T>(f: (m: typeof Hybrid) => T): T | Promise<T> {
  if (hybrid !== null) return f(hybrid);
  return import("./hybrid-stanza.js").then((m) => f((hybrid = m)));
}

export function withTags<T>(f: (m: typeof Tags) => T): T | Promise<T> {
  if (tags !== null) return f(tags);
  return import("./tag-stanza.js").then((m) => f((tags = m)));
}

/** Fetches the post-quantum half (ready({ postQuantum: true }), for identityToRecipient). */
export async function loadPqModules(): Promise<void> {
  hybrid ??= await import("./hybrid-stanza.js");
}
