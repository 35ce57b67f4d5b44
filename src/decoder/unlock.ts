// The file key of a parsed header (age v1 "Header"): the first identity that
// unwraps a stanza, then the header MAC. Shared by the push decoders and the
// CLI's parallel file decryption (src/cli/parallel-decrypt.ts).
import { constantTimeEqual, headerMac } from "../crypto/kdf.js";
import { HeaderMacError, NoIdentityMatchError } from "../errors.js";
import type { Header } from "../format/header.js";
import { syncResult, type Identity } from "../recipients/types.js";

/** The 16-byte file key; throws NoIdentityMatchError or HeaderMacError. */
export function unlockFileKey(header: Header, identities: readonly Identity[]): Uint8Array {
  let fileKey: Uint8Array | null = null;
  for (const identity of identities) {
    fileKey = syncResult(identity.unwrapFileKey(header.stanzas), "an identity");
    if (fileKey !== null) break;
  }
  if (fileKey === null) {
    const types = [...new Set(header.stanzas.map((s) => s.type))].join(", ");
    throw new NoIdentityMatchError(`no identity or passphrase matched the header's stanzas (${types})`);
  }
  const mac = headerMac(fileKey, header.macInput);
  if (!constantTimeEqual(mac, header.mac)) {
    fileKey.fill(0);
    throw new HeaderMacError("header MAC does not verify: the header was modified");
  }
  return fileKey;
}
