// The tagged recipient types for hardware keys (C2SP age.md "The tagged
// recipient types"): `age1tag1…` (p256tag: DHKEM(P-256), the 33-byte
// compressed point) and `age1tagpq1…` (mlkem768p256tag: MLKEM768-P256, an
// ML-KEM-768 key || an uncompressed P-256 point, 1249 bytes). Encrypt only,
// as in Go age and typage: their identities live in plugins.
//
//   stanza = -> TYPE base64(tag) base64(enc), body = HPKE ciphertext
//   tag    = HKDF-Extract-SHA-256(ikm = enc || SHA-256(key part)[:4], salt = label)[:4]
import { extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { UsageError } from "../errors.js";
import { encodeBase64 } from "../format/base64.js";
import { concat } from "../format/bytes.js";
import { encode as encodeBech32 } from "../format/bech32.js";
import type { Stanza } from "../format/stanza.js";
import { utf8Encode } from "../format/text.js";
import { aead } from "../crypto/aead.js";
import type { Kem } from "../crypto/hpke.js";
import type { Kems } from "../crypto/pq.js";
import { decodeKeyString } from "./key-string.js";
import { withKems } from "./kems-access.js";
import type { Recipient } from "./types.js";

interface TagType {
  /** Stanza type, also the HPKE info and the tag's salt ("age-encryption.org/" + type). */
  readonly type: "p256tag" | "mlkem768p256tag";
  readonly hrp: "age1tag" | "age1tagpq";
  readonly what: string;
  readonly keyLength: number;
  readonly postQuantum: boolean;
  readonly kem: (k: Kems) => Kem;
  /** pkR for HPKE from the recipient's bytes (may throw for a point not on the curve). */
  readonly hpkeKey: (k: Kems, recipient: Uint8Array) => Uint8Array;
  /** The bytes whose SHA-256 goes into the tag. */
  readonly tagged: (recipient: Uint8Array) => Uint8Array;
}

const P256TAG: TagType = {
  type: "p256tag", hrp: "age1tag", what: "tagged recipient", keyLength: 33, postQuantum: false,
  kem: (k) => k.dhkemP256,
  // "The recipient MUST be converted from its compressed form to uncompressed form."
  hpkeKey: (k, r) => k.decompressP256(r),
  // The compressed point, as age-plugin-yubikey's tags always hashed it.
  tagged: (r) => r,
};

const ML_KEM_768_KEY = 1184;
const MLKEM768P256TAG: TagType = {
  type: "mlkem768p256tag", hrp: "age1tagpq", what: "post-quantum tagged recipient", keyLength: ML_KEM_768_KEY + 65, postQuantum: true,
  kem: (k) => k.mlkem768p256,
  hpkeKey: (_k, r) => r,
  // Only the P-256 point: the ML-KEM key may need user presence to read.
  tagged: (r) => r.subarray(ML_KEM_768_KEY),
};

/** Encrypts file keys to a hardware key's `age1tag1…` or `age1tagpq1…` recipient. */
export class TagRecipient implements Recipient {
  readonly #key: Uint8Array;
  readonly #t: TagType;

  private constructor(t: TagType, key: Uint8Array) {
    this.#t = t;
    this.#key = key;
  }

  /** Parses an `age1tag1…` or `age1tagpq1…` string. Throws UsageError. */
  static fromString(s: string): TagRecipient {
    const t = typeof s === "string" && /^age1tagpq1/i.test(s) ? MLKEM768P256TAG : P256TAG;
    return new TagRecipient(t, decodeKeyString(t.what, s, t.hrp, t.keyLength));
  }

  /** Post-quantum (`age1tagpq1…`) recipients are never mixed with classic ones. */
  get postQuantum(): boolean {
    return this.#t.postQuantum;
  }

  /** The recipient string. */
  encode(): string {
    return encodeBech32(this.#t.hrp, this.#key);
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] | Promise<Stanza[]> {
    if (fileKey.length !== 16) throw new UsageError(`${this.#t.what} wrap: expected a 16-byte file key, got ${fileKey.length} bytes`);
    const t = this.#t;
    const label = utf8Encode(`age-encryption.org/${t.type}`);
    return withKems((k) => {
      let sealed;
      try {
        sealed = k.sealBase(aead(), t.kem(k), t.hpkeKey(k, this.#key), label, fileKey);
      } catch (e) {
        throw new UsageError(`${t.what}: invalid public key (${(e as Error).message})`, { cause: e });
      }
      const tag = extract(sha256, concat(sealed.enc, sha256(t.tagged(this.#key)).subarray(0, 4)), label).subarray(0, 4);
      return [{ type: t.type, args: [encodeBase64(tag), encodeBase64(sealed.enc)], body: sealed.ciphertext }];
    });
  }
}
