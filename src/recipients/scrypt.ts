// The scrypt recipient type (age v1 "The scrypt recipient type" and "scrypt
// recipient stanza"): the file key is wrapped with ChaCha20-Poly1305 under
// scrypt(passphrase, "age-encryption.org/v1/scrypt" || salt, N = 2^workFactor,
// r = 8, p = 1). Every check on a stanza runs before scrypt is called, so a
// hostile header cannot make us allocate or spin.
import { aead } from "../crypto/aead.js";
import type { ScryptOptions } from "../crypto/backend.js";
import { scrypt } from "../crypto/scrypt.js";
import { HeaderParseError, UsageError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "../format/base64.js";
import type { Stanza } from "../format/stanza.js";
import { utf8Encode } from "../format/text.js";
import type { Identity, Recipient } from "./types.js";

export const SCRYPT_STANZA_TYPE = "scrypt";
/** log2 N used when encrypting, unless `workFactor` says otherwise (as Go age). */
export const DEFAULT_WORK_FACTOR = 18;
/** Largest log2 N accepted when decrypting, unless `maxWorkFactor` says otherwise (as Go age). */
export const DEFAULT_MAX_WORK_FACTOR = 22;
/** Hard bound on `workFactor` and `maxWorkFactor` (N = 2^30 already needs 1 TiB). */
export const WORK_FACTOR_LIMIT = 30;

const LABEL = utf8Encode("age-encryption.org/v1/scrypt");
const SALT_LEN = 16;
const ZERO_NONCE = new Uint8Array(12);
const FILE_KEY_LEN = 16;
const BODY_LEN = FILE_KEY_LEN + 16;
// ABNF %x31-39 *DIGIT: the one encoding of a positive decimal.
const WORK_FACTOR_RE = /^[1-9][0-9]*$/;

/** Throws UsageError unless `n` is an integer work factor from 1 to 30. */
export function assertWorkFactor(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > WORK_FACTOR_LIMIT) {
    throw new UsageError(`${name} must be an integer from 1 to ${WORK_FACTOR_LIMIT}, got ${n}`);
  }
}

function passphraseBytes(p: unknown): Uint8Array {
  if (typeof p !== "string") throw new UsageError("passphrase must be a string");
  if (p.length === 0) throw new UsageError("passphrase must not be empty");
  return utf8Encode(p);
}

function deriveKey(passphrase: Uint8Array, salt: Uint8Array, logN: number, opts: ScryptOptions): Uint8Array {
  const s = new Uint8Array(LABEL.length + SALT_LEN);
  s.set(LABEL, 0);
  s.set(salt, LABEL.length);
  return scrypt(passphrase, s, logN, 8, 1, 32, opts);
}

/**
 * Throws HeaderParseError when a scrypt stanza shares the header with any
 * other stanza (age v1: it "MUST be the only stanza in the header", so a
 * passphrase-encrypted file is also authenticated by that passphrase).
 * ScryptIdentity checks this itself; decoders may call it for every header.
 */
export function assertScryptAlone(stanzas: readonly Stanza[]): void {
  if (stanzas.length > 1 && stanzas.some((s) => s.type === SCRYPT_STANZA_TYPE)) {
    throw new HeaderParseError(`scrypt stanza must be the only stanza in the header, found ${stanzas.length} stanzas`);
  }
}

export interface ScryptRecipientOptions extends ScryptOptions {
  /** log2 of the scrypt N parameter, 1..30 (default 18). */
  workFactor?: number;
}

/** Encrypts file keys to a passphrase. */
export class ScryptRecipient implements Recipient {
  readonly #passphrase: Uint8Array;
  readonly #workFactor: number;
  readonly #opts: ScryptOptions;

  constructor(passphrase: string, opts: ScryptRecipientOptions = {}) {
    this.#passphrase = passphraseBytes(passphrase);
    this.#workFactor = opts.workFactor ?? DEFAULT_WORK_FACTOR;
    assertWorkFactor("workFactor", this.#workFactor);
    this.#opts = { onProgress: opts.onProgress };
  }

  get workFactor(): number {
    return this.#workFactor;
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] {
    if (fileKey.length !== FILE_KEY_LEN) throw new UsageError(`scrypt wrap: expected a 16-byte file key, got ${fileKey.length} bytes`);
    const salt = crypto.getRandomValues(new Uint8Array(SALT_LEN)); // fresh per stanza and file
    const key = deriveKey(this.#passphrase, salt, this.#workFactor, this.#opts);
    try {
      const body = aead().seal(key, ZERO_NONCE, fileKey);
      return [{ type: SCRYPT_STANZA_TYPE, args: [encodeBase64(salt), String(this.#workFactor)], body }];
    } finally {
      key.fill(0);
    }
  }
}

export interface ScryptIdentityOptions extends ScryptOptions {
  /** Refuse stanzas with a larger log2 N, 1..30 (default 22). */
  maxWorkFactor?: number;
}

/**
 * Decrypts file keys wrapped to one of several passphrases. The stanza is
 * validated once, then scrypt runs at most once per (distinct) passphrase.
 */
export class ScryptIdentity implements Identity {
  readonly #passphrases: Uint8Array[];
  readonly #maxWorkFactor: number;
  readonly #opts: ScryptOptions;

  constructor(passphrase: string | readonly string[], opts: ScryptIdentityOptions = {}) {
    const list = typeof passphrase === "string" ? [passphrase] : [...new Set(passphrase)];
    if (list.length === 0) throw new UsageError("at least one passphrase is required");
    this.#passphrases = list.map(passphraseBytes);
    this.#maxWorkFactor = opts.maxWorkFactor ?? DEFAULT_MAX_WORK_FACTOR;
    assertWorkFactor("maxWorkFactor", this.#maxWorkFactor);
    this.#opts = { onProgress: opts.onProgress };
  }

  /**
   * The file key, or null when no passphrase opens the scrypt stanza (or the
   * header has none). Throws HeaderParseError, before any scrypt call, when
   * the scrypt stanza is not alone, malformed, or over `maxWorkFactor`.
   */
  unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null {
    assertScryptAlone(stanzas);
    const s = stanzas[0];
    if (s === undefined || s.type !== SCRYPT_STANZA_TYPE) return null;
    if (s.args.length !== 2) throw new HeaderParseError(`scrypt stanza: expected 2 arguments, got ${s.args.length}`);
    const salt = decodeBase64(s.args[0]!);
    if (salt === null) throw new HeaderParseError("scrypt stanza: salt is not canonical unpadded base64");
    if (salt.length !== SALT_LEN) throw new HeaderParseError(`scrypt stanza: salt must be ${SALT_LEN} bytes, got ${salt.length}`);
    const wf = s.args[1]!;
    if (!WORK_FACTOR_RE.test(wf)) throw new HeaderParseError("scrypt stanza: work factor must be a decimal number without sign or leading zeros");
    // Long digit strings are over any limit; don't trust Number() with them.
    const logN = wf.length > 2 ? Infinity : Number(wf);
    if (logN > this.#maxWorkFactor) {
      const shown = wf.length > 12 ? `${wf.slice(0, 12)}…` : wf;
      throw new HeaderParseError(`scrypt stanza: work factor ${shown} exceeds the maximum ${this.#maxWorkFactor} (see maxWorkFactor)`);
    }
    // Length first, before any crypto (partitioning-oracle mitigation).
    if (s.body.length !== BODY_LEN) throw new HeaderParseError(`scrypt stanza: body must be ${BODY_LEN} bytes, got ${s.body.length}`);
    for (const passphrase of this.#passphrases) {
      let key: Uint8Array;
      try {
        key = deriveKey(passphrase, salt, logN, this.#opts);
      } catch (e) {
        // The backend refuses, before allocating anything, derivations above
        // its memory limit (WebAssembly memory cannot hold work factor 22,
        // the default maxWorkFactor: 4 GiB of V plus the work area). That is
        // a limit the header exceeds, not a misuse of the API.
        if (e instanceof UsageError) {
          throw new HeaderParseError(`scrypt stanza: work factor ${logN} cannot be derived here (${e.message})`, { cause: e });
        }
        throw e;
      }
      try {
        const fileKey = aead().open(key, ZERO_NONCE, s.body);
        if (fileKey !== null) return fileKey;
      } finally {
        key.fill(0);
      }
    }
    return null;
  }
}
