// The key schedule of age v1 (C2SP age.md "Header MAC", "Payload"): every key
// is HKDF-SHA-256 of the 16-byte file key, with 32 bytes of output.
import { hkdf, hmacSha256 } from "./hmac-sha256.js";
import { utf8Encode } from "../format/text.js";

const HEADER_INFO = utf8Encode("header");
const PAYLOAD_INFO = utf8Encode("payload");

/** HMAC-SHA-256 over the header up to and including "---", keyed with HKDF(file key, "", "header"). */
export function headerMac(fileKey: Uint8Array, macInput: Uint8Array): Uint8Array {
  const key = hkdf(fileKey, new Uint8Array(0), HEADER_INFO, 32);
  try {
    return hmacSha256(key, macInput);
  } finally {
    key.fill(0);
  }
}

/** payload key = HKDF-SHA-256(ikm = file key, salt = nonce, info = "payload"). */
export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return hkdf(fileKey, nonce, PAYLOAD_INFO, 32);
}

/** Compares equal-length byte strings in time independent of where they differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Fresh random bytes from the host's CSPRNG (the only host API the library needs). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  crypto.getRandomValues(out);
  return out;
}
