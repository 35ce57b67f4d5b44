// The a23crypt v1 record header and its limits (A23CRYPT.md §1-§2): version
// 0x01, flags (zstd level in bits 0-4), chunk_size and rk_len (u32 BE), the
// record key, a 16-byte salt. Also the key checks (§7.1 step 2) and the
// per-chunk AAD (§4), which binds the header's flags and chunk_size.
import { assertBytes } from "../errors.js";
import { InvalidKeyError } from "./errors.js";

export const VERSION = 0x01;
export const KEY_SIZE = 32;
export const SALT_SIZE = 16;
export const MAX_RECORD_KEY = 4096;
/** The chunk size the encoder reads and writes into the header. */
export const CHUNK_SIZE = 65536;
/** Largest frame body a decoder accepts, whatever the header says (§1). */
export const MAX_FRAME = 131072;
export const TAG_SIZE = 16;
/** version, flags, chunk_size, rk_len. */
export const FIXED_HEADER = 10;
export const MAX_LEVEL = 22;
/** flags bits 0-4: the zstd level. */
export const LEVEL_MASK = 0x1f;

/** The keys of a record (API.md "crypt-io and a23crypt"). */
export interface A23Keys {
  /** 32 bytes: the server's key (HKDF-SHA-512, the inner AES-256-GCM layer). */
  serverKey: Uint8Array;
  /** 32 bytes: the client's key (HKDF-SHA3-512, the outer ChaCha20-Poly1305 layer). */
  clientKey: Uint8Array;
  /** 1..4096 bytes: the record's context, stored in the header and bound into every subkey. */
  recordKey: Uint8Array;
}

/** Checks the keys as the original does (InvalidKeyError, before any input is read) and returns copies. */
export function checkKeys(keys: A23Keys): A23Keys {
  if (keys === null || typeof keys !== "object") throw new InvalidKeyError("keys must be an object { serverKey, clientKey, recordKey }");
  const { serverKey, clientKey, recordKey } = keys;
  assertBytes("serverKey", serverKey);
  assertBytes("clientKey", clientKey);
  assertBytes("recordKey", recordKey);
  if (serverKey.length !== KEY_SIZE) throw new InvalidKeyError(`server_key must be ${KEY_SIZE} bytes, got ${serverKey.length}`);
  if (clientKey.length !== KEY_SIZE) throw new InvalidKeyError(`client_key must be ${KEY_SIZE} bytes, got ${clientKey.length}`);
  if (recordKey.length < 1 || recordKey.length > MAX_RECORD_KEY) {
    throw new InvalidKeyError(`record_key must be 1..${MAX_RECORD_KEY} bytes, got ${recordKey.length}`);
  }
  // Copies: Buffer.prototype.slice would share the caller's memory.
  return { serverKey: Uint8Array.from(serverKey), clientKey: Uint8Array.from(clientKey), recordKey: Uint8Array.from(recordKey) };
}

/** The header as the encoder writes it (§2): version 1, flags = level, chunk_size 65536. */
export function encodeHeader(level: number, recordKey: Uint8Array, salt: Uint8Array): Uint8Array {
  const out = new Uint8Array(FIXED_HEADER + recordKey.length + SALT_SIZE);
  const v = new DataView(out.buffer);
  out[0] = VERSION;
  out[1] = level;
  v.setUint32(2, CHUNK_SIZE);
  v.setUint32(6, recordKey.length);
  out.set(recordKey, FIXED_HEADER);
  out.set(salt, FIXED_HEADER + recordKey.length);
  return out;
}

/** AAD_i = u64be(i) || final (1 byte) || flags || u32be(chunk_size) (§4), written into `aad` (14 bytes). */
export function writeAad(aad: Uint8Array, index: number, final: boolean, flags: number, chunkSize: number): Uint8Array {
  writeU64(aad, 0, index);
  aad[8] = final ? 1 : 0;
  aad[9] = flags;
  aad[10] = chunkSize >>> 24;
  aad[11] = (chunkSize >>> 16) & 0xff;
  aad[12] = (chunkSize >>> 8) & 0xff;
  aad[13] = chunkSize & 0xff;
  return aad;
}

/** Writes a safe integer as u64 BE at `at`. */
export function writeU64(out: Uint8Array, at: number, n: number): void {
  const hi = Math.floor(n / 2 ** 32);
  const lo = n >>> 0;
  out[at] = hi >>> 24;
  out[at + 1] = (hi >>> 16) & 0xff;
  out[at + 2] = (hi >>> 8) & 0xff;
  out[at + 3] = hi & 0xff;
  out[at + 4] = lo >>> 24;
  out[at + 5] = (lo >>> 16) & 0xff;
  out[at + 6] = (lo >>> 8) & 0xff;
  out[at + 7] = lo & 0xff;
}

/** u32 BE at `at`. */
export function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
