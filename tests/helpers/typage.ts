// Adapters between our Recipient/Identity and typage's (npm age-encryption),
// so typage can build and check whole age files around our stanzas: an
// interoperability test of wrap/unwrap without our own header code.
// typage's Stanza keeps the type as args[0]; ours keeps it apart.
import { Stanza as TypageStanza, type Identity as TypageIdentity, type Recipient as TypageRecipient } from "age-encryption";
import type { Stanza } from "../../src/format/stanza.js";
import type { Identity, Recipient } from "../../src/recipients/types.js";

export function toTypageRecipient(r: Recipient): TypageRecipient {
  return { wrapFileKey: async (fileKey) => (await r.wrapFileKey(fileKey)).map((s) => new TypageStanza([s.type, ...s.args], s.body)) };
}

export function fromTypageStanzas(stanzas: readonly TypageStanza[]): Stanza[] {
  return stanzas.map((s) => ({ type: s.args[0] ?? "", args: s.args.slice(1), body: s.body }));
}

/** Also records what our identity saw, for assertions. */
export function toTypageIdentity(id: Identity, seen: Stanza[][] = []): TypageIdentity {
  return {
    unwrapFileKey: (stanzas) => {
      const ours = fromTypageStanzas(stanzas);
      seen.push(ours);
      return id.unwrapFileKey(ours);
    },
  };
}
