// The mlkem768x25519 stanza (C2SP age.md "mlkem768x25519 recipient stanza"):
// HPKE base mode with X-Wing, HKDF-SHA256 and ChaCha20Poly1305, info
// "age-encryption.org/mlkem768x25519", empty aad; two arguments, the type
// and base64(enc); the body is the sealed file key. The heavy half of
// hybrid.ts: the ESM browser bundle loads it on first use (stanza-modules.ts).
import type { AeadBackend } from "../crypto/backend.js";
import { openBase, sealBase } from "../crypto/hpke.js";
import { mlkem768x25519, mlkem768x25519PublicKey } from "../crypto/xwing.js";
import { AgeRTError, HeaderParseError, UsageError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "../format/base64.js";
import type { Stanza } from "../format/stanza.js";
import { utf8Encode } from "../format/text.js";

export const HYBRID_STANZA_TYPE = "mlkem768x25519";
const INFO = utf8Encode("age-encryption.org/mlkem768x25519");
const ENC_LEN = 1120;
const BODY_LEN = 32; // 16-byte file key || Poly1305 tag

export { mlkem768x25519PublicKey as hybridPublicKey };

export function hybridWrap(aead: AeadBackend, publicKey: Uint8Array, fileKey: Uint8Array): Stanza[] {
  let sealed;
  try {
    sealed = sealBase(aead, mlkem768x25519, publicKey, INFO, fileKey);
  } catch (e) {
    // noble refuses an encapsulation key whose ML-KEM part is not reduced mod q (FIPS 203 §7.2).
    throw new UsageError(`post-quantum recipient: invalid public key (${(e as Error).message})`, { cause: e });
  }
  return [{ type: HYBRID_STANZA_TYPE, args: [encodeBase64(sealed.enc)], body: sealed.ciphertext }];
}

/**
 * The file key from the first mlkem768x25519 stanza that opens under
 * `seed`; null when none does. Every stanza of this type is checked first
 * (argument count, canonical 1120-byte enc, 32-byte body, as the spec
 * requires before decrypting) and a malformed one is a HeaderParseError,
 * as is an enc whose X25519 part yields the all-zero shared secret.
 */
export function hybridUnwrap(aead: AeadBackend, seed: Uint8Array, stanzas: readonly Stanza[]): Uint8Array | null {
  const ours: Array<{ where: string; enc: Uint8Array; body: Uint8Array }> = [];
  stanzas.forEach((s, i) => {
    if (s.type !== HYBRID_STANZA_TYPE) return;
    const where = `${HYBRID_STANZA_TYPE} stanza (#${i + 1})`;
    if (s.args.length !== 1) throw new HeaderParseError(`${where}: expected 1 argument, got ${s.args.length}`);
    const enc = decodeBase64(s.args[0]!);
    if (enc === null) throw new HeaderParseError(`${where}: enc is not canonical unpadded base64`);
    if (enc.length !== ENC_LEN) throw new HeaderParseError(`${where}: enc must be ${ENC_LEN} bytes, got ${enc.length}`);
    if (s.body.length !== BODY_LEN) throw new HeaderParseError(`${where}: body must be ${BODY_LEN} bytes, got ${s.body.length}`);
    ours.push({ where, enc, body: s.body });
  });
  for (const { where, enc, body } of ours) {
    let fileKey: Uint8Array | null;
    try {
      fileKey = openBase(aead, mlkem768x25519, enc, seed, INFO, body);
    } catch (e) {
      if (e instanceof AgeRTError) throw e;
      // X25519 refuses a low-order share (all-zero shared secret); CCTV: a header failure.
      throw new HeaderParseError(`${where}: enc does not decapsulate (${(e as Error).message})`, { cause: e });
    }
    if (fileKey !== null) return fileKey;
  }
  return null;
}
