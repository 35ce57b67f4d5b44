// ASCII armor (age v1 "ASCII armor"): strict PEM (RFC 7468 §3, Figure 3)
// with the case-sensitive label "AGE ENCRYPTED FILE", canonical padded base64
// in 64-column lines, no headers. Armor is malleable unless parsed strictly,
// so the decoder rejects everything but the one canonical encoding, with two
// tolerances the spec allows: whitespace before the begin line and after the
// end line, and CRLF instead of LF (consistently: the begin line's ending
// sets the style for every line up to the end line).
//
// The decoder is a byte-at-a-time state machine holding at most one line, so
// a stream is de-armored in constant memory; `armor.decode` runs the same
// machine over a whole text.
import { ArmorError, UsageError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "./base64.js";
import { utf8Encode } from "./text.js";

export const BEGIN_LINE = "-----BEGIN AGE ENCRYPTED FILE-----";
export const END_LINE = "-----END AGE ENCRYPTED FILE-----";
const COLUMNS = 64;
const BYTES_PER_LINE = 48; // 64 base64 columns

const BEGIN = utf8Encode(BEGIN_LINE);
const END = utf8Encode(END_LINE);
const EMPTY = new Uint8Array(0);
const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;

/** ASCII whitespace as the armor tolerates it outside the PEM block. */
function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d); // SP, HT, LF, VT, FF, CR
}

// Base64 alphabet values, -1 elsewhere; "=" is allowed in a line (SIXBIT -2)
// but only decodeBase64 judges where.
const SIXBIT = new Int8Array(256).fill(-1);
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".split("").forEach((c, i) => (SIXBIT[c.charCodeAt(0)] = i));
SIXBIT[0x3d] = -2;

function isBase64Char(b: number): boolean {
  return SIXBIT[b]! !== -1;
}

/**
 * Whether input starting with byte `b` can only be armor: whitespace or "-".
 * A binary age or age-rt file starts with its version line (a letter), so
 * the first byte is enough to choose between the two decoders.
 */
export function isArmorLeadByte(b: number): boolean {
  return isSpace(b) || b === DASH;
}

/** Whether `bytes` begins with optional whitespace and then the full begin line marker. */
export function isArmorStart(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length && isSpace(bytes[i]!)) i++;
  if (bytes.length - i < BEGIN.length) return false;
  for (let j = 0; j < BEGIN.length; j++) if (bytes[i + j] !== BEGIN[j]) return false;
  return true;
}

/**
 * Streaming armor encoder: `push` returns the complete lines so far
 * (begin line first), `finish` the last partial line and the end line.
 * LF line endings; the output of push(a)+push(b)+finish() equals encode(a‖b).
 */
export class ArmorEncoder {
  #started = false;
  #finished = false;
  readonly #pending = new Uint8Array(BYTES_PER_LINE);
  #pendingLen = 0;

  push(bytes: Uint8Array): string {
    if (this.#finished) throw new UsageError("ArmorEncoder: push() after finish()");
    let out = this.#begin();
    let i = 0;
    if (this.#pendingLen > 0) {
      i = Math.min(bytes.length, BYTES_PER_LINE - this.#pendingLen);
      this.#pending.set(bytes.subarray(0, i), this.#pendingLen);
      this.#pendingLen += i;
      if (this.#pendingLen < BYTES_PER_LINE) return out;
      out += encodeBase64(this.#pending, true) + "\n";
      this.#pendingLen = 0;
    }
    const parts: string[] = [out];
    for (; i + BYTES_PER_LINE <= bytes.length; i += BYTES_PER_LINE) {
      parts.push(encodeBase64(bytes.subarray(i, i + BYTES_PER_LINE), true), "\n");
    }
    this.#pending.set(bytes.subarray(i), 0);
    this.#pendingLen = bytes.length - i;
    return parts.join("");
  }

  finish(): string {
    if (this.#finished) throw new UsageError("ArmorEncoder: finish() called twice");
    let out = this.#begin();
    this.#finished = true;
    if (this.#pendingLen > 0) out += encodeBase64(this.#pending.subarray(0, this.#pendingLen), true) + "\n";
    this.#pending.fill(0);
    return out + END_LINE + "\n";
  }

  #begin(): string {
    if (this.#started) return "";
    this.#started = true;
    return BEGIN_LINE + "\n";
  }
}

// Decoder states.
const LEADING = 0; // whitespace before the begin line
const IN_BEGIN = 1; // matching the begin line
const BEGIN_EOL = 2; // after the begin line: LF or CR LF, which sets the style
const EXPECT_LF = 3; // after a CR, in CRLF style
const LINE_START = 4; // first byte of a line: data, or "-" of the end line
const IN_DATA = 5; // inside a base64 line
const IN_END = 6; // matching the end line
const TRAILING = 7; // after the end line: whitespace only

/**
 * Streaming armor decoder. `push` returns the binary decoded from the lines
 * completed so far (possibly empty); `finish` throws ArmorError unless the end
 * line was seen and nothing but whitespace followed. Errors are sticky: after
 * the first, every call throws the same ArmorError.
 */
export class ArmorDecoder {
  #state = LEADING;
  #match = 0; // bytes of BEGIN or END matched
  #crlf = false;
  readonly #line = new Uint8Array(COLUMNS);
  #lineLen = 0;
  #released = 0; // characters of the current line already decoded (whole "="-free quartets)
  #lastLine = false; // the previous line was short or padded: only the end line may follow
  #lineNo = 1;
  #col = 0; // 1-based column of the byte being processed
  #error: ArmorError | null = null;
  #finished = false;

  /** True once the end line has been read. */
  get ended(): boolean {
    return this.#state === TRAILING;
  }

  /**
   * True while inside a data line: bytes released from it came before the
   * line was judged whole (its length, padding, line ending).
   */
  get inLine(): boolean {
    return this.#state === IN_DATA;
  }

  /**
   * A lower bound on the characters still to come, in a valid armor, before
   * `bytes` more bytes can be decoded — or, with `bytes` 0, before the end
   * line is complete (0 once it is). A reader that asks for no more never
   * reads past the end line. Bytes come in whole quartets (4 characters for
   * up to 3 bytes), and the quartet begun in the current line counts; the
   * begin line and line breaks are left out (a lower bound needs no more).
   */
  charsWanted(bytes: number): number {
    if (this.#state === TRAILING) return 0;
    if (this.#state === IN_END) return END.length - this.#match;
    if (bytes === 0 || this.#lastLine) return END.length; // after a short line only the end line may follow
    return Math.max(1, 4 * Math.ceil(bytes / 3) - (this.#state === IN_DATA ? this.#lineLen - this.#released : 0));
  }

  push(bytes: Uint8Array): Uint8Array {
    if (this.#error) throw this.#error;
    if (this.#finished) throw new UsageError("ArmorDecoder: push() after finish()");
    // Allocated when a line completes (callers may push one byte at a time).
    // The lines completed here hold at most the ≤ 64 characters carried over
    // from the previous push plus these bytes; base64 yields 3 bytes per 4.
    let out: Uint8Array | null = null;
    let n = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      this.#col++;
      switch (this.#state) {
        case LEADING:
          if (isSpace(b)) {
            if (b === LF) this.#newline();
            break;
          }
          this.#state = IN_BEGIN;
          this.#reprocess();
          i--;
          break;
        case IN_BEGIN:
          if (b !== BEGIN[this.#match]) this.#fail(`expected the begin line "${BEGIN_LINE}"`);
          if (++this.#match === BEGIN.length) this.#state = BEGIN_EOL;
          break;
        case BEGIN_EOL:
          if (b === LF) {
            this.#newline();
            this.#state = LINE_START;
          } else if (b === CR) {
            this.#crlf = true;
            this.#state = EXPECT_LF;
          } else this.#fail("unexpected character after the begin line");
          break;
        case EXPECT_LF:
          if (b !== LF) this.#fail("CR not followed by LF");
          this.#newline();
          this.#state = LINE_START;
          break;
        case LINE_START:
          if (b === DASH) {
            this.#state = IN_END;
            this.#match = 1;
            break;
          }
          if (b === LF || b === CR) this.#fail("empty line");
          if (this.#lastLine) this.#fail("data after a short or padded line, which must be the last before the end line");
          this.#state = IN_DATA;
          this.#lineLen = 0;
          this.#released = 0;
          this.#reprocess();
          i--;
          break;
        case IN_DATA:
          if (b === LF || b === CR) {
            if ((b === CR) !== this.#crlf) this.#fail(this.#crlf ? "LF line ending in a file using CRLF" : "CR in a file using LF line endings");
            out ??= new Uint8Array(Math.floor(((bytes.length + COLUMNS) * 3) / 4));
            n += this.#decodeRest(out, n);
            if (b === LF) this.#newline();
            this.#state = b === LF ? LINE_START : EXPECT_LF;
            break;
          }
          if (!isBase64Char(b)) this.#fail("invalid character (not base64)");
          if (this.#lineLen === COLUMNS) this.#fail(`line longer than ${COLUMNS} columns`);
          this.#line[this.#lineLen++] = b;
          // Fast path: take the rest of the line's characters without the switch.
          while (this.#lineLen < COLUMNS && i + 1 < bytes.length && SIXBIT[bytes[i + 1]!]! >= 0) {
            this.#line[this.#lineLen++] = bytes[++i]!;
            this.#col++;
          }
          // Release every whole quartet without "=" at once, so that output
          // follows input closely (a push decoder fed one character at a
          // time gets at most 3 bytes per character); padding and the line's
          // shape are judged when the line ends.
          if (this.#lineLen - this.#released >= 4) {
            out ??= new Uint8Array(Math.floor(((bytes.length + COLUMNS) * 3) / 4));
            n += this.#decodeQuartets(out, n);
          }
          break;
        case IN_END:
          if (b !== END[this.#match]) this.#fail(`expected the end line "${END_LINE}"`);
          if (++this.#match === END.length) this.#state = TRAILING;
          break;
        case TRAILING:
          if (!isSpace(b)) this.#fail("unexpected data after the end line");
          if (b === LF) this.#newline();
          break;
      }
    }
    if (out === null) return EMPTY;
    return n === out.length ? out : out.slice(0, n);
  }

  /** Checks the input ended after the end line (and optional whitespace). */
  finish(): void {
    if (this.#error) throw this.#error;
    if (this.#finished) return;
    this.#col++;
    if (this.#state === LEADING) this.#fail("no begin line (empty input)");
    if (this.#state === IN_BEGIN) this.#fail("truncated begin line");
    if (this.#state === IN_END) this.#fail("truncated end line");
    if (this.#state !== TRAILING) this.#fail("missing end line");
    this.#finished = true;
  }

  /** The byte at hand will be read again in the new state. */
  #reprocess(): void {
    this.#col--;
  }

  #newline(): void {
    this.#lineNo++;
    this.#col = 0;
  }

  /** Decodes the line's whole "="-free quartets not yet released into out[at…]; returns the byte count. */
  #decodeQuartets(out: Uint8Array, at: number): number {
    const l = this.#line;
    let o = at;
    while (this.#lineLen - this.#released >= 4) {
      const i = this.#released;
      const a = SIXBIT[l[i]!]!, b = SIXBIT[l[i + 1]!]!, c = SIXBIT[l[i + 2]!]!, d = SIXBIT[l[i + 3]!]!;
      if ((a | b | c | d) < 0) break; // holds "=": judged with the rest of the line
      const v = (a << 18) | (b << 12) | (c << 6) | d;
      out[o++] = v >>> 16;
      out[o++] = (v >>> 8) & 0xff;
      out[o++] = v & 0xff;
      this.#released += 4;
    }
    return o - at;
  }

  /** At the end of a line: checks its shape and decodes what was not released yet. */
  #decodeRest(out: Uint8Array, at: number): number {
    const len = this.#lineLen;
    let n = this.#decodeQuartets(out, at);
    if (len < COLUMNS || this.#released < len) {
      if (len % 4 !== 0) this.#fail(`last line has ${len} columns, not a multiple of 4 (missing padding?)`);
      if (this.#released < len) {
        // Released quartets held no "="; what is left must be one padded final quartet.
        const rest = decodeBase64(String.fromCharCode(...this.#line.subarray(this.#released, len)), true);
        if (rest === null || len - this.#released !== 4) this.#fail("invalid base64 (non-canonical, or padding before the end)");
        out.set(rest!, at + n);
        n += rest!.length;
      }
      this.#lastLine = true; // a short or padded line must be the last
    }
    return n;
  }


  #fail(message: string): never {
    this.#error = new ArmorError(`invalid armor: line ${this.#lineNo}, column ${this.#col}: ${message}`);
    throw this.#error;
  }
}

/** Armors a binary age file: padded base64 in 64-column lines, LF, trailing newline. */
function encode(file: Uint8Array): string {
  const enc = new ArmorEncoder();
  return enc.push(file) + enc.finish();
}

/** De-armors a whole armored file. Throws ArmorError on anything but a canonical encoding. */
function decode(text: string | Uint8Array): Uint8Array {
  // Non-ASCII characters become bytes ≥ 0x80, which the decoder rejects.
  const bytes = typeof text === "string" ? utf8Encode(text) : text;
  const dec = new ArmorDecoder();
  const out = dec.push(bytes);
  dec.finish();
  return out;
}

/** ASCII armor (C2SP age.md "ASCII armor") of whole files. */
export const armor = {
  /** Armors a binary age file: padded base64 in 64-column lines, LF, trailing newline. */
  encode,
  /** De-armors a whole armored file; throws ArmorError on anything but a canonical encoding. */
  decode,
};
