// Passphrase-encrypted OpenSSH private keys (openssh PROTOCOL.key,
// sshkey.c): the private section is encrypted with a key and IV derived by
// bcrypt_pbkdf(passphrase, salt, rounds) (OpenBSD's bcrypt-pbkdf, through the
// npm package bcrypt-pbkdf) and AES in CTR, CBC or OpenSSH's GCM mode (the
// 16-byte tag follows the section). A wrong passphrase shows as a failed tag
// or as check numbers that differ.
import { cbc, ctr, gcm } from "@noble/ciphers/aes.js";
import bcrypt from "bcrypt-pbkdf";
import type { RsaOaepBackend } from "../crypto/rsa-oaep.js";
import { UsageError } from "../errors.js";
import { SshReader } from "../format/ssh-wire.js";
import { utf8Encode } from "../format/text.js";
import { identityFromPrivateSection, type OpenSshKeyFile } from "./ssh-private-key.js";
import type { Identity } from "./types.js";

/** ssh-keygen writes 16 (its -a default); this bounds the work a file can demand (~35 s). */
export const MAX_BCRYPT_ROUNDS = 1024;

interface Cipher {
  keyLen: number;
  ivLen: number;
  mode: "ctr" | "cbc" | "gcm";
}
const CIPHERS: Record<string, Cipher> = {
  "aes128-ctr": { keyLen: 16, ivLen: 16, mode: "ctr" },
  "aes192-ctr": { keyLen: 24, ivLen: 16, mode: "ctr" },
  "aes256-ctr": { keyLen: 32, ivLen: 16, mode: "ctr" },
  "aes128-cbc": { keyLen: 16, ivLen: 16, mode: "cbc" },
  "aes192-cbc": { keyLen: 24, ivLen: 16, mode: "cbc" },
  "aes256-cbc": { keyLen: 32, ivLen: 16, mode: "cbc" },
  "aes128-gcm@openssh.com": { keyLen: 16, ivLen: 12, mode: "gcm" },
  "aes256-gcm@openssh.com": { keyLen: 32, ivLen: 12, mode: "gcm" },
};

/**
 * The identity of an encrypted OpenSSH key, decrypted with `passphrase`.
 * Throws UsageError for a wrong passphrase ("incorrect passphrase") or an
 * unsupported cipher or KDF.
 */
export function decryptSshIdentity(file: OpenSshKeyFile, passphrase: string, rsa?: RsaOaepBackend): Identity {
  if (file.cipher === "none") throw new UsageError("the SSH private key is not encrypted");
  const c = CIPHERS[file.cipher];
  if (c === undefined) throw new UsageError(`unsupported SSH private key cipher ${JSON.stringify(file.cipher)}`);
  if (file.kdf !== "bcrypt") throw new UsageError(`unsupported SSH private key KDF ${JSON.stringify(file.kdf)}`);
  const opts = new SshReader(file.kdfOptions, "malformed SSH private key KDF options");
  const salt = opts.string();
  const rounds = opts.uint32();
  opts.end();
  if (rounds < 1 || rounds > MAX_BCRYPT_ROUNDS) throw new UsageError(`SSH private key: ${rounds} bcrypt rounds is outside 1..${MAX_BCRYPT_ROUNDS}`);
  if (salt.length === 0 || salt.length > 1024) throw new UsageError("SSH private key: invalid bcrypt salt");
  if (c.mode === "gcm" ? file.tag.length !== 16 : file.tag.length !== 0) throw new UsageError("malformed SSH private key: wrong trailing data for its cipher");
  if (file.privateSection.length % 16 !== 0 || file.privateSection.length === 0) throw new UsageError("malformed SSH private key: the encrypted section is not whole blocks");
  const pass = utf8Encode(passphrase);
  if (pass.length === 0) throw new UsageError("SSH private key: empty passphrase");
  const keyIv = new Uint8Array(c.keyLen + c.ivLen);
  try {
    if (bcrypt.pbkdf(pass, pass.length, salt, salt.length, keyIv, keyIv.length, rounds) !== 0) throw new UsageError("SSH private key: bcrypt-pbkdf refused its parameters");
    const key = keyIv.subarray(0, c.keyLen);
    const iv = keyIv.subarray(c.keyLen);
    let section: Uint8Array;
    if (c.mode === "gcm") {
      const sealed = new Uint8Array(file.privateSection.length + 16);
      sealed.set(file.privateSection);
      sealed.set(file.tag, file.privateSection.length);
      try {
        section = gcm(key, iv).decrypt(sealed);
      } catch {
        throw new UsageError("SSH private key: incorrect passphrase");
      }
    } else if (c.mode === "ctr") {
      section = ctr(key, iv).decrypt(file.privateSection);
    } else {
      section = cbc(key, iv, { disablePadding: true }).decrypt(file.privateSection);
    }
    return identityFromPrivateSection(file, section, rsa);
  } finally {
    keyIv.fill(0);
    pass.fill(0);
  }
}
