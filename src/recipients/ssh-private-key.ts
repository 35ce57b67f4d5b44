// OpenSSH private key files (openssh PROTOCOL.key, "openssh-key-v1"), the
// PEM text `ssh-keygen` writes: the public key in the clear, then a private
// section that is either plain or encrypted (bcrypt-pbkdf and AES, see
// ssh-encrypted-key.ts). Only what age uses is read: one ssh-ed25519 or
// ssh-rsa key. The public part is available without the passphrase, which is
// how an encrypted key's passphrase is asked for only when a file has a
// stanza for it (as Go age's agessh.EncryptedSSHIdentity does).
import type { RsaOaepBackend } from "../crypto/rsa-oaep.js";
import { rsaPrivateJwk, webCryptoRsaOaep } from "../crypto/rsa-oaep.js";
import { UsageError } from "../errors.js";
import { decodeBase64 } from "../format/base64.js";
import { SshReader } from "../format/ssh-wire.js";
import type { Stanza } from "../format/stanza.js";
import { asciiDecode } from "../format/text.js";
import { SSH_ED25519, SshEd25519Identity, ed25519KeyFromBlob, sshTag } from "./ssh-ed25519.js";
import { SSH_RSA, SshRsaIdentity, rsaKeyFromBlob } from "./ssh-rsa.js";
import type { Identity } from "./types.js";

const BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
const END = "-----END OPENSSH PRIVATE KEY-----";
const MAGIC = "openssh-key-v1\0";
/** A private key file bigger than this is not one (RSA-16384 is ~12 KiB). */
const MAX_PEM = 64 * 1024;

/** The parsed outer structure of an OpenSSH private key file. */
export interface OpenSshKeyFile {
  /** "ssh-ed25519" or "ssh-rsa". */
  readonly type: string;
  /** The public key's wire blob (from the unencrypted part). */
  readonly publicBlob: Uint8Array;
  readonly cipher: string;
  readonly kdf: string;
  readonly kdfOptions: Uint8Array;
  /** The private section, encrypted unless cipher is "none" (for AEAD ciphers, without the tag). */
  readonly privateSection: Uint8Array;
  /** The AEAD tag after the section (aes256-gcm@openssh.com), else empty. */
  readonly tag: Uint8Array;
}

/** Parses the PEM text of an OpenSSH private key. Throws UsageError, never quoting key material. */
export function parseOpenSshKeyFile(text: string): OpenSshKeyFile {
  if (text.length > MAX_PEM) throw new UsageError("SSH private key: the file is too large to be one");
  const t = text.trim();
  if (!t.startsWith(BEGIN)) {
    const kind = /^-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----/.exec(t)?.[1]?.trim();
    if (kind !== undefined) {
      throw new UsageError(`unsupported SSH private key format (${kind === "" ? "PKCS#8" : kind}): convert it to the OpenSSH format with "ssh-keygen -p -f FILE"`);
    }
    throw new UsageError("not an OpenSSH private key: expected " + BEGIN);
  }
  const endAt = t.indexOf(END);
  if (endAt < 0) throw new UsageError("SSH private key: missing " + END);
  if (t.slice(endAt + END.length).trim() !== "") throw new UsageError("SSH private key: data after the end line");
  const b64 = t.slice(BEGIN.length, endAt).replace(/[\r\n\t ]+/g, "");
  const raw = decodeBase64(b64, true);
  if (raw === null) throw new UsageError("SSH private key: invalid base64");
  const magic = asciiDecode(raw.subarray(0, MAGIC.length).map((b) => (b > 0x7e ? 0x3f : b)));
  if (magic !== MAGIC) throw new UsageError("SSH private key: not openssh-key-v1");
  const r = new SshReader(raw.subarray(MAGIC.length), "malformed SSH private key");
  const cipher = r.text();
  const kdf = r.text();
  const kdfOptions = r.string();
  const count = r.uint32();
  if (count !== 1) throw new UsageError(`SSH private key: the file holds ${count} keys; age uses files of one`);
  const publicBlob = r.string().slice();
  const privateSection = r.string().slice();
  const tag = r.rest().slice();
  const type = new SshReader(publicBlob, "malformed SSH public key").text();
  if (type !== SSH_ED25519 && type !== SSH_RSA) throw new UsageError(`unsupported SSH key type ${JSON.stringify(type)}: age uses ssh-ed25519 and ssh-rsa keys`);
  // Validates the public key now, so a bad file fails when read, not when used.
  if (type === SSH_ED25519) ed25519KeyFromBlob(publicBlob);
  else rsaKeyFromBlob(publicBlob);
  if (cipher === "none" && (kdf !== "none" || tag.length !== 0)) throw new UsageError("malformed SSH private key: unencrypted, but with a KDF or trailing data");
  return { type, publicBlob, cipher, kdf, kdfOptions, privateSection, tag };
}

/** Whether any stanza is for this key (its type and its tag): only then is an encrypted key's passphrase needed. */
export function stanzasNeedKey(file: OpenSshKeyFile, stanzas: readonly Stanza[]): boolean {
  const tag = sshTag(file.publicBlob);
  return stanzas.some((s) => s.type === file.type && s.args[0] === tag);
}

/**
 * The identity in a decrypted (or plain) private section: check integers,
 * the key (its public half must be the file's public key), a comment, and
 * the padding 1, 2, 3, … Throws UsageError.
 */
export function identityFromPrivateSection(file: OpenSshKeyFile, section: Uint8Array, rsa: RsaOaepBackend = webCryptoRsaOaep): Identity {
  const r = new SshReader(section, "malformed SSH private key");
  const check1 = r.uint32();
  const check2 = r.uint32();
  if (check1 !== check2) throw new UsageError("SSH private key: incorrect passphrase (the check numbers differ)");
  const type = r.text();
  if (type !== file.type) throw new UsageError(`malformed SSH private key: the private key is ${type}, the public key ${file.type}`);
  let identity: Identity;
  if (type === SSH_ED25519) {
    const pub = r.string();
    const priv = r.string();
    const filePub = ed25519KeyFromBlob(file.publicBlob);
    if (pub.length !== 32 || priv.length !== 64 || !equal(pub, filePub) || !equal(priv.subarray(32), pub)) {
      throw new UsageError("malformed SSH private key: the ssh-ed25519 key does not match its public key");
    }
    identity = new SshEd25519Identity(priv.subarray(0, 32), pub);
  } else {
    const n = r.mpint();
    const e = r.mpint();
    const d = r.mpint();
    const iqmp = r.mpint();
    const p = r.mpint();
    const q = r.mpint();
    const pub = rsaKeyFromBlob(file.publicBlob);
    if (n !== pub.n || e !== pub.e || p * q !== n || p < 2n || q < 2n) throw new UsageError("malformed SSH private key: the ssh-rsa key does not match its public key");
    identity = new SshRsaIdentity(pub, rsaPrivateJwk(n, e, d, iqmp, p, q), rsa);
  }
  r.string(); // the comment
  const pad = r.rest();
  if (pad.some((b, i) => b !== ((i + 1) & 0xff))) throw new UsageError("malformed SSH private key: bad padding");
  section.fill(0);
  return identity;
}

/** The identity of an unencrypted OpenSSH private key. */
export function plainSshIdentity(file: OpenSshKeyFile, rsa?: RsaOaepBackend): Identity {
  if (file.cipher !== "none") throw new UsageError("the SSH private key is encrypted: its passphrase is needed");
  return identityFromPrivateSection(file, file.privateSection.slice(), rsa);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
