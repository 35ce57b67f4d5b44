// recipients/stanza-modules.ts as the command-line tools have it
// (scripts/bundle.mjs substitutes this module for every import of it in the
// CLI build): the post-quantum, tagged and SSH stanza code are chunks of
// their own, imported the first time a key or stanza of their kind needs
// them, so an X25519 or passphrase run does not parse and initialise them
// at start-up. Where a module is still to be loaded the result is a Promise
// (API.md lets recipients and identities answer asynchronously); callers
// that need an answer at once (identityToRecipient) await loadModule first.
import type * as Pq from "../recipients/hybrid-stanza.js";
import type * as Ssh from "../recipients/ssh-stanza.js";
import type * as Tag from "../recipients/tag-stanza.js";

interface Modules {
  pq: typeof Pq;
  tag: typeof Tag;
  ssh: typeof Ssh;
}

const loaded: Partial<Modules> = {};

const importers: { [K in keyof Modules]: () => Promise<Modules[K]> } = {
  pq: () => import("../recipients/hybrid-stanza.js"),
  tag: () => import("../recipients/tag-stanza.js"),
  ssh: () => import("../recipients/ssh-stanza.js"),
};

/** `f(module)`: at once when it is loaded, else a Promise. */
export function withModule<K extends keyof Modules, R>(name: K, f: (m: Modules[K]) => R): R | Promise<R> {
  const m = loaded[name];
  return m !== undefined ? f(m) : loadModule(name).then(() => f(loaded[name]!));
}

/** Loads a module now. */
export async function loadModule(name: keyof Modules): Promise<void> {
  (loaded as Record<string, unknown>)[name] ??= await importers[name]();
}

/** Loads every module: for the tools that turn keys into recipients synchronously. */
export async function loadAllModules(): Promise<void> {
  await Promise.all((Object.keys(importers) as (keyof Modules)[]).map(loadModule));
}
