// Identity files (-i) and recipients files (-R), read from a path or "-"
// (standard input), as Go age reads them:
// - recipients files: one recipient per line (age1…, SSH public keys), "#"
//   comments and empty lines skipped, lines up to 8 KiB; well-formed SSH keys
//   of types age cannot use are skipped with a warning;
// - identity files: age-keygen output (AGE-SECRET-KEY-1… lines), an OpenSSH
//   private key (plain, or encrypted: its passphrase asked only when a file
//   has a stanza for the key), or a passphrase-encrypted identity file (a
//   binary or armored age file whose plaintext is an identity file).
// Errors name the file and the line, never a key.
import { readFileSync, writeSync } from "node:fs";
import { AgeAutoDecoder } from "../decoder/auto-decoder.js";
import { UsageError } from "../errors.js";
import { isArmorStart } from "../format/armor.js";
import { decodeBytes } from "../io/iterators.js";
import { PluginIdentity, PluginRecipient } from "../node/plugin.js";
import { nodeRsaOaep } from "../node/rsa-oaep.js";
import type { KeyParseOptions } from "../recipients/keys.js";
import { cliPluginOptions } from "./plugin-ui.js";
import { identityToRecipient, isPemPrivateKey, keyFileLines, parseIdentityFile, parseRecipient, parseRecipientsFile } from "../recipients/keys.js";
import { formatAuthorizedKey } from "../format/ssh-wire.js";
import { parseOpenSshKeyFile, plainSshIdentity, stanzasNeedKey } from "../recipients/ssh-private-key.js";
import type { Identity, Recipient } from "../recipients/types.js";
import type { Stanza } from "../format/stanza.js";
import { CliError, fileError } from "./fail.js";
import { claimStdin } from "./stdin.js";
import { loadAllModules } from "./stanza-modules.js";
import { readSecret } from "./terminal.js";

/** How the CLI parses keys: ssh-rsa with node:crypto, plugins run with the terminal as their UI. */
const KEYS: KeyParseOptions = {
  rsa: nodeRsaOaep,
  pluginRecipient: (s) => new PluginRecipient(s, cliPluginOptions()),
  pluginIdentity: (s) => new PluginIdentity(s, cliPluginOptions()),
};

/** Key files larger than this are refused (as Go age does), so a wrong path cannot eat memory. */
const KEY_FILE_LIMIT = 16 << 20;

/** The bytes of a key file at `path` ("-": standard input), at most KEY_FILE_LIMIT; `what` names it in errors. */
export function readKeyFileBytes(path: string, what: string): Buffer {
  let bytes: Buffer;
  try {
    if (path === "-") {
      claimStdin(what);
      bytes = readFileSync(0);
    } else {
      bytes = readFileSync(path);
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw fileError(`failed to read ${what}`, path, e);
  }
  if (bytes.length >= KEY_FILE_LIMIT) throw new CliError(`failed to read ${what} "${path}": file too long`);
  return bytes;
}

/** The recipients in a recipients file (parsed, ssh-rsa through node:crypto). */
export function readRecipientsFile(path: string): Recipient[] {
  const text = readKeyFileBytes(path, "recipients file").toString("utf8");
  try {
    return parseRecipientsFile(text, {
      ...KEYS,
      onSkippedSshKey: (line, type) => writeSync(2, `age-rt: warning: recipients file "${path}": ignoring unsupported SSH key of type ${JSON.stringify(type)} at line ${line}\n`),
    });
  } catch (e) {
    if (e instanceof UsageError) throw new CliError(`malformed recipients file "${path}": ${e.message}`);
    throw e;
  }
}

/** A -r recipient string, parsed (ssh-rsa through node:crypto). */
export function parseRecipientFlag(s: string): Recipient {
  return parseRecipient(s, KEYS);
}

/**
 * An identity whose key needs a passphrase first. `needs` says whether a
 * header's stanzas make it worth asking; `unlock` asks (on the terminal)
 * and gives the identities; `recipients` gives the public keys.
 */
export interface LockedIdentity {
  readonly locked: true;
  readonly path: string;
  needs(stanzas: readonly Stanza[]): boolean;
  unlock(): Promise<Identity[]>;
  recipients(): Promise<Recipient[]>;
}

export type CliIdentity = Identity | LockedIdentity;

export function isLocked(id: CliIdentity): id is LockedIdentity {
  return (id as LockedIdentity).locked === true;
}

/** The identities of an identity file; encrypted ones come locked. */
export function readIdentityFile(path: string): CliIdentity[] {
  const bytes = readKeyFileBytes(path, "identity file");
  const head = bytes.subarray(0, 64).toString("latin1");
  if (head.startsWith("age-encryption.org/") || isArmorStart(bytes.subarray(0, 64))) return [encryptedIdentityFile(path, bytes)];
  const text = bytes.toString("utf8");
  if (isPemPrivateKey(text)) return [sshKeyFile(path, text)];
  try {
    return parseIdentityFile(text, KEYS);
  } catch (e) {
    if (e instanceof UsageError) throw new CliError(`malformed identity file "${path}": ${e.message}`);
    throw e;
  }
}

function sshKeyFile(path: string, text: string): CliIdentity {
  try {
    const file = parseOpenSshKeyFile(text);
    if (file.cipher === "none") return plainSshIdentity(file, nodeRsaOaep);
    return {
      locked: true,
      path,
      needs: (stanzas) => stanzasNeedKey(file, stanzas),
      unlock: async () => {
        const pass = await askPassphrase(`Enter passphrase for "${path}":`);
        // Its ciphers (AES, bcrypt-pbkdf: ~70 kB of code) are loaded only now, not at every start.
        const { decryptSshIdentity } = await import("../recipients/ssh-encrypted-key.js");
        try {
          return [decryptSshIdentity(file, pass, nodeRsaOaep)];
        } catch (e) {
          if (e instanceof UsageError) throw new CliError(`SSH key "${path}": ${e.message}`);
          throw e;
        }
      },
      recipients: async () => [parseRecipient(formatAuthorizedKey(file.publicBlob), KEYS)],
    };
  } catch (e) {
    if (e instanceof UsageError) throw new CliError(`malformed SSH identity in "${path}": ${e.message}`);
    throw e;
  }
}

async function askPassphrase(prompt: string): Promise<string> {
  const pass = await readSecret(prompt);
  if (pass === "") throw new CliError("empty passphrase");
  return pass;
}

/**
 * A passphrase-encrypted identity file: its plaintext (at most the key-file
 * limit) is an identity file of native keys. Asked for whenever a file is
 * decrypted with it, as Go age does (its stanzas say nothing about which
 * keys are inside).
 */
function encryptedIdentityFile(path: string, bytes: Uint8Array): LockedIdentity {
  let text: string | null = null;
  const open = async (): Promise<string> => {
    if (text !== null) return text;
    const pass = await askPassphrase(`Enter passphrase for identity file "${path}":`);
    const parts: Uint8Array[] = [];
    try {
      for (const c of decodeBytes(bytes, new AgeAutoDecoder({ passphrase: pass }))) parts.push(c.slice());
    } catch (e) {
      if (e instanceof UsageError || (e as Error).name === "NoIdentityMatchError") throw new CliError(`identity file "${path}": incorrect passphrase`);
      throw new CliError(`identity file "${path}": ${(e as Error).message}`);
    }
    text = Buffer.concat(parts).toString("utf8");
    for (const p of parts) p.fill(0);
    return text;
  };
  const parse = (t: string) => {
    try {
      return parseIdentityFile(t, KEYS);
    } catch (e) {
      if (e instanceof UsageError) throw new CliError(`malformed encrypted identity file "${path}": ${e.message}`);
      throw e;
    }
  };
  return {
    locked: true,
    path,
    needs: () => true,
    unlock: async () => parse(await open()),
    recipients: async () => {
      const t = await open();
      parse(t);
      return keyFileLines(t).map(([, line]) => recipientOfIdentityLine(line));
    },
  };
}

/** The recipients of identity files (for -e -i): public keys need no passphrase, encrypted identity files do. */
export async function identityFileRecipients(path: string): Promise<Recipient[]> {
  const out: Recipient[] = [];
  await loadAllModules(); // identityToRecipient answers at once only with the key types' code loaded
  const bytes = readKeyFileBytes(path, "identity file");
  const text = bytes.toString("utf8");
  const head = bytes.subarray(0, 64).toString("latin1");
  if (head.startsWith("age-encryption.org/") || isArmorStart(bytes.subarray(0, 64))) return encryptedIdentityFile(path, bytes).recipients();
  try {
    if (isPemPrivateKey(text)) return [parseRecipient(identityToRecipient(text), KEYS)];
    parseIdentityFile(text, KEYS);
    for (const [, line] of keyFileLines(text)) out.push(recipientOfIdentityLine(line));
  } catch (e) {
    if (e instanceof UsageError) throw new CliError(`malformed identity file "${path}": ${e.message}`);
    throw e;
  }
  return out;
}

/** The recipient of one identity-file line: a plugin identity encrypts to itself through its plugin. */
function recipientOfIdentityLine(line: string): Recipient {
  if (/^AGE-PLUGIN-/i.test(line)) return new PluginIdentity(line, cliPluginOptions()).recipient();
  return parseRecipient(identityToRecipient(line), KEYS);
}

/**
 * The identities to decrypt a header with: the ready ones (plugins among
 * them, which the decoder awaits), and the locked ones that these stanzas
 * need, unlocked (asking for their passphrases).
 */
export async function identitiesFor(stanzas: readonly Stanza[] | null, ids: readonly (string | CliIdentity)[]): Promise<(string | Identity)[]> {
  const out: (string | Identity)[] = [];
  for (const id of ids) {
    if (typeof id === "string" || !isLocked(id)) out.push(id);
    else if (stanzas !== null && id.needs(stanzas)) out.push(...(await id.unlock()));
  }
  return out;
}
