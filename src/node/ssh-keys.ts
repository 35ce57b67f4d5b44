// SSH recipients and identities for Node (age-rt/node): as the main entry's
// string forms, but with node:crypto doing ssh-rsa (synchronously, so the
// synchronous encoders and decoders take them), and with encrypted OpenSSH
// private keys, whose passphrase is asked for only when a header has a
// stanza for the key.
import { parseSshRecipient } from "../recipients/keys.js";
import { EncryptedSshIdentity } from "../recipients/ssh-lazy.js";
import { parseOpenSshKeyFile, plainSshIdentity } from "../recipients/ssh-private-key.js";
import type { Identity, Recipient } from "../recipients/types.js";
import { UsageError } from "../errors.js";
import { nodeRsaOaep } from "./rsa-oaep.js";

/** An `ssh-ed25519 …` or `ssh-rsa …` public key (authorized_keys form). Throws UsageError. */
export function sshRecipient(publicKey: string): Recipient {
  return parseSshRecipient(publicKey, nodeRsaOaep);
}

/** Options of sshIdentity(). */
export interface SshIdentityOptions {
  /**
   * The passphrase of an encrypted key, or a function giving it, called only
   * when a header has a stanza for the key (a function returning a Promise
   * makes such unwrapFileKey calls asynchronous).
   */
  passphrase?: string | (() => string | Promise<string>);
}

/** The identity of an OpenSSH private key (PEM text), encrypted or not. Throws UsageError. */
export function sshIdentity(pem: string, opts: SshIdentityOptions = {}): Identity {
  const file = parseOpenSshKeyFile(pem);
  if (file.cipher === "none") return plainSshIdentity(file, nodeRsaOaep);
  const pass = opts.passphrase;
  if (pass === undefined) throw new UsageError("the SSH private key is encrypted: pass its passphrase (opts.passphrase)");
  return new EncryptedSshIdentity(file, typeof pass === "function" ? pass : () => pass, nodeRsaOaep);
}
