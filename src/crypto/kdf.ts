// The key schedule of age v1 (C2SP age.md "Header MAC", "Payload"): every key
// is HKDF-SHA-256 of the 16-byte file key, with 32 bytes of output.
//
// HKDF and PBKDF2 are written out over @noble's HMAC-SHA-256 for the one
// form each is used in (32 bytes of HKDF output; PBKDF2 with c = 1): @noble's
// general versions (any length and iteration count, async twins, option
// checks) cost 0.7 kB gzip of the 25 kB browser bundle for those two loops.
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8Encode } from "../format/text.js";

const HEADER_INFO = utf8Encode("header");
const PAYLOAD_INFO = utf8Encode("payload");

/**
 * HKDF-SHA-256 (RFC 5869) with 32 bytes of output, as everything in age uses
 * it: PRK = HMAC(salt, ikm), then the one block T(1) = HMAC(PRK, info || 0x01).
 * An empty salt is the RFC's 32 zero bytes: HMAC pads its key with zeros.
 */
export function hkdf32(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array): Uint8Array {
  const prk = hmac(sha256, salt, ikm);
  const block = new Uint8Array(info.length + 1);
  block.set(info);
  block[info.length] = 1;
  try {
    return hmac(sha256, prk, block);
  } finally {
    prk.fill(0);
  }
}

/** HMAC-SHA-256 over the header up to and including "---", keyed with HKDF(file key, "", "header"). */
export function headerMac(fileKey: Uint8Array, macInput: Uint8Array): Uint8Array {
  const key = hkdf32(fileKey, new Uint8Array(0), HEADER_INFO);
  try {
    return hmac(sha256, key, macInput);
  } finally {
    key.fill(0);
  }
}

/** payload key = HKDF-SHA-256(ikm = file key, salt = nonce, info = "payload"). */
export function payloadKey(fileKey: Uint8Array, nonce: Uint8Array): Uint8Array {
  return hkdf32(fileKey, nonce, PAYLOAD_INFO);
}

/**
 * PBKDF2-HMAC-SHA-256 with one iteration (RFC 8018 §5.2, c = 1), the only
 * form scrypt uses (RFC 7914 §6): block i of the output is
 * HMAC(password, salt || INT(i)).
 */
export function pbkdf2Once(password: Uint8Array, salt: Uint8Array, dkLen: number): Uint8Array {
  const out = new Uint8Array(dkLen);
  const index = new Uint8Array(4);
  const salted = hmac.create(sha256, password).update(salt);
  try {
    for (let i = 0; i * 32 < dkLen; i++) {
      new DataView(index.buffer).setUint32(0, i + 1); // INT(i + 1), big-endian
      const block = salted.clone().update(index).digest(); // digest() wipes the clone's state
      out.set(block.subarray(0, dkLen - i * 32), i * 32);
      block.fill(0);
    }
  } finally {
    salted.destroy();
  }
  return out;
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
