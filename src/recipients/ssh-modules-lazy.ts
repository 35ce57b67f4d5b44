// ssh-modules.ts as the ESM browser bundle has it (scripts/bundle-browser.mjs
// substitutes this module for every import of ./ssh-modules.js): the SSH code
// is a file of its own (age-rt-ssh.js), fetched the first time an SSH key
// needs it.
import type * as Ssh from "./ssh-stanza.js";

let ssh: typeof Ssh | null = null;

export function withSsh<T>(f: (m: typeof Ssh) => T): T | Promise<T> {
  if (ssh !== null) return f(ssh);
  return import("./ssh-stanza.js").then((m) => f((ssh = m)));
}

/** Fetches the SSH code (ready({ ssh: true }), for identityToRecipient of an OpenSSH key). */
export async function loadSshModules(): Promise<void> {
  ssh ??= await import("./ssh-stanza.js");
}
