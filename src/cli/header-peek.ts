// Looks at an encrypted input's header before decrypting it, to learn
// whether it is passphrase-encrypted (a scrypt stanza): only then is a
// passphrase needed, and only then is the user asked for one. This plays the
// part of Go age's lazy scrypt identity, which our decoders (given their
// identities up front) cannot have.
//
// Reads no further than the buffer that completes the header, so a real-time
// stream is not held up; what was read is handed back to be decoded.
// Malformed input throws the same errors the decoder would (the same
// HeaderReader and ArmorDecoder do the parsing).
import { ArmorDecoder, isArmorLeadByte } from "../format/armor.js";
import { HeaderReader } from "../format/header.js";
import type { Stanza } from "../format/stanza.js";

export interface Peeked {
  /** The buffers read so far, to be decoded first. */
  read: Uint8Array[];
  /** The header's stanzas, or null when the input ended first (the decoder will say how). */
  stanzas: readonly Stanza[] | null;
}

export async function peekHeader(input: AsyncIterator<Uint8Array>): Promise<Peeked> {
  const read: Uint8Array[] = [];
  const header = new HeaderReader();
  let armor: ArmorDecoder | null | undefined;
  for (;;) {
    const next = await input.next();
    if (next.done) return { read, stanzas: null };
    const blob = next.value;
    read.push(blob);
    if (blob.length === 0) continue;
    armor ??= isArmorLeadByte(blob[0]!) ? new ArmorDecoder() : null;
    header.push(armor ? armor.push(blob) : blob);
    if (header.header !== null) return { read, stanzas: header.header.stanzas };
  }
}

/** Whether the stanzas are a passphrase-encrypted file's: one scrypt stanza, alone (age v1). */
export function isPassphraseEncrypted(stanzas: readonly Stanza[]): boolean {
  return stanzas.length === 1 && stanzas[0]!.type === "scrypt";
}

/** Whether any stanza is scrypt (alone or not: a mixed header is the decoder's to reject). */
export function hasScrypt(stanzas: readonly Stanza[]): boolean {
  return stanzas.some((s) => s.type === "scrypt");
}
