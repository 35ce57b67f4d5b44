// An encrypted OpenSSH key as an identity that asks for its passphrase only
// when a header has a stanza for it (its type and tag, read from the key
// file's public part), then decrypts the key once and keeps it — Go age's
// agessh.EncryptedSSHIdentity. The passphrase callback may be asynchronous
// (a terminal prompt); then so is unwrapFileKey for headers that need it.
import type { RsaOaepBackend } from "../crypto/rsa-oaep.js";
import type { Stanza } from "../format/stanza.js";
import { decryptSshIdentity } from "./ssh-encrypted-key.js";
import { stanzasNeedKey, type OpenSshKeyFile } from "./ssh-private-key.js";
import type { Identity } from "./types.js";

export class EncryptedSshIdentity implements Identity {
  #identity: Identity | null = null;

  constructor(
    readonly file: OpenSshKeyFile,
    private readonly passphrase: () => string | Promise<string>,
    private readonly rsa?: RsaOaepBackend,
  ) {}

  /** Whether these stanzas need the key (and so its passphrase). */
  needs(stanzas: readonly Stanza[]): boolean {
    return this.#identity === null && stanzasNeedKey(this.file, stanzas);
  }

  /** Decrypts the key with `passphrase` now (throws UsageError when it is wrong). */
  unlock(passphrase: string): Identity {
    this.#identity ??= decryptSshIdentity(this.file, passphrase, this.rsa);
    return this.#identity;
  }

  unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null | Promise<Uint8Array | null> {
    if (this.#identity !== null) return this.#identity.unwrapFileKey(stanzas);
    if (!stanzasNeedKey(this.file, stanzas)) return null;
    const pass = this.passphrase();
    if (pass instanceof Promise) return pass.then((p) => this.unlock(p).unwrapFileKey(stanzas));
    return this.unlock(pass).unwrapFileKey(stanzas);
  }
}
