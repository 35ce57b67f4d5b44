// The header of age v1 (C2SP age.md "Header", ABNF in "ABNF definition of
// file header"), shared by age-rt v0.2: a version line, one or more stanzas,
// and a MAC line. This file parses and encodes only; it knows no keys (the
// MAC is computed and checked by the caller, see src/crypto/kdf.ts).
//
// The parser is incremental (the push decoders give it bytes as they come),
// strict (exactly one byte sequence encodes a given header, so re-encoding a
// parsed header gives back its bytes), and bounded: the header size and the
// stanza count are checked before anything more is buffered.
import { HeaderParseError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "./base64.js";
import { asciiDecode, utf8Encode } from "./text.js";
import type { Stanza } from "./stanza.js";
import { parseVersionLine, versionLine, type Version } from "./version.js";

export interface HeaderLimits {
  /** Largest header accepted, in bytes (default 1 MiB). */
  maxHeaderSize?: number;
  /** Most stanzas accepted (default 1024). */
  maxStanzas?: number;
}
export const DEFAULT_MAX_HEADER_SIZE = 1 << 20;
export const DEFAULT_MAX_STANZAS = 1024;

export interface Header {
  readonly version: Version;
  readonly stanzas: readonly Stanza[];
  /** The 32-byte MAC from the last line. */
  readonly mac: Uint8Array;
  /** The bytes the MAC covers: the header up to and including "---". */
  readonly macInput: Uint8Array;
}

const LF = 0x0a;
const BODY_COLUMNS = 64;
const MAC_B64_LENGTH = 43; // 32 bytes, unpadded

const enum State { Version, StanzaOrEnd, Body, Done }

/** Reads a header from bytes given in pieces of any size. */
export class HeaderReader {
  readonly #maxSize: number;
  readonly #maxStanzas: number;
  #state = State.Version;
  #raw = new Uint8Array(256); // header bytes so far, grown by doubling up to maxSize
  #size = 0;
  #lineStart = 0;
  #lines = 0;
  #version: Version | null = null;
  #stanzas: Stanza[] = [];
  #stanzaArgs: string[] = [];
  #bodyLines: string[] = [];
  #result: Header | null = null;

  constructor(limits: HeaderLimits = {}) {
    this.#maxSize = limits.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE;
    this.#maxStanzas = limits.maxStanzas ?? DEFAULT_MAX_STANZAS;
  }

  /** The version, as soon as the first line has been read. */
  get versionSoFar(): Version | null {
    return this.#version;
  }

  /** The header once complete, else null. */
  get header(): Header | null {
    return this.#result;
  }

  /** @internal The bytes the parser has room for (tests/limits.test.ts: never above maxHeaderSize). */
  get _capacity(): number {
    return this.#raw.length;
  }

  /**
   * Consumes bytes of `data` up to the end of the header; returns how many
   * it took (fewer than data.length only when the header ended inside data).
   */
  push(data: Uint8Array): number {
    let i = 0;
    while (i < data.length && this.#state !== State.Done) {
      const b = data[i++]!;
      if (this.#size >= this.#maxSize) {
        throw new HeaderParseError(`header exceeds the ${this.#maxSize}-byte limit`);
      }
      if (this.#size === this.#raw.length) this.#grow();
      this.#raw[this.#size++] = b;
      if (b === LF) {
        const line = this.#raw.subarray(this.#lineStart, this.#size - 1);
        this.#lineStart = this.#size;
        this.#line(line);
      } else if (b < 0x20 || b > 0x7e) {
        // Header lines are printable ASCII; this also rejects CR (no CRLF headers).
        throw new HeaderParseError(`invalid byte 0x${b.toString(16).padStart(2, "0")} at header offset ${this.#size - 1}`);
      }
    }
    return i;
  }

  /** Doubles the buffer, never past the size limit (checked before each byte). */
  #grow(): void {
    const bigger = new Uint8Array(Math.min(this.#raw.length * 2, this.#maxSize));
    bigger.set(this.#raw);
    this.#raw = bigger;
  }

  #line(bytes: Uint8Array): void {
    const text = asciiString(bytes);
    const where = `header line ${++this.#lines}`;
    switch (this.#state) {
      case State.Version:
        this.#version = parseVersionLine(text);
        this.#state = State.StanzaOrEnd;
        return;
      case State.StanzaOrEnd:
        if (text.startsWith("-> ")) {
          if (this.#stanzas.length >= this.#maxStanzas) throw new HeaderParseError(`header has more than ${this.#maxStanzas} stanzas`);
          this.#stanzaArgs = parseArguments(text.slice(3), where);
          this.#bodyLines = [];
          this.#state = State.Body;
          return;
        }
        if (text.startsWith("---")) return this.#end(text, where);
        throw new HeaderParseError(`${where}: expected a stanza ("-> ") or the MAC line ("--- ")`);
      case State.Body: {
        if (text.length > BODY_COLUMNS) throw new HeaderParseError(`${where}: stanza body line longer than ${BODY_COLUMNS} columns`);
        this.#bodyLines.push(text);
        if (text.length === BODY_COLUMNS) return; // a full line: the body goes on
        const body = decodeBase64(this.#bodyLines.join(""));
        if (body === null) throw new HeaderParseError(`${where}: stanza body is not canonical unpadded base64`);
        const [type, ...args] = this.#stanzaArgs;
        this.#stanzas.push({ type: type!, args, body });
        this.#state = State.StanzaOrEnd;
        return;
      }
      default:
        throw new Error("unreachable: header already complete");
    }
  }

  #end(text: string, where: string): void {
    if (this.#stanzas.length === 0) throw new HeaderParseError(`${where}: header has no stanza`);
    if (!text.startsWith("--- ") || text.length !== 4 + MAC_B64_LENGTH) {
      throw new HeaderParseError(`${where}: malformed MAC line`);
    }
    const mac = decodeBase64(text.slice(4));
    if (mac === null || mac.length !== 32) throw new HeaderParseError(`${where}: MAC is not canonical base64 of 32 bytes`);
    const macEnd = this.#lineStart - 1 - (text.length - 3); // just after "---"
    this.#result = {
      version: this.#version!,
      stanzas: this.#stanzas,
      mac,
      macInput: this.#raw.slice(0, macEnd),
    };
    this.#raw = new Uint8Array(0);
    this.#state = State.Done;
  }
}

/** Bytes already checked to be printable ASCII, as a string. */
const asciiString = asciiDecode;

/** Splits "arg arg …" (after "-> "): one or more arguments of VCHAR separated by single spaces. */
function parseArguments(text: string, where: string): string[] {
  const args = text.split(" ");
  if (args.some((a) => a.length === 0)) throw new HeaderParseError(`${where}: empty stanza argument`);
  return args; // bytes were already checked to be printable ASCII, and spaces split
}

/** Parses a complete header at the start of `data`; returns it and its length in bytes. */
export function parseHeader(data: Uint8Array, limits?: HeaderLimits): { header: Header; length: number } {
  const reader = new HeaderReader(limits);
  const length = reader.push(data);
  if (reader.header === null) throw new HeaderParseError("input ended inside the header");
  return { header: reader.header, length };
}

/**
 * Encodes the header up to and including "---" (the MAC input). The MAC line
 * is then `" " + base64(mac) + "\n"`, see encodeMacLine.
 */
export function encodeHeaderWithoutMac(version: Version, stanzas: readonly Stanza[]): Uint8Array {
  let text = versionLine(version) + "\n";
  for (const s of stanzas) text += encodeStanza(s);
  text += "---";
  return utf8Encode(text);
}

/**
 * One stanza as text: "-> TYPE ARGS…", then the body in full 64-column
 * base64 lines and a final shorter (possibly empty) line. Shared with the
 * plugin protocol, whose messages are stanzas (C2SP age-plugin "IPC protocol").
 */
export function encodeStanza(s: Stanza): string {
  const args = [s.type, ...s.args];
  for (const a of args) {
    if (!/^[\x21-\x7e]+$/.test(a)) throw new HeaderParseError(`stanza argument ${JSON.stringify(a.slice(0, 32))} is not 1 or more visible ASCII characters`);
  }
  let text = "-> " + args.join(" ") + "\n";
  const b64 = encodeBase64(s.body);
  for (let i = 0; i + BODY_COLUMNS <= b64.length; i += BODY_COLUMNS) text += b64.slice(i, i + BODY_COLUMNS) + "\n";
  return text + b64.slice(b64.length - (b64.length % BODY_COLUMNS)) + "\n";
}

/** The bytes that follow "---": a space, the base64 MAC and a line feed. */
export function encodeMacLine(mac: Uint8Array): Uint8Array {
  return utf8Encode(" " + encodeBase64(mac) + "\n");
}
