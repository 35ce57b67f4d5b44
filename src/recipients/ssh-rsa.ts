// The ssh-rsa recipient type (age v1 spec, "SSH recipients"; Go age's
// agessh): the file key encrypted with RSA-OAEP, SHA-256 and MGF1-SHA-256,
// label "age-encryption.org/v1/ssh-rsa", to an OpenSSH RSA key. The stanza is
// `-> ssh-rsa TAG` (TAG = base64(SHA-256(SSH key blob)[:4])) and its body
// the RSA ciphertext, exactly the modulus' size. The RSA operations are the
// host's (src/crypto/rsa-oaep.ts): with WebCrypto they are asynchronous.
import { HeaderParseError, UsageError } from "../errors.js";
import { type RsaOaepBackend, type RsaPrivateJwk, type RsaPublicJwk, jwkInt, webCryptoRsaOaep } from "../crypto/rsa-oaep.js";
import { concat } from "../format/bytes.js";
import { SshReader, bigintToBytes, sshString } from "../format/ssh-wire.js";
import type { Stanza } from "../format/stanza.js";
import { utf8Encode } from "../format/text.js";
import { sshTag } from "./ssh-ed25519.js";
import type { Identity, Recipient } from "./types.js";

export const SSH_RSA = "ssh-rsa";
const LABEL = utf8Encode("age-encryption.org/v1/ssh-rsa");
/** Smaller keys are refused when encrypting: they are breakable or nearly so. */
export const MIN_RSA_BITS = 2048;
/** OpenSSH's own ceiling; bounds the work a hostile key can cause. */
const MAX_RSA_BITS = 16384;

export interface RsaPublicKey {
  n: bigint;
  e: bigint;
}

/** The modulus and exponent of an ssh-rsa wire blob. */
export function rsaKeyFromBlob(blob: Uint8Array): RsaPublicKey {
  const r = new SshReader(blob, "malformed ssh-rsa key");
  if (r.text() !== SSH_RSA) throw new UsageError("malformed ssh-rsa key: wrong key type");
  const e = r.mpint();
  const n = r.mpint();
  r.end();
  const bits = n.toString(2).length;
  if (n === 0n || bits > MAX_RSA_BITS) throw new UsageError(`unsupported ssh-rsa key: ${bits}-bit modulus`);
  if (e < 3n || e % 2n === 0n) throw new UsageError("malformed ssh-rsa key: invalid public exponent");
  return { n, e };
}

/** The wire blob of an RSA public key (RFC 4253 §6.6: e, then n, as mpints). */
export function rsaBlob(k: RsaPublicKey): Uint8Array {
  return concat(sshString(SSH_RSA), sshString(mpintBytes(k.e)), sshString(mpintBytes(k.n)));
}

function mpintBytes(v: bigint): Uint8Array {
  const b = bigintToBytes(v);
  return b.length > 0 && (b[0]! & 0x80) !== 0 ? concat(new Uint8Array(1), b) : b;
}

const modulusBytes = (n: bigint) => Math.ceil(n.toString(2).length / 8);

/** Encrypts file keys to an ssh-rsa public key. */
export class SshRsaRecipient implements Recipient {
  readonly #jwk: RsaPublicJwk;
  readonly #tag: string;

  constructor(blob: Uint8Array, private readonly backend: RsaOaepBackend = webCryptoRsaOaep) {
    const k = rsaKeyFromBlob(blob);
    const bits = k.n.toString(2).length;
    if (bits < MIN_RSA_BITS) throw new UsageError(`ssh-rsa recipient: the key is ${bits} bits, fewer than the ${MIN_RSA_BITS} required`);
    this.#jwk = { kty: "RSA", n: jwkInt(k.n), e: jwkInt(k.e) };
    this.#tag = sshTag(blob);
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] | Promise<Stanza[]> {
    if (fileKey.length !== 16) throw new UsageError(`ssh-rsa wrap: expected a 16-byte file key, got ${fileKey.length} bytes`);
    const body = this.backend.encrypt(this.#jwk, fileKey, LABEL);
    const stanza = (b: Uint8Array): Stanza[] => [{ type: SSH_RSA, args: [this.#tag], body: b }];
    return body instanceof Promise ? body.then(stanza) : stanza(body);
  }
}

/** Decrypts file keys wrapped to an ssh-rsa key. */
export class SshRsaIdentity implements Identity {
  readonly #jwk: RsaPrivateJwk;
  readonly #blob: Uint8Array;
  readonly #tag: string;
  readonly #size: number;

  constructor(publicKey: RsaPublicKey, jwk: RsaPrivateJwk, private readonly backend: RsaOaepBackend = webCryptoRsaOaep) {
    this.#jwk = jwk;
    this.#blob = rsaBlob(publicKey);
    this.#tag = sshTag(this.#blob);
    this.#size = modulusBytes(publicKey.n);
  }

  get publicKeyBlob(): Uint8Array {
    return this.#blob.slice();
  }

  /**
   * The file key from the first ssh-rsa stanza for this key; null when none
   * is or none decrypts (another key's tag is skipped, as Go age does). A
   * stanza with this key's tag but the wrong shape throws HeaderParseError.
   */
  unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null | Promise<Uint8Array | null> {
    const mine: Stanza[] = [];
    for (let i = 0; i < stanzas.length; i++) {
      const s = stanzas[i]!;
      if (s.type !== SSH_RSA) continue;
      const where = `ssh-rsa stanza (#${i + 1})`;
      if (s.args.length !== 1) throw new HeaderParseError(`${where}: expected 1 argument, got ${s.args.length}`);
      if (s.args[0] !== this.#tag) continue;
      if (s.body.length !== this.#size) throw new HeaderParseError(`${where}: body must be ${this.#size} bytes (the modulus), got ${s.body.length}`);
      mine.push(s);
    }
    return this.tryEach(mine, 0);
  }

  private tryEach(mine: Stanza[], from: number): Uint8Array | null | Promise<Uint8Array | null> {
    for (let i = from; i < mine.length; i++) {
      const out = this.backend.decrypt(this.#jwk, mine[i]!.body, LABEL);
      if (out instanceof Promise) return out.then((k) => (k !== null && k.length === 16 ? k : this.tryEach(mine, i + 1)));
      if (out !== null && out.length === 16) return out;
    }
    return null;
  }
}
