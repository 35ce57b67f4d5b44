// Key strings to Recipient / Identity objects, and key generation: the glue
// between user input (recipient and identity strings, SSH public keys and
// OpenSSH private keys, passphrases, key files, or Recipient / Identity
// objects of the caller's) and the recipient types. Encodings per C2SP
// age.md "Native recipient types" and age v1 "SSH recipients"; plugins are
// recognised here, and run by age-rt/node and the CLI (KeyParseOptions).
//
// Key strings may be all-lowercase or all-uppercase, as Bech32 allows (the
// checksum covers both); we always write recipients lowercase and identities
// uppercase. Error messages never contain the key string: a secret key pasted
// where a recipient belongs must not end up in logs.
import { UsageError } from "../errors.js";
import { DEFAULT_MAX_LENGTH, decode as decodeBech32 } from "../format/bech32.js";
import { HybridIdentity, HybridRecipient } from "./hybrid.js";
import { ScryptIdentity, assertWorkFactor } from "./scrypt.js";
import { TagRecipient } from "./tag.js";
import type { ScryptOptions } from "../crypto/backend.js";
import type { RsaOaepBackend } from "../crypto/rsa-oaep.js";
import { parseAuthorizedKey } from "../format/ssh-wire.js";
import { withModule } from "./stanza-modules.js";
import { isThenable, type Identity, type Recipient } from "./types.js";
import { X25519Identity, X25519Recipient } from "./x25519.js";

/** A new X25519 identity, `AGE-SECRET-KEY-1…` (uppercase). */
export function generateIdentity(): string {
  return X25519Identity.generate().encode();
}

/** A new post-quantum hybrid (ML-KEM-768 + X25519) identity, `AGE-SECRET-KEY-PQ-1…` (uppercase). */
export function generateHybridIdentity(): string {
  return HybridIdentity.generate().encode();
}

/**
 * The recipient of an identity: `age1…` for `AGE-SECRET-KEY-1…`, `age1pq1…`
 * for `AGE-SECRET-KEY-PQ-1…`, `ssh-ed25519 …` / `ssh-rsa …` for an OpenSSH
 * private key (read from its public part: an encrypted key needs no
 * passphrase). Throws UsageError. In the ESM browser bundle, a post-quantum
 * identity needs `await ready({ postQuantum: true })` first (its code is
 * fetched on first use).
 */
export function identityToRecipient(identity: string): string {
  if (typeof identity === "string" && isPemPrivateKey(identity)) {
    const line = withModule("ssh", (m) => m.sshPublicKeyOfPem(identity));
    if (isThenable(line)) {
      line.then(undefined, () => undefined);
      throw new UsageError("the SSH code is not loaded yet in this bundle: await ready({ ssh: true }) first");
    }
    return line;
  }
  const id = parseNativeIdentity(identity);
  const recipient = id.recipient();
  if (isThenable(recipient)) {
    throw new UsageError("the post-quantum code is not loaded yet in this bundle: await ready({ postQuantum: true }) first");
  }
  return recipient.encode();
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

/** Whether `text` is a PEM private key (any kind): an SSH identity, not a key string. */
export function isPemPrivateKey(text: string): boolean {
  return /^\s*-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text);
}

/**
 * An `ssh-ed25519 …` or `ssh-rsa …` public key line. Throws UsageError
 * (where the SSH code is still to be fetched, the ESM browser bundle, a
 * malformed key surfaces from wrapFileKey instead).
 */
export function parseSshRecipient(s: string, rsa?: RsaOaepBackend): Recipient {
  const r = withModule("ssh", (m) => m.sshRecipientFromLine(s, rsa));
  if (!isThenable(r)) return r;
  r.then(undefined, () => undefined); // its failure is reported by wrapFileKey
  return { wrapFileKey: (fileKey) => r.then((x) => x.wrapFileKey(fileKey)) };
}

/** The identity of an unencrypted OpenSSH private key (lazily loaded like parseSshRecipient). */
function parseSshIdentity(pem: string, rsa?: RsaOaepBackend): Identity {
  const id = withModule("ssh", (m) => m.sshIdentityFromPem(pem, rsa));
  if (!isThenable(id)) return id;
  id.then(undefined, () => undefined); // its failure is reported by unwrapFileKey
  return { unwrapFileKey: (stanzas) => id.then((x) => x.unwrapFileKey(stanzas)) };
}

function parseNativeIdentity(s: string): X25519Identity | HybridIdentity {
  if (typeof s !== "string") throw new UsageError("identity must be a string");
  const kind = identityKind(s);
  if (kind === "x25519") return X25519Identity.fromString(s);
  if (kind === "hybrid") return HybridIdentity.fromString(s);
  throw new UsageError(unsupportedIdentity(kind));
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
    case "plugin": return "plugin identities (AGE-PLUGIN-…) are not supported here: use PluginIdentity from age-rt/node";
    case "recipient": return "expected an identity (AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…), got a recipient (age1…)";
    default: return "invalid identity: expected AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1…";
  }
}

/**
 * Parses an `AGE-SECRET-KEY-1…` or `AGE-SECRET-KEY-PQ-1…` identity string,
 * or the PEM text of an unencrypted OpenSSH private key (ssh-ed25519,
 * ssh-rsa); `AGE-PLUGIN-…` with `opts.pluginIdentity`. Throws UsageError.
 */
export function parseIdentity(s: string, opts: KeyParseOptions = {}): Identity {
  if (typeof s === "string" && isPemPrivateKey(s)) return parseSshIdentity(s, opts.rsa);
  if (typeof s === "string" && opts.pluginIdentity && /^AGE-PLUGIN-/i.test(s)) return opts.pluginIdentity(s);
  return parseNativeIdentity(s);
}

/**
 * Parses a recipient string: `age1…` (X25519), `age1pq1…` (post-quantum),
 * `age1tag1…` / `age1tagpq1…` (hardware keys, encrypt only). Throws
 * UsageError, naming unsupported kinds (plugin, SSH) as such.
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
  if (hrp === "age1pq") return HybridRecipient.fromString(s);
  if (hrp === "age1tag" || hrp === "age1tagpq") return TagRecipient.fromString(s);
  if (opts.pluginRecipient) return opts.pluginRecipient(s);
  throw new UsageError("plugin recipients (age1<name>1…) are not supported here: they need age-rt/node or the CLI");
}

/** Strings and the caller's own Recipient objects; errors name the (1-based) position. */
export function parseRecipients(list: readonly (string | Recipient)[]): Recipient[] {
  if (!Array.isArray(list)) throw new UsageError("recipients must be an array of recipient strings (age1…) or Recipient objects");
  return list.map((r, i) => withContext(`recipient #${i + 1}`, () => (typeof r === "string" ? parseRecipient(r) : asObject(r, "wrapFileKey", "a Recipient"))));
}

/** Strings and the caller's own Identity objects; errors name the (1-based) position. */
export function parseIdentities(list: readonly (string | Identity)[]): Identity[] {
  if (!Array.isArray(list)) throw new UsageError("identities must be an array of identity strings (AGE-SECRET-KEY-1…) or Identity objects");
  return list.map((id, i) => withContext(`identity #${i + 1}`, () => (typeof id === "string" ? parseIdentity(id) : asObject(id, "unwrapFileKey", "an Identity"))));
}

function asObject<T>(value: T, method: string, what: string): T {
  if (typeof (value as Record<string, unknown> | null)?.[method] !== "function") {
    throw new UsageError(`expected a string or ${what} object (with a ${method}() method), got ${value === null ? "null" : typeof value}`);
  }
  return value;
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
  /** Identity strings or objects. */
  identities?: readonly (string | Identity)[];
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
