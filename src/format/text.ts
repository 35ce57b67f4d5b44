// Strings to bytes and back without TextEncoder/TextDecoder. The main entry
// needs nothing of the host but crypto.getRandomValues (src/index.ts), and
// embedded engines (QuickJS, Duktape, older Hermes) have no Encoding API.
// Everything age puts in a header is ASCII; passphrases are UTF-8.

/**
 * The UTF-8 bytes of `s`, exactly as TextEncoder.encode gives them
 * (WHATWG Encoding: a lone surrogate becomes U+FFFD, EF BF BD).
 */
export function utf8Encode(s: string): Uint8Array {
  // ASCII first (headers, labels, armor): one byte per code unit.
  const ascii = new Uint8Array(s.length);
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    ascii[i] = c;
  }
  if (i === s.length) return ascii;
  // A UTF-16 code unit takes at most 3 bytes (a surrogate pair: 4 for 2 units).
  const out = new Uint8Array(i + (s.length - i) * 3);
  out.set(ascii.subarray(0, i));
  let o = i;
  for (; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
    } else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          out[o++] = 0xf0 | (c >> 18);
          out[o++] = 0x80 | ((c >> 12) & 0x3f);
          out[o++] = 0x80 | ((c >> 6) & 0x3f);
          out[o++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd; // unpaired surrogate
      }
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 0x3f);
      out[o++] = 0x80 | (c & 0x3f);
    }
  }
  const result = out.slice(0, o);
  out.fill(0); // may hold a passphrase
  ascii.fill(0);
  return result;
}

/** Bytes known to be ASCII (checked by the caller, or base64 output) as a string. */
export function asciiDecode(bytes: Uint8Array): string {
  // fromCharCode over slices: one call per byte is slow, one call for
  // everything overflows the argument limit of some engines.
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}
