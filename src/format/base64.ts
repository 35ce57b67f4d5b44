// Base64 (RFC 4648 §4, standard alphabet) as age uses it: the header's stanza
// bodies and arguments are canonical *unpadded* base64 (age v1 "Header";
// non-canonical encodings are rejected so a header has one encoding only),
// and ASCII armor is canonical *padded* base64.

import { asciiDecode, utf8Encode } from "./text.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

const ALPHABET_BYTES = utf8Encode(ALPHABET);

/** Encodes bytes; `pad` adds "=" to a multiple of 4 characters. */
export function encodeBase64(bytes: Uint8Array, pad = false): string {
  // Into a byte buffer, then one decode: string concatenation per quartet is
  // quadratic-ish in some engines and slow for armoring large files.
  const full = Math.floor(bytes.length / 3) * 3;
  const rest = bytes.length - full;
  const out = new Uint8Array((full / 3) * 4 + (rest === 0 ? 0 : pad ? 4 : rest + 1));
  let o = 0;
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ALPHABET_BYTES[n >>> 18]!;
    out[o++] = ALPHABET_BYTES[(n >>> 12) & 63]!;
    out[o++] = ALPHABET_BYTES[(n >>> 6) & 63]!;
    out[o++] = ALPHABET_BYTES[n & 63]!;
  }
  if (rest > 0) {
    const n = (bytes[full]! << 16) | (rest === 2 ? bytes[full + 1]! << 8 : 0);
    out[o++] = ALPHABET_BYTES[n >>> 18]!;
    out[o++] = ALPHABET_BYTES[(n >>> 12) & 63]!;
    if (rest === 2) out[o++] = ALPHABET_BYTES[(n >>> 6) & 63]!;
    while (o < out.length) out[o++] = 0x3d; // "="
  }
  return asciiDecode(out);
}

/**
 * Decodes canonical base64, or returns null: a character outside the
 * alphabet, a length no encoder produces, padding where it is not expected
 * (`pad` false) or missing (`pad` true), or non-zero unused trailing bits.
 */
export function decodeBase64(text: string, pad = false): Uint8Array | null {
  let len = text.length;
  if (pad) {
    if (len % 4 !== 0) return null;
    if (text.endsWith("==")) len -= 2;
    else if (text.endsWith("=")) len -= 1;
  }
  if (len % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    const v = c < 256 ? DECODE[c]! : -1;
    if (v < 0) return null; // includes a stray "=" inside the text
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return null; // non-canonical: leftover bits must be zero
  return out;
}
