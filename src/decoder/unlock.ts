// The file key of a parsed header (age v1 "Header"): the first identity that
// unwraps a stanza, then the header MAC. Used by the push decoders.
//
// Identities may be asynchronous (API.md "Recipients and identities"): the
// identities are tried in order, synchronously for as long as each answers
// synchronously, and the result is a Promise only from the first identity
// that returns one.
import { constantTimeEqual, headerMac } from "../crypto/kdf.js";
import { HeaderMacError, NoIdentityMatchError } from "../errors.js";
import type { Header } from "../format/header.js";
import { isThenable, type Identity } from "../recipients/types.js";

/** The 16-byte file key; throws (or rejects with) NoIdentityMatchError or HeaderMacError. */
export function unlockFileKey(header: Header, identities: readonly Identity[]): Uint8Array | Promise<Uint8Array> {
  return tryFrom(header, identities, 0);
}

function tryFrom(header: Header, identities: readonly Identity[], first: number): Uint8Array | Promise<Uint8Array> {
  for (let i = first; i < identities.length; i++) {
    const result = identities[i]!.unwrapFileKey(header.stanzas);
    if (isThenable(result)) {
      return Promise.resolve(result).then((fileKey) => (fileKey === null ? tryFrom(header, identities, i + 1) : checkMac(header, fileKey)));
    }
    if (result !== null) return checkMac(header, result);
  }
  const types = [...new Set(header.stanzas.map((s) => s.type))].join(", ");
  throw new NoIdentityMatchError(`no identity or passphrase matched the header's stanzas (${types})`);
}

function checkMac(header: Header, fileKey: Uint8Array): Uint8Array {
  const mac = headerMac(fileKey, header.macInput);
  if (!constantTimeEqual(mac, header.mac)) {
    fileKey.fill(0);
    throw new HeaderMacError("header MAC does not verify: the header was modified");
  }
  return fileKey;
}
