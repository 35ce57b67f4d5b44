// What a recipient (encrypting side) and an identity (decrypting side) are:
// the age v1 "Recipient stanza" contract, independent of the stanza type.
import type { Stanza } from "../format/stanza.js";

/** Wraps a 16-byte file key into one or more stanzas. */
export interface Recipient {
  wrapFileKey(fileKey: Uint8Array): Stanza[];
}

/**
 * Unwraps the file key from a header's stanzas.
 * Returns null when none of the stanzas is for this identity (a wrong
 * passphrase or key is "not ours", not an error, so the next identity can be
 * tried); throws HeaderParseError when a stanza of its own type is malformed
 * or over a limit (e.g. a scrypt work factor above the maximum).
 */
export interface Identity {
  unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null;
}
