// Key strings to Recipient / Identity objects, and key generation: the glue
// between user input (age1… recipients, AGE-SECRET-KEY-1… identities, SSH
// public keys and OpenSSH private keys, passphrases, key files) and the
// recipient types. Encodings per age v1 "The X25519 recipient type" and
// "SSH recipients"; other native types are recognised only to say precisely
// that they are not supported.
//
// Key strings may be all-lowercase or all-uppercase, as Bech32 allows (the
// checksum covers both); we always write recipients lowercase and identities
// uppercase. Error messages never contain the key string: a secret key pasted
// where a recipient belongs must not end up in logs.
import { UsageError } from "../errors.js";
import { DEFAULT_MAX_LENGTH, decode as decodeBech32 } from "../format/bech32.js";
import { ScryptIdentity, assertWorkFactor } from "./scrypt.js";
import type { ScryptOptions } from "../crypto/backend.js";
import { type RsaOaepBackend, webCryptoRsaOaep } from "../crypto/rsa-oaep.js";
import { formatAuthorizedKey, parseAuthorizedKey } from "../format/ssh-wire.js";
import { SSH_ED25519, SshEd25519Recipient } from "./ssh-ed25519.js";
import { isPemPrivateKey, parseOpenSshKeyFile, plainSshIdentity } from "./ssh-private-key.js";
import { SSH_RSA, SshRsaRecipient } from "./ssh-rsa.js";
import type { Identity, Recipient } from "./types.js";
import { X25519Identity, X25519Recipient } from "./x25519.js";

/** A new X25519 identity, `AGE-SECRET-KEY-1…` (uppercase). */
export function generateIdentity(): string {
  return X25519Identity.generate().encode();
}

/**
 * The `age1…` recipient of an `AGE-SECRET-KEY-1…` identity, or the
 * `ssh-ed25519 …` / `ssh-rsa …` public key of an OpenSSH private key (read
 * from its public part: an encrypted key needs no passphrase). Throws UsageError.
 */
export function identityToRecipient(identity: string): string {
  if (typeof identity === "string" && isPemPrivateKey(identity)) return formatAuthorizedKey(parseOpenSshKeyFile(identity).publicBlob);
  return parseX25519Identity(identity).recipient().encode();
}

/** Whether a recipient string is an SSH public key (authorized_keys form). */
export function isSshRecipient(s: string): boolean {
  return /^(ssh-|ecdsa-sha2-|sk-ssh-|sk-ecdsa-)/.test(s);
}

/**
 * What parsing key strings may use beyond the main entry's defaults: the
 * host's RSA-OAEP (node:crypto in age-rt/node and the CLI), and plugins
 * (Node only: age1NAME1… recipients, AGE-PLUGIN-NAME-1… identities).
 */
export interface KeyParseOptions {
  rsa?: RsaOaepBackend;
  pluginRecipient?: (s: string) => Recipient;
  pluginIdentity?: (s: string) => Identity;
}

/** An `ssh-ed25519 …` or `ssh-rsa …` public key line. Throws UsageError. */
export function parseSshRecipient(s: string, rsa: RsaOaepBackend = webCryptoRsaOaep): Recipient {
  const { type, blob } = parseAuthorizedKey(s);
  if (type === SSH_ED25519) return new SshEd25519Recipient(blob);
  if (type === SSH_RSA) return new SshRsaRecipient(blob, rsa);
  throw new UsageError(`unsupported SSH key type ${JSON.stringify(type.slice(0, 40))}: age encrypts to ssh-ed25519 and ssh-rsa keys`);
}

function parseX25519Identity(s: string): X25519Identity {
  if (typeof s !== "string") throw new UsageError("identity must be a string");
  const kind = identityKind(s);
  if (kind !== "x25519") throw new UsageError(unsupportedIdentity(kind));
  return X25519Identity.fromString(s);
}

type IdentityKind = "x25519" | "hybrid" | "plugin" | "recipient" | "unknown";

function identityKind(s: string): IdentityKind {
  const u = s.toUpperCase();
  if (u.startsWith("AGE-SECRET-KEY-1")) return "x25519";
  if (u.startsWith("AGE-SECRET-KEY-PQ-1")) return "hybrid";
  if (u.startsWith("AGE-PLUGIN-")) return "plugin";
  if (u.startsWith("AGE1")) return "recipient";
  return "unknown";
}

function unsupportedIdentity(kind: IdentityKind): string {
  switch (kind) {
    case "hybrid": return "post-quantum hybrid identities (AGE-SECRET-KEY-PQ-1…) are not supported";
    case "plugin": return "plugin identities (AGE-PLUGIN-…) are not supported here: use PluginIdentity from age-rt/node";
    case "recipient": return "expected an identity (AGE-SECRET-KEY-1…), got a recipient (age1…)";
    default: return "invalid identity: expected AGE-SECRET-KEY-1…";
  }
}

/**
 * Parses an `AGE-SECRET-KEY-1…` identity string, or the PEM text of an
 * unencrypted OpenSSH private key (ssh-ed25519, ssh-rsa). Throws UsageError.
 */
export function parseIdentity(s: string, opts: KeyParseOptions = {}): Identity {
  if (typeof s === "string" && isPemPrivateKey(s)) return plainSshIdentity(parseOpenSshKeyFile(s), opts.rsa ?? webCryptoRsaOaep);
  if (typeof s === "string" && opts.pluginIdentity && /^AGE-PLUGIN-/i.test(s)) return opts.pluginIdentity(s);
  return parseX25519Identity(s);
}

/**
 * Parses an `age1…` recipient string (X25519). Throws UsageError, naming
 * unsupported kinds (post-quantum, tagged, plugin, SSH) as such.
 */
export function parseRecipient(s: string, opts: KeyParseOptions = {}): Recipient {
  if (typeof s !== "string") throw new UsageError("recipient must be a string");
  const u = s.toUpperCase();
  if (u.startsWith("AGE-SECRET-KEY-") || u.startsWith("AGE-PLUGIN-")) {
    throw new UsageError("expected a recipient (age1…), got an identity (a secret key); use identityToRecipient to get its recipient");
  }
  if (isSshRecipient(s)) return parseSshRecipient(s, opts.rsa);
  if (!u.startsWith("AGE1")) throw new UsageError("invalid recipient: expected age1…");
  // The HRP is everything before the last "1": "age" for X25519, "age1pq",
  // "age1tag", "age1tagpq" or "age1<plugin>" for the others.
  let hrp: string;
  try {
    hrp = decodeBech32(s, DEFAULT_MAX_LENGTH).hrp;
  } catch (e) {
    throw new UsageError(`invalid recipient: ${(e as Error).message}`, { cause: e });
  }
  if (hrp === "age") return X25519Recipient.fromString(s);
  if (hrp === "age1pq") throw new UsageError("post-quantum hybrid recipients (age1pq1…) are not supported");
  if (hrp === "age1tag" || hrp === "age1tagpq") throw new UsageError("tagged recipients (age1tag1…, age1tagpq1…) are not supported");
  if (opts.pluginRecipient) return opts.pluginRecipient(s);
  throw new UsageError("plugin recipients (age1<name>1…) are not supported here: they need age-rt/node or the CLI");
}

/** Parses several recipient strings (Recipient objects pass through); errors name the (1-based) position. */
export function parseRecipients(list: readonly (string | Recipient)[]): Recipient[] {
  if (!Array.isArray(list)) throw new UsageError("recipients must be an array of strings (age1…) or Recipient objects");
  return list.map((s, i) => withContext(`recipient #${i + 1}`, () => (isRecipient(s) ? s : parseRecipient(s as string))));
}

function isRecipient(x: unknown): x is Recipient {
  return typeof x === "object" && x !== null && typeof (x as Recipient).wrapFileKey === "function";
}

/** Parses several identity strings (Identity objects pass through); errors name the (1-based) position. */
export function parseIdentities(list: readonly (string | Identity)[]): Identity[] {
  if (!Array.isArray(list)) throw new UsageError("identities must be an array of strings (AGE-SECRET-KEY-1…) or Identity objects");
  return list.map((s, i) => withContext(`identity #${i + 1}`, () => (isIdentity(s) ? s : parseIdentity(s as string))));
}

function isIdentity(x: unknown): x is Identity {
  return typeof x === "object" && x !== null && typeof (x as Identity).unwrapFileKey === "function";
}

/**
 * The non-empty, non-comment lines of a recipients or identities file, as
 * age reads them (`-R` / `-i` files, age-keygen output): a line starting with
 * "#" is a comment, empty lines are skipped, a trailing CR is dropped.
 * Returns [line number, text] pairs so callers can say where a key is bad.
 */
export function keyFileLines(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.endsWith("\r") ? lines[i]!.slice(0, -1) : lines[i]!;
    if (line === "" || line.startsWith("#")) continue;
    out.push([i + 1, line]);
  }
  return out;
}

/** Parses an identities file (age-keygen output). Errors name the line. */
export function parseIdentityFile(text: string, opts: KeyParseOptions = {}): Identity[] {
  const ids = keyFileLines(text).map(([n, line]) => withContext(`line ${n}`, () => parseIdentity(line, opts)));
  if (ids.length === 0) throw new UsageError("no identities found in the identity file");
  return ids;
}

/** Longest line of a recipients file (sshd(8)'s limit for authorized_keys lines, as Go age has it). */
export const RECIPIENT_LINE_LIMIT = 8 << 10;

export interface RecipientsFileOptions extends KeyParseOptions {
  /**
   * Told about SSH public keys that are well-formed but of a type age does
   * not encrypt to (ecdsa, sk-…, ssh-rsa under 2048 bits): they are skipped,
   * as Go age skips them, so one file can serve as authorized_keys too.
   */
  onSkippedSshKey?: (line: number, type: string) => void;
}

/**
 * Parses a recipients file as Go age reads it: one recipient per line
 * (`age1…`, or an SSH public key in authorized_keys form), `#` comments and
 * empty lines skipped, lines up to 8 KiB. Errors name the line.
 */
export function parseRecipientsFile(text: string, opts: RecipientsFileOptions = {}): Recipient[] {
  const rs: Recipient[] = [];
  for (const [n, line] of keyFileLines(text)) {
    if (line.length > RECIPIENT_LINE_LIMIT) throw new UsageError(`line ${n} is too long (more than ${RECIPIENT_LINE_LIMIT} bytes)`);
    try {
      rs.push(parseRecipient(line, opts));
    } catch (e) {
      const type = e instanceof UsageError ? wellFormedSshKeyType(line) : null;
      if (type === null) throw withLine(n, e);
      opts.onSkippedSshKey?.(n, type);
    }
  }
  if (rs.length === 0) throw new UsageError("no recipients found in the recipients file");
  return rs;
}

/** The type of a line that is a well-formed SSH public key (whatever its type), else null. */
function wellFormedSshKeyType(line: string): string | null {
  try {
    return parseAuthorizedKey(line).type;
  } catch {
    return null;
  }
}

function withLine(n: number, e: unknown): unknown {
  return e instanceof UsageError ? new UsageError(`line ${n}: ${e.message}`, { cause: e }) : e;
}

/** The key-related part of the decoders' options (API.md DecoderOptions). */
export interface IdentityOptions extends ScryptOptions {
  passphrase?: string | readonly string[];
  /** `AGE-SECRET-KEY-1…` strings. */
  identities?: readonly string[];
  /** Refuse scrypt stanzas above this log2 N (default 22). */
  maxWorkFactor?: number;
}

/**
 * The identities a decoder tries, in order: the X25519 identities (cheap),
 * then one scrypt identity for all the distinct passphrases (each derived at
 * most once per header). Throws UsageError when there is nothing to try.
 */
export function identitiesFromOptions(opts: IdentityOptions): Identity[] {
  const out: Identity[] = parseIdentities(opts.identities ?? []);
  const pass = opts.passphrase;
  if (pass !== undefined && (typeof pass === "string" || pass.length > 0)) {
    out.push(new ScryptIdentity(pass, { maxWorkFactor: opts.maxWorkFactor, onProgress: opts.onProgress }));
  } else if (opts.maxWorkFactor !== undefined) {
    assertWorkFactor("maxWorkFactor", opts.maxWorkFactor); // a typo surfaces now, not on a later file
  }
  if (out.length === 0) throw new UsageError("a passphrase or at least one identity is required to decrypt");
  return out;
}

function withContext<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`${where}: ${e.message}`, { cause: e });
    throw e;
  }
}
