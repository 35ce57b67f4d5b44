// The CLI's crypt-io mode (API.md "Command line"): `--crypt-io --key-file
// PATH [--algorithm NAME] [--chunk-size-log2 N]` writes a version 2 stream,
// `-d --crypt-io --key-file PATH` reads either version (CRYPT-IO.md). The key
// file holds the 32 raw key bytes or 64 hex characters (whitespace around
// them ignored). Decryption writes each chunk as it authenticates, as for age.
import { CryptIoDecoder } from "../crypt-io/decoder.js";
import { CryptIoEncoder } from "../crypt-io/encoder.js";
import { ALGORITHMS, type CryptIoAlgorithm, MAX_LOG2, MIN_LOG2 } from "../crypt-io/header.js";
import { decodeTo } from "./decrypt.js";
import { encrypt } from "./encrypt.js";
import { CliError } from "./fail.js";
import type { Input } from "./input.js";
import { readKeyFileBytes } from "./key-files.js";
import type { Output } from "./output.js";

/** The 32-byte key of a --key-file. */
export function readCryptIoKey(path: string): Uint8Array {
  const bytes = readKeyFileBytes(path, "key file");
  if (bytes.length === 32) return new Uint8Array(bytes);
  const text = bytes.toString("latin1").trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Uint8Array.from(Buffer.from(text, "hex"));
  bytes.fill(0);
  throw new CliError(`key file "${path}": expected 32 raw bytes or 64 hex characters, got ${bytes.length} bytes`);
}

export function parseAlgorithm(name: string | undefined): CryptIoAlgorithm {
  if (name === undefined) return "chacha20-poly1305";
  const lower = name.toLowerCase();
  if (!ALGORITHMS.includes(lower as CryptIoAlgorithm)) {
    throw new CliError(`unknown --algorithm "${name}": use ${ALGORITHMS.join(", ")}`);
  }
  return lower as CryptIoAlgorithm;
}

export function parseChunkSizeLog2(value: string | undefined): number {
  if (value === undefined) return 16;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= MIN_LOG2 && n <= MAX_LOG2)) throw new CliError(`--chunk-size-log2 must be an integer in ${MIN_LOG2}..${MAX_LOG2}, got "${value}"`);
  return n;
}

export async function encryptCryptIo(key: Uint8Array, algorithm: CryptIoAlgorithm, chunkSizeLog2: number, input: Input, out: Output): Promise<void> {
  try {
    await encrypt(CryptIoEncoder.create(key, { algorithm, chunkSizeLog2, version: 2 }), input, out, false);
  } finally {
    key.fill(0);
  }
}

export async function decryptCryptIo(key: Uint8Array, input: Input, out: Output): Promise<void> {
  try {
    await decodeTo(new CryptIoDecoder(key), [], input.chunks, out);
  } finally {
    key.fill(0);
  }
}
