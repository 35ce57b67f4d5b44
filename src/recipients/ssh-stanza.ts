// The SSH recipient types' code as one module (age v1 "SSH recipients"):
// public key lines, OpenSSH private keys, ssh-ed25519 and ssh-rsa. The light
// side (keys.ts) reaches it through stanza-modules.ts, so the ESM browser
// bundle can fetch it as a file of its own (age-rt-ssh.js) the first time an
// SSH key is used; Node and bundlers get it with the rest.
import { type RsaOaepBackend, webCryptoRsaOaep } from "../crypto/rsa-oaep.js";
import { UsageError } from "../errors.js";
import { formatAuthorizedKey, parseAuthorizedKey } from "../format/ssh-wire.js";
import { SSH_ED25519, SshEd25519Recipient } from "./ssh-ed25519.js";
import { parseOpenSshKeyFile, plainSshIdentity } from "./ssh-private-key.js";
import { SSH_RSA, SshRsaRecipient } from "./ssh-rsa.js";
import type { Identity, Recipient } from "./types.js";

/** An `ssh-ed25519 …` or `ssh-rsa …` public key line. Throws UsageError. */
export function sshRecipientFromLine(line: string, rsa: RsaOaepBackend = webCryptoRsaOaep): Recipient {
  const { type, blob } = parseAuthorizedKey(line);
  if (type === SSH_ED25519) return new SshEd25519Recipient(blob);
  if (type === SSH_RSA) return new SshRsaRecipient(blob, rsa);
  throw new UsageError(`unsupported SSH key type ${JSON.stringify(type.slice(0, 40))}: age encrypts to ssh-ed25519 and ssh-rsa keys`);
}

/** The identity of an unencrypted OpenSSH private key (PEM text). Throws UsageError. */
export function sshIdentityFromPem(pem: string, rsa: RsaOaepBackend = webCryptoRsaOaep): Identity {
  return plainSshIdentity(parseOpenSshKeyFile(pem), rsa);
}

/** The `ssh-… AAAA…` public key of an OpenSSH private key, from its clear part (no passphrase needed). */
export function sshPublicKeyOfPem(pem: string): string {
  return formatAuthorizedKey(parseOpenSshKeyFile(pem).publicBlob);
}
