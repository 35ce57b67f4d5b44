// The tagged recipient types for hardware keys (C2SP age.md "The tagged
// recipient types"): `age1tag1…` (p256tag, a 33-byte compressed P-256
// point) and `age1tagpq1…` (mlkem768p256tag, an ML-KEM-768 key || an
// uncompressed P-256 point, 1249 bytes). Encrypt only, as in Go age and
// typage: their identities live in plugins. The stanza's cryptography is in
// tag-stanza.ts, reached through stanza-modules.ts.
import { aead } from "../crypto/aead.js";
import { encode as encodeBech32 } from "../format/bech32.js";
import type { Stanza } from "../format/stanza.js";
import { decodeKeyString } from "./key-string.js";
import { withModule } from "./stanza-modules.js";
import type { Recipient } from "./types.js";

/** Encrypts file keys to a hardware key's `age1tag1…` or `age1tagpq1…` recipient. */
export class TagRecipient implements Recipient {
  readonly #key: Uint8Array;
  readonly #hybrid: boolean;

  private constructor(hybrid: boolean, key: Uint8Array) {
    this.#hybrid = hybrid;
    this.#key = key;
  }

  /** Parses an `age1tag1…` or `age1tagpq1…` string. Throws UsageError. */
  static fromString(s: string): TagRecipient {
    const hybrid = typeof s === "string" && /^age1tagpq1/i.test(s);
    const key = hybrid
      ? decodeKeyString("post-quantum tagged recipient", s, "age1tagpq", 1184 + 65)
      : decodeKeyString("tagged recipient", s, "age1tag", 33);
    return new TagRecipient(hybrid, key);
  }

  /** Post-quantum (`age1tagpq1…`) recipients are never mixed with classic ones. */
  get postQuantum(): boolean {
    return this.#hybrid;
  }

  /** The recipient string. */
  encode(): string {
    return encodeBech32(this.#hybrid ? "age1tagpq" : "age1tag", this.#key);
  }

  wrapFileKey(fileKey: Uint8Array): Stanza[] | Promise<Stanza[]> {
    return withModule("tag", (m) => m.tagWrap(aead(), this.#hybrid ? "mlkem768p256tag" : "p256tag", this.#key, fileKey));
  }
}
