// What a recipient (encrypting side) and an identity (decrypting side) are:
// the age v1 "Recipient stanza" contract, independent of the stanza type.
// These are the public interfaces of API.md (typage's names and shapes, with
// `type` split from `args`): users implement them for plugins, hardware and
// WebCrypto keys, or schemes of their own. Either side may be asynchronous.
import type { Stanza } from "../format/stanza.js";

/** Wraps a 16-byte file key into one or more stanzas. */
export interface Recipient {
  wrapFileKey(fileKey: Uint8Array): Stanza[] | Promise<Stanza[]>;
}

/**
 * Unwraps the file key from a header's stanzas.
 * Returns null when none of the stanzas is for this identity (a wrong
 * passphrase or key is "not ours", not an error, so the next identity can be
 * tried); throws (HeaderParseError for ours) when a stanza of its own type is
 * malformed or over a limit (e.g. a scrypt work factor above the maximum).
 */
export interface Identity {
  unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null | Promise<Uint8Array | null>;
}

/** Whether `value` is a Promise or another thenable (a Promise from another realm). */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

/**
 * Recipients whose stanzas must not share a header with classic ones (Go
 * age's "postquantum" label): a file to both is only as strong as the
 * classic key. Recipients without the property count as classic.
 */
export function isPostQuantum(r: Recipient): boolean {
  return (r as { postQuantum?: unknown }).postQuantum === true;
}
