// How keys.ts reaches the SSH code (ssh-stanza.ts). Node and bundlers get it
// with the rest of the library; the ESM browser bundle swaps this module for
// ssh-modules-lazy.ts, which fetches it as a file of its own on first use,
// so a page that never sees an SSH key never downloads it. Where it is still
// to be loaded, the result is a Promise (recipients and identities may
// answer asynchronously: API.md).
import * as ssh from "./ssh-stanza.js";

export function withSsh<T>(f: (m: typeof ssh) => T): T | Promise<T> {
  return f(ssh);
}

/** Loads the SSH code where it is loaded lazily (a no-op here). */
export async function loadSshModules(): Promise<void> {}
