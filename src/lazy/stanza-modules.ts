// recipients/stanza-modules.ts as the ESM browser bundle has it
// (scripts/bundle-browser.mjs substitutes this module for every import of
// it): the post-quantum, tagged and SSH stanza code are files of their own
// (age-rt-pq.js, age-rt-tag.js, age-rt-ssh.js), fetched the first time a key
// or stanza of their kind needs them, or imported statically (registry.ts).
import { loadLazy, withLazy } from "./registry.js";

export { withLazy as withModule };

/** Fetches a file now (ready({ postQuantum: true }) / ready({ ssh: true }), for identityToRecipient). */
export async function loadModule(name: "pq" | "tag" | "ssh"): Promise<void> {
  await loadLazy(name);
}
