// The p256tag and mlkem768p256tag stanzas (C2SP age.md "p256tag recipient
// stanza", "mlkem768p256tag recipient stanza"), encrypt only:
//   stanza = -> TYPE base64(tag) base64(enc), body = HPKE SealBase ciphertext
//   tag    = HKDF-Extract-SHA-256(ikm = enc || SHA-256(tagged key)[:4], salt = info)[:4]
// with info "age-encryption.org/" + TYPE. The heavy half of tag.ts: the ESM
// browser bundle loads it on first use (stanza-modules.ts).
import { sha256 } from "../crypto/sha256.js";
import type { AeadBackend } from "../crypto/backend.js";
import { hkdfExtract } from "../crypto/hmac-sha256.js";
import { sealBase } from "../crypto/hpke.js";
import { decompressP256, dhkemP256, mlkem768p256 } from "../crypto/p256-kems.js";
import { UsageError } from "../errors.js";
import { encodeBase64 } from "../format/base64.js";
import { concat } from "../format/bytes.js";
import type { Stanza } from "../format/stanza.js";
import { utf8Encode } from "../format/text.js";

const ML_KEM_768_KEY = 1184;

/**
 * One stanza for `recipient`: a 33-byte compressed P-256 point (p256tag), or
 * an ML-KEM-768 key || an uncompressed P-256 point (mlkem768p256tag).
 */
export function tagWrap(aead: AeadBackend, type: "p256tag" | "mlkem768p256tag", recipient: Uint8Array, fileKey: Uint8Array): Stanza[] {
  const info = utf8Encode(`age-encryption.org/${type}`);
  let sealed;
  try {
    sealed = type === "p256tag"
      // "The recipient MUST be converted from its compressed form to uncompressed form."
      ? sealBase(aead, dhkemP256, decompressP256(recipient), info, fileKey)
      : sealBase(aead, mlkem768p256, recipient, info, fileKey);
  } catch (e) {
    throw new UsageError(`${type} recipient: invalid public key (${(e as Error).message})`, { cause: e });
  }
  // p256tag hashes the compressed point, as age-plugin-yubikey's tags did;
  // mlkem768p256tag only the P-256 point, since the ML-KEM key may need user presence to read.
  const tagged = type === "p256tag" ? recipient : recipient.subarray(ML_KEM_768_KEY);
  const tag = hkdfExtract(concat(sealed.enc, sha256(tagged).subarray(0, 4)), info).subarray(0, 4);
  return [{ type, args: [encodeBase64(tag), encodeBase64(sealed.enc)], body: sealed.ciphertext }];
}
