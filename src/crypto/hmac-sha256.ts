// HMAC-SHA-256 (RFC 2104), HKDF-SHA-256 (RFC 5869) and PBKDF2-HMAC-SHA-256
// with one iteration (RFC 8018 §5.2, as scrypt uses it: RFC 7914 §6), over
// SHA-256 (sha256.ts). Every key age derives goes through these (C2SP
// age.md "Header MAC", "Payload", the X25519 and HPKE stanzas; scrypt's two
// PBKDF2 calls). @noble/hashes has all three, generic over any hash and
// with their options checked at run time; written out for SHA-256 alone
// they are ~0.8 kB gzip less in the browser bundle (bench/RESULTS.md), and
// the SHA-256 under them 1.7 kB less.
// tests/hmac-sha256.test.ts checks them against the RFCs' vectors and
// node:crypto.
import { Sha256, sha256 } from "./sha256.js";

const BLOCK = 64;
const HASH = 32;

/**
 * HMAC-SHA-256 keyed with `key`: the hash states after the inner and outer
 * pads, which every message under that key continues (cloned), so a
 * derivation of many blocks (PBKDF2, HKDF-Expand) hashes the pads once.
 */
class Hmac {
  readonly #inner: Sha256;
  readonly #outer: Sha256;

  constructor(key: Uint8Array) {
    const pad = new Uint8Array(BLOCK);
    pad.set(key.length > BLOCK ? sha256(key) : key);
    for (let i = 0; i < BLOCK; i++) pad[i]! ^= 0x36;
    this.#inner = new Sha256().update(pad);
    for (let i = 0; i < BLOCK; i++) pad[i]! ^= 0x36 ^ 0x5c;
    this.#outer = new Sha256().update(pad);
    pad.fill(0);
  }

  /** The inner state after `parts`, to finish with mac() (or to continue, cloned). */
  start(...parts: Uint8Array[]): Sha256 {
    const h = this.#inner.clone();
    for (const p of parts) h.update(p);
    return h;
  }

  /**
   * The MAC of what `inner` (from start()) has hashed, into `out` (32 bytes)
   * if given; `inner` is used up. `scratch`, a state of an earlier call,
   * is reused for the outer hash instead of a new one (PBKDF2's loop).
   */
  mac(inner: Sha256, out = new Uint8Array(HASH), scratch?: Sha256): Uint8Array {
    inner.digestInto(out);
    this.#outer.clone(scratch).update(out).digestInto(out);
    return out;
  }

  /** Wipes the keyed states. */
  destroy(): void {
    this.#inner.destroy();
    this.#outer.destroy();
  }
}

/** HMAC-SHA-256(key, parts concatenated). */
export function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const h = new Hmac(key);
  try {
    return h.mac(h.start(...parts));
  } finally {
    h.destroy();
  }
}

/**
 * HKDF-Extract: PRK = HMAC-SHA-256(salt, ikm). An empty salt is the RFC's
 * "not provided" (32 zero bytes): HMAC pads every key with zeros to the
 * block size, so the two are the same key.
 */
export function hkdfExtract(ikm: Uint8Array, salt: Uint8Array): Uint8Array {
  return hmacSha256(salt, ikm);
}

/** HKDF-Expand: `length` (≤ 8160) bytes of T(1) || T(2) || …, T(i) = HMAC(prk, T(i-1) || info || i). */
export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0 || length > 255 * HASH) throw new RangeError(`HKDF-SHA-256: cannot expand to ${length} bytes`);
  const out = new Uint8Array(length);
  const h = new Hmac(prk);
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1, at = 0; at < length; i++, at += HASH) {
    t = h.mac(h.start(t, info, Uint8Array.of(i)));
    out.set(t.subarray(0, length - at), at);
  }
  t.fill(0);
  h.destroy();
  return out;
}

/** HKDF-SHA-256(ikm, salt, info) → `length` bytes. */
export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const prk = hkdfExtract(ikm, salt);
  try {
    return hkdfExpand(prk, info, length);
  } finally {
    prk.fill(0);
  }
}

/** PBKDF2-HMAC-SHA-256(password, salt, c = 1) → `length` bytes: block i is HMAC(password, salt || INT32BE(i)). */
export function pbkdf2Sha256Once(password: Uint8Array, salt: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const h = new Hmac(password);
  const salted = h.start(salt);
  const index = new Uint8Array(4);
  const block = new Uint8Array(HASH);
  // One state for every block's inner hash and one for the outer: no allocation per block.
  const inner = salted.clone();
  const outer = salted.clone();
  for (let i = 1, at = 0; at < length; i++, at += HASH) {
    new DataView(index.buffer).setUint32(0, i);
    h.mac(salted.clone(inner).update(index), block, outer);
    out.set(block.subarray(0, length - at), at);
  }
  block.fill(0);
  for (const state of [salted, inner, outer]) state.destroy();
  h.destroy();
  return out;
}
