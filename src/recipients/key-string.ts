// Bech32 key strings (C2SP age.md: recipients `age1…`, `age1pq1…`,
// `age1tag1…`, `age1tagpq1…`; identities `AGE-SECRET-KEY-1…`,
// `AGE-SECRET-KEY-PQ-1…`) to the bytes they carry. Errors are UsageErrors
// that name the kind of key, never the string: it may be a secret key.
import { UsageError } from "../errors.js";
import { decode as decodeBech32 } from "../format/bech32.js";

/**
 * The `length` bytes of key `s` under Bech32 prefix `hrp` (matched without
 * regard to case; the checksum already forbids mixed case). `what` names the
 * key in messages ("X25519 recipient"). The caller owns the result.
 */
export function decodeKeyString(what: string, s: string, hrp: string, length: number): Uint8Array {
  if (typeof s !== "string") throw new UsageError(`${what} must be a string`);
  let decoded;
  try {
    decoded = decodeBech32(s);
  } catch (e) {
    throw new UsageError(`invalid ${what}: ${(e as Error).message}`, { cause: e });
  }
  if (decoded.hrp !== hrp.toLowerCase()) {
    decoded.data.fill(0);
    throw new UsageError(`invalid ${what}: expected the prefix ${hrp}1`);
  }
  if (decoded.data.length !== length) {
    decoded.data.fill(0);
    throw new UsageError(`invalid ${what}: expected ${length} bytes of key, got ${decoded.data.length}`);
  }
  return decoded.data;
}
