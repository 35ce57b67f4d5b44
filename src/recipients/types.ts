// What a recipient (encrypting side) and an identity (decrypting side) are:
// the age v1 "Recipient stanza" contract, independent of the stanza type.
import { UsageError } from "../errors.js";
import type { Stanza } from "../format/stanza.js";

/** Wraps a 16-byte file key into one or more stanzas. */
export interface Recipient {
  wrapFileKey(fileKey: Uint8Array): Stanza[] | Promise<Stanza[]>;
}

/**
 * Unwraps the file key from a header's stanzas.
 * Returns null when none of the stanzas is for this identity (a wrong
 * passphrase or key is "not ours", not an error, so the next identity can be
 * tried); throws HeaderParseError when a stanza of its own type is malformed
 * or over a limit (e.g. a scrypt work factor above the maximum).
 */
export interface Identity {
  unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null | Promise<Uint8Array | null>;
}

/**
 * The value of a recipient or identity call on a synchronous path: a Promise
 * (an asynchronous one, e.g. WebCrypto RSA or a plugin) is refused with a
 * UsageError naming the asynchronous alternatives.
 */
export function syncResult<T>(value: T | Promise<T>, what: string): T {
  if (value instanceof Promise) {
    value.catch(() => undefined); // refused: its outcome must not surface as an unhandled rejection
    throw new UsageError(`${what} is asynchronous: use an asynchronous path (aiterDecodeChunks, decryptStream, age-rt/node) or a synchronous backend`);
  }
  return value;
}
