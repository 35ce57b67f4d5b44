// Stanzas one after another, as the age plugin protocol sends them (C2SP
// age-plugin "IPC protocol": stanzas serialized exactly as in the age v1
// header, with no version line and no MAC line). Bytes are pushed as they
// arrive; complete stanzas come out. Strict like the header parser
// (printable ASCII, single spaces, 64-column canonical base64 bodies) and
// bounded: a line or a body over its limit is an error before it is buffered.
import { HeaderParseError } from "../errors.js";
import { decodeBase64 } from "./base64.js";
import type { Stanza } from "./stanza.js";

const LF = 0x0a;
const BODY_COLUMNS = 64;
/** Longest first line ("-> TYPE ARGS…"). */
export const MAX_STANZA_LINE = 16 * 1024;
/** Largest body, decoded (plugin stanzas carry file keys, wrapped keys, messages). */
export const MAX_STANZA_BODY = 1 << 20;

export class StanzaReader {
  #line: number[] = [];
  #args: string[] | null = null;
  #body: string[] = [];
  #bodyChars = 0;
  #lines = 0;

  /** The stanzas completed by `data`. Throws HeaderParseError on malformed input. */
  push(data: Uint8Array): Stanza[] {
    const out: Stanza[] = [];
    for (const b of data) {
      if (b !== LF) {
        if (b < 0x20 || b > 0x7e) throw new HeaderParseError(`line ${this.#lines + 1}: invalid byte 0x${b.toString(16).padStart(2, "0")}`);
        const limit = this.#args === null ? MAX_STANZA_LINE : BODY_COLUMNS;
        if (this.#line.length >= limit) throw new HeaderParseError(`line ${this.#lines + 1}: longer than ${limit} characters`);
        this.#line.push(b);
        continue;
      }
      const text = String.fromCharCode(...this.#line);
      this.#line = [];
      this.#lines++;
      const s = this.#args === null ? this.#start(text) : this.#bodyLine(text);
      if (s !== null) out.push(s);
    }
    return out;
  }

  /** Whether the input so far ends between stanzas. */
  get atBoundary(): boolean {
    return this.#line.length === 0 && this.#args === null;
  }

  #start(text: string): null {
    if (!text.startsWith("-> ")) throw new HeaderParseError(`line ${this.#lines}: expected a stanza ("-> ")`);
    const args = text.slice(3).split(" ");
    if (args.some((a) => a.length === 0)) throw new HeaderParseError(`line ${this.#lines}: empty stanza argument`);
    this.#args = args;
    this.#body = [];
    this.#bodyChars = 0;
    return null;
  }

  #bodyLine(text: string): Stanza | null {
    this.#bodyChars += text.length;
    if (this.#bodyChars > (MAX_STANZA_BODY / 3) * 4 + 4) throw new HeaderParseError(`line ${this.#lines}: stanza body over ${MAX_STANZA_BODY} bytes`);
    this.#body.push(text);
    if (text.length === BODY_COLUMNS) return null;
    const body = decodeBase64(this.#body.join(""));
    if (body === null) throw new HeaderParseError(`line ${this.#lines}: stanza body is not canonical unpadded base64`);
    const [type, ...args] = this.#args!;
    this.#args = null;
    return { type: type!, args, body };
  }
}
