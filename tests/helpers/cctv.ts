// The C2SP CCTV age test vectors (npm `cctv-age`), parsed. Each vector is a
// textual header of "key: value" lines, an empty line, then the age file
// (zlib-compressed when `compressed: zlib`). Header keys, per the package
// README: expect, payload, file key, identity (repeatable), passphrase
// (repeatable), armored, compressed, comment. Vectors with other keys "should
// be ignored"; they are kept here with `unknownKeys` listing them.
import * as vectors from "cctv-age";
import { inflateSync } from "node:zlib";
import {
  ArmorError, ChunkAuthenticationError, HeaderMacError, HeaderParseError, NoIdentityMatchError, StreamTruncatedError,
} from "../../src/index.js";

export type CctvExpect =
  | "success"
  | "no match"
  | "HMAC failure"
  | "header failure"
  | "payload failure"
  | "armor failure";

const EXPECTS: readonly string[] = ["success", "no match", "HMAC failure", "header failure", "payload failure", "armor failure"];

export interface CctvVector {
  /** The export name, e.g. "armor_crlf" (the testdata file name). */
  name: string;
  expect: CctvExpect;
  /** Hex SHA-256 of all the plaintext an API may release (absent for failures that release none). */
  payloadHash: string | null;
  /** The file key, to help debugging (absent in a few vectors). */
  fileKey: Uint8Array | null;
  /** Bech32 identities, in order (X25519 AGE-SECRET-KEY-1… or hybrid AGE-SECRET-KEY-PQ-1…). */
  identities: string[];
  passphrases: string[];
  /** The body is ASCII-armored. */
  armored: boolean;
  /** The body was stored zlib-compressed (already inflated in `body`). */
  compressed: boolean;
  comment: string | null;
  /** Header keys this parser does not know; the README says to skip such vectors. */
  unknownKeys: string[];
  /** The age file, decompressed. */
  body: Uint8Array;
}

function hexToBytes(hex: string, where: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new Error(`${where}: bad hex`);
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** Parses one vector file. Throws on a malformed vector (a bug in the test data or here). */
export function parseVector(name: string, file: Uint8Array): CctvVector {
  // The header is ASCII; find the first empty line without decoding the body.
  let sep = -1;
  for (let i = 0; i + 1 < file.length; i++) {
    if (file[i] === 0x0a && file[i + 1] === 0x0a) {
      sep = i;
      break;
    }
  }
  if (sep < 0) throw new Error(`${name}: no empty line after the header`);
  const v: CctvVector = {
    name, expect: "success", payloadHash: null, fileKey: null, identities: [], passphrases: [],
    armored: false, compressed: false, comment: null, unknownKeys: [], body: new Uint8Array(0),
  };
  let sawExpect = false;
  for (const line of new TextDecoder().decode(file.subarray(0, sep)).split("\n")) {
    const colon = line.indexOf(": ");
    if (colon < 0) throw new Error(`${name}: header line without ": "`);
    const key = line.slice(0, colon);
    const value = line.slice(colon + 2);
    switch (key) {
      case "expect":
        if (!EXPECTS.includes(value)) throw new Error(`${name}: unknown expect "${value}"`);
        v.expect = value as CctvExpect;
        sawExpect = true;
        break;
      case "payload": v.payloadHash = value; break;
      case "file key": v.fileKey = hexToBytes(value, name); break;
      case "identity": v.identities.push(value); break;
      case "passphrase": v.passphrases.push(value); break;
      case "armored": v.armored = value === "yes"; break;
      case "compressed":
        if (value !== "zlib") throw new Error(`${name}: unknown compression "${value}"`);
        v.compressed = true;
        break;
      case "comment": v.comment = value; break;
      default: v.unknownKeys.push(key);
    }
  }
  if (!sawExpect) throw new Error(`${name}: no expect key`);
  const raw = file.subarray(sep + 2);
  v.body = v.compressed ? new Uint8Array(inflateSync(raw)) : raw.slice();
  return v;
}

let cache: CctvVector[] | undefined;

/** All vectors, sorted by name (decompressed once, then cached). */
export function loadVectors(): CctvVector[] {
  cache ??= Object.entries(vectors as unknown as Record<string, Uint8Array>)
    .filter(([, file]) => file instanceof Uint8Array)
    .map(([name, file]) => parseVector(name, file))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return cache;
}

/**
 * The CCTV outcome an error stands for (API.md "Errors"), or null for an
 * error that is none of them. The most specific class decides:
 * NoIdentityMatchError and HeaderMacError are ChunkAuthenticationErrors too
 * (as in the Python reference), yet "no match" and "HMAC failure", not
 * "payload failure".
 */
export function outcomeOf(e: unknown): Exclude<CctvExpect, "success"> | null {
  if (e instanceof NoIdentityMatchError) return "no match";
  if (e instanceof HeaderMacError) return "HMAC failure";
  if (e instanceof HeaderParseError) return "header failure";
  if (e instanceof ChunkAuthenticationError || e instanceof StreamTruncatedError) return "payload failure";
  if (e instanceof ArmorError) return "armor failure";
  return null;
}
