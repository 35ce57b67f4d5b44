// A header stanza (age v1 "Header"): `-> TYPE ARG…` then a base64 body.
// The header parser produces these; recipients make them, identities read them.

/** A header stanza, `-> TYPE ARG…` and its body: what a Recipient makes and an Identity reads. */
export interface Stanza {
  /** The first argument, e.g. "X25519" or "scrypt". */
  readonly type: string;
  /** The remaining arguments (arbitrary strings of VCHAR). */
  readonly args: readonly string[];
  /** The decoded body. */
  readonly body: Uint8Array;
}
