// Bech32 (BIP-173, checksum constant 1 — not the BIP-350 "bech32m" variant) as
// age uses it for keys (age v1 "The X25519 recipient type"): HRP "age" for
// recipients (age1…, lowercase) and "AGE-SECRET-KEY-" for identities
// (AGE-SECRET-KEY-1…, uppercase).
//
// Differences from BIP-173, as in age: no 90-character limit (age's
// post-quantum recipients are ~2000 characters), only a sane bound against
// absurd inputs; and the byte-level helpers require strict padding
// (fewer than 5 leftover bits, all zero) so every key has one encoding.
//
// Errors are thrown, not returned: a `Bech32Error` (a UsageError, since these
// strings are always user-supplied keys) whose message names the problem and a
// position but never echoes the input — it may be a secret key.
import { UsageError } from "../errors.js";

/** A malformed Bech32 string. The message never contains the input. */
export class Bech32Error extends UsageError {
  override name = "Bech32Error"; // spelled out: minifiers rename classes
}

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const CHARSET_REV = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) CHARSET_REV[CHARSET.charCodeAt(i)] = i;

// BCH generator of BIP-173; the checksum of a valid string is constant 1.
const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const CHECKSUM_CONST = 1;
const CHECKSUM_LEN = 6;

/** Default bound on the length of a string `decode` accepts. */
export const DEFAULT_MAX_LENGTH = 4096;

function polymodStep(chk: number, value: number): number {
  const top = chk >>> 25;
  chk = ((chk & 0x1ffffff) << 5) ^ value;
  for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i]!;
  return chk;
}

/** Checksum state after the expanded HRP (high bits, 0, low bits); `hrp` lowercase. */
function hrpChecksum(hrp: string): number {
  let chk = 1;
  for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk, hrp.charCodeAt(i) >>> 5);
  chk = polymodStep(chk, 0);
  for (let i = 0; i < hrp.length; i++) chk = polymodStep(chk, hrp.charCodeAt(i) & 31);
  return chk;
}

function checkHrp(hrp: string): void {
  if (hrp.length === 0) throw new Bech32Error("Bech32: empty human-readable part");
  for (let i = 0; i < hrp.length; i++) {
    const c = hrp.charCodeAt(i);
    if (c < 33 || c > 126) throw new Bech32Error(`Bech32: invalid character in human-readable part at position ${i}`);
  }
}

/**
 * Encodes 5-bit words under `hrp`. The output is lowercase, or uppercase when
 * `hrp` is all uppercase (as age writes identities); a mixed-case `hrp` throws.
 */
export function encodeWords(hrp: string, words: ArrayLike<number>): string {
  checkHrp(hrp);
  const lower = hrp.toLowerCase();
  const upper = hrp.toUpperCase();
  if (hrp !== lower && hrp !== upper) throw new Bech32Error("Bech32: mixed-case human-readable part");
  let chk = hrpChecksum(lower);
  let out = lower + "1";
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!Number.isInteger(w) || w < 0 || w > 31) throw new Bech32Error(`Bech32: word ${i} is not a 5-bit value`);
    chk = polymodStep(chk, w);
    out += CHARSET[w];
  }
  for (let i = 0; i < CHECKSUM_LEN; i++) chk = polymodStep(chk, 0);
  chk ^= CHECKSUM_CONST;
  for (let i = 0; i < CHECKSUM_LEN; i++) out += CHARSET[(chk >>> (5 * (CHECKSUM_LEN - 1 - i))) & 31];
  // lower !== upper guards HRPs without letters (e.g. "?"), which stay lowercase.
  return hrp === upper && lower !== upper ? out.toUpperCase() : out;
}

export interface Bech32Words {
  /** The human-readable part, lowercased. */
  hrp: string;
  /** The data part as 5-bit words, without the checksum. */
  words: Uint8Array;
  /** Whether the string was written in uppercase. */
  uppercase: boolean;
}

/**
 * Decodes a Bech32 string into its HRP and 5-bit words. Accepts all-lowercase
 * or all-uppercase input; throws Bech32Error on mixed case, a character
 * outside US-ASCII 33..126, a missing separator, an empty HRP, a data
 * character outside the Bech32 alphabet, a short or wrong checksum, or a
 * string longer than `maxLength`.
 */
export function decodeWords(s: string, maxLength = DEFAULT_MAX_LENGTH): Bech32Words {
  if (s.length > maxLength) throw new Bech32Error(`Bech32: string too long (${s.length} characters, maximum ${maxLength})`);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) throw new Bech32Error(`Bech32: invalid character at position ${i}`);
  }
  const lower = s.toLowerCase();
  const uppercase = s === s.toUpperCase() && s !== lower;
  if (s !== lower && !uppercase) throw new Bech32Error("Bech32: mixed case");
  const sep = lower.lastIndexOf("1");
  if (sep < 0) throw new Bech32Error("Bech32: missing separator '1'");
  if (sep === 0) throw new Bech32Error("Bech32: empty human-readable part");
  if (lower.length - sep - 1 < CHECKSUM_LEN) throw new Bech32Error("Bech32: checksum too short");
  const hrp = lower.slice(0, sep);
  let chk = hrpChecksum(hrp);
  const words = new Uint8Array(lower.length - sep - 1 - CHECKSUM_LEN);
  for (let i = sep + 1; i < lower.length; i++) {
    const v = CHARSET_REV[lower.charCodeAt(i)]!; // char codes are < 127 (checked above)
    if (v < 0) throw new Bech32Error(`Bech32: invalid data character at position ${i}`);
    chk = polymodStep(chk, v);
    const w = i - sep - 1;
    if (w < words.length) words[w] = v;
  }
  if (chk !== CHECKSUM_CONST) throw new Bech32Error("Bech32: invalid checksum");
  return { hrp, words, uppercase };
}

/** 8-bit bytes to 5-bit words, zero-padding the last word. */
export function toWords(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((bytes.length * 8) / 5));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out[o++] = (acc >>> bits) & 31;
    }
  }
  if (bits > 0) out[o++] = (acc << (5 - bits)) & 31;
  return out;
}

/**
 * 5-bit words to 8-bit bytes. Strict: the padding must be shorter than 5
 * bits and all zero (BIP-173 "convertbits" without padding), else throws.
 */
export function fromWords(words: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.floor((words.length * 5) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < words.length; i++) {
    acc = ((acc << 5) | words[i]!) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if (bits >= 5) throw new Bech32Error("Bech32: invalid padding (a whole unused 5-bit group)");
  if ((acc & ((1 << bits) - 1)) !== 0) throw new Bech32Error("Bech32: invalid padding (non-zero unused bits)");
  return out;
}

/** Encodes bytes under `hrp`; the case of `hrp` selects the case of the output. */
export function encode(hrp: string, bytes: Uint8Array): string {
  return encodeWords(hrp, toWords(bytes));
}

export interface Bech32Bytes {
  /** The human-readable part, lowercased. */
  hrp: string;
  data: Uint8Array;
  /** Whether the string was written in uppercase. */
  uppercase: boolean;
}

/** Decodes a Bech32 string carrying bytes (strict padding). Throws Bech32Error. */
export function decode(s: string, maxLength = DEFAULT_MAX_LENGTH): Bech32Bytes {
  const { hrp, words, uppercase } = decodeWords(s, maxLength);
  return { hrp, data: fromWords(words), uppercase };
}
