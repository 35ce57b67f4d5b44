import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient as typageIdentityToRecipient } from "age-encryption";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HeaderParseError, UsageError } from "../src/errors.js";
import { decodeBase64, encodeBase64 } from "../src/format/base64.js";
import type { Stanza } from "../src/format/stanza.js";
import { generateIdentity, identityToRecipient, parseIdentity, parseRecipient } from "../src/recipients/keys.js";
import { X25519Identity, X25519Recipient } from "../src/recipients/x25519.js";
import { loadVectors } from "./helpers/cctv.js";
import { stanzasOf } from "./helpers/stanzas.js";
import { fromTypageStanzas, toTypageRecipient } from "./helpers/typage.js";

const fileKey = () => crypto.getRandomValues(new Uint8Array(16));
const grease: Stanza = { type: "grease-x", args: ["a", "b"], body: new Uint8Array(7) };

// age v1 spec, "The X25519 recipient type".
const SPEC_IDENTITY = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
const SPEC_RECIPIENT = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
// A low-order Curve25519 point (order 8), from the CCTV vector x25519_low_order.
const LOW_ORDER = "X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEdc";

function withShare(s: Stanza, share: string): Stanza {
  return { ...s, args: [share] };
}

describe("X25519 wrap/unwrap", () => {
  const id = X25519Identity.generate();
  const wrapped = () => {
    const fk = fileKey();
    return { fk, stanza: id.recipient().wrapFileKey(fk)[0]! };
  };

  it("round-trips, with a fresh ephemeral share every time", () => {
    const fk = fileKey();
    const [a] = id.recipient().wrapFileKey(fk);
    const [b] = id.recipient().wrapFileKey(fk);
    expect(a!.type).toBe("X25519");
    expect(a!.args).toHaveLength(1);
    expect(decodeBase64(a!.args[0]!)).toHaveLength(32);
    expect(a!.body).toHaveLength(32);
    expect(a!.args[0]).not.toBe(b!.args[0]);
    expect(id.unwrapFileKey([a!])).toEqual(fk);
    expect(id.unwrapFileKey([b!])).toEqual(fk);
  });

  it("finds its stanza among others, ignoring other types", () => {
    const { fk, stanza } = wrapped();
    const other = X25519Identity.generate().recipient().wrapFileKey(fileKey())[0]!;
    expect(id.unwrapFileKey([grease, other, stanza, grease])).toEqual(fk);
    expect(id.unwrapFileKey([{ ...stanza, type: "x25519" }])).toBeNull(); // types are case-sensitive
    expect(id.unwrapFileKey([])).toBeNull();
  });

  it("returns null for a stanza wrapped to a different identity", () => {
    const other = X25519Identity.generate().recipient().wrapFileKey(fileKey());
    expect(id.unwrapFileKey(other)).toBeNull();
  });

  it("returns null when the tag does not verify", () => {
    const { stanza } = wrapped();
    const body = stanza.body.slice();
    body[31]! ^= 1;
    expect(id.unwrapFileKey([{ ...stanza, body }])).toBeNull();
  });

  it.each<[string, (s: Stanza) => Stanza]>([
    ["no argument", (s) => ({ ...s, args: [] })],
    ["2 arguments", (s) => ({ ...s, args: [s.args[0]!, "1234"] })],
    ["non-canonical base64 share", (s) => withShare(s, s.args[0]!.slice(0, -1) + String.fromCharCode(s.args[0]!.charCodeAt(42) ^ 1))],
    ["padded base64 share", (s) => withShare(s, encodeBase64(decodeBase64(s.args[0]!)!, true))],
    ["31-byte share", (s) => withShare(s, encodeBase64(decodeBase64(s.args[0]!)!.subarray(0, 31)))],
    ["33-byte share", (s) => withShare(s, encodeBase64(Uint8Array.from([...decodeBase64(s.args[0]!)!, 0])))],
    ["33-byte body", (s) => ({ ...s, body: Uint8Array.from([...s.body, 0]) })],
    ["31-byte body", (s) => ({ ...s, body: s.body.subarray(0, 31) })],
    ["48-byte body (a longer file key)", (s) => ({ ...s, body: new Uint8Array(48) })],
    ["low-order share (all-zero shared secret)", (s) => withShare(s, LOW_ORDER)],
    ["zero share (all-zero shared secret)", (s) => withShare(s, encodeBase64(new Uint8Array(32)))],
  ])("throws HeaderParseError for a %s", (_, mangle) => {
    const { stanza } = wrapped();
    const bad = mangle(stanza);
    expect(() => id.unwrapFileKey([bad])).toThrow(HeaderParseError);
    // A malformed X25519 stanza is an error even if a later one would open.
    expect(() => id.unwrapFileKey([bad, stanza])).toThrow(HeaderParseError);
  });

  it("says which stanza is malformed", () => {
    const { stanza } = wrapped();
    expect(() => id.unwrapFileKey([grease, { ...stanza, args: [] }])).toThrow(/X25519 stanza \(#2\): expected 1 argument, got 0/);
  });

  it("refuses to wrap to a low-order point or a file key that is not 16 bytes", () => {
    expect(() => new X25519Recipient(decodeBase64(LOW_ORDER)!).wrapFileKey(fileKey())).toThrow(UsageError);
    expect(() => id.recipient().wrapFileKey(new Uint8Array(15))).toThrow(UsageError);
    expect(() => new X25519Recipient(new Uint8Array(31))).toThrow(UsageError);
    expect(() => new X25519Identity(new Uint8Array(33))).toThrow(UsageError);
  });
});

describe("X25519 keys", () => {
  it("generates uppercase identities whose recipients round-trip", () => {
    for (let i = 0; i < 5; i++) {
      const ident = generateIdentity();
      expect(ident).toMatch(/^AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}$/);
      const rcpt = identityToRecipient(ident);
      expect(rcpt).toMatch(/^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/);
      const fk = fileKey();
      expect(parseIdentity(ident).unwrapFileKey(parseRecipient(rcpt).wrapFileKey(fk) as Stanza[])).toEqual(fk); // X25519 answers synchronously
      expect(X25519Identity.fromString(ident).encode()).toBe(ident);
      expect(X25519Recipient.fromString(rcpt).encode()).toBe(rcpt);
    }
  });

  it("maps the spec's example identity to the spec's example recipient", () => {
    expect(identityToRecipient(SPEC_IDENTITY)).toBe(SPEC_RECIPIENT);
  });

  it("agrees with typage's identityToRecipient on generated and CCTV identities", async () => {
    const ids = [
      ...Array.from({ length: 5 }, () => generateIdentity()),
      ...(await Promise.all(Array.from({ length: 5 }, () => generateX25519Identity()))),
      ...new Set(loadVectors().flatMap((v) => v.identities).filter((s) => s.startsWith("AGE-SECRET-KEY-1"))),
    ];
    for (const ident of ids) expect(identityToRecipient(ident)).toBe(await typageIdentityToRecipient(ident));
  });
});

describe("X25519 interoperability with typage", () => {
  const plaintext = new TextEncoder().encode("interop check\n");

  it("typage encrypts to our recipient string; our identity unwraps inside typage's decrypter", async () => {
    const ident = generateIdentity();
    const e = new Encrypter();
    e.addRecipient(identityToRecipient(ident));
    const file = await e.encrypt(plaintext);
    const d = new Decrypter();
    const ours = parseIdentity(ident);
    let calls = 0;
    d.addIdentity({ unwrapFileKey: (stanzas) => (calls++, ours.unwrapFileKey(fromTypageStanzas(stanzas))) });
    expect(await d.decrypt(file)).toEqual(plaintext);
    expect(calls).toBe(1);
  });

  it("our recipient wraps inside typage's encrypter; typage decrypts with the identity string", async () => {
    const ident = await generateX25519Identity();
    const e = new Encrypter();
    e.addRecipient(toTypageRecipient(parseRecipient(await typageIdentityToRecipient(ident))));
    const file = await e.encrypt(plaintext);
    const d = new Decrypter();
    d.addIdentity(ident);
    expect(await d.decrypt(file)).toEqual(plaintext);
  });
});

describe("X25519 CCTV vectors (header parsed by typage, stanzas unwrapped by us)", () => {
  // Stanza-level outcomes only: vectors whose failure is in the header syntax
  // (e.g. a non-canonical body) are typage's to reject before we are called.
  const vectors = loadVectors().filter(
    (v) => /^x25519/.test(v.name) && !v.armored && v.identities.every((s) => s.startsWith("AGE-SECRET-KEY-1")) && v.passphrases.length === 0,
  );

  it("covers the x25519 vectors", () => {
    expect(vectors.map((v) => v.name)).toEqual(expect.arrayContaining(["x25519", "x25519_low_order", "x25519_identity", "x25519_no_match", "x25519_short_share"]));
  });

  it.each(vectors.map((v) => [v.name, v] as const))("%s", async (_, v) => {
    const outcomes: Array<Uint8Array | null | Error> = [];
    const d = new Decrypter();
    for (const s of v.identities) {
      const ours = parseIdentity(s);
      d.addIdentity({
        unwrapFileKey: (stanzas) => {
          try {
            const r = ours.unwrapFileKey(fromTypageStanzas(stanzas)) as Uint8Array | null; // X25519 answers synchronously
            outcomes.push(r);
            return r;
          } catch (e) {
            outcomes.push(e as Error);
            throw e;
          }
        },
      });
    }
    let plaintext: Uint8Array | null = null;
    try {
      plaintext = await d.decrypt(v.body);
    } catch {
      // judged by the outcomes below
    }
    switch (v.expect) {
      case "success":
        expect(outcomes.some((o) => o instanceof Uint8Array && Buffer.from(o).equals(Buffer.from(v.fileKey!)))).toBe(true);
        expect(createHash("sha256").update(plaintext!).digest("hex")).toBe(v.payloadHash);
        break;
      case "no match":
        expect(outcomes.length).toBeGreaterThan(0);
        expect(outcomes.every((o) => o === null)).toBe(true);
        break;
      case "header failure":
        // Either typage's header parser refused it, or we did, with the right error.
        if (outcomes.length > 0) expect(outcomes.at(-1)).toBeInstanceOf(HeaderParseError);
        break;
      default:
        // HMAC or payload failures: our part, unwrapping the file key, succeeded.
        expect(outcomes.at(-1)).toEqual(v.fileKey);
    }
  });

  it("rejects every stanza-level malformation itself", () => {
    // These reach the identity in any conforming parser; check we throw.
    const names = ["x25519_extra_argument", "x25519_identity", "x25519_long_file_key", "x25519_long_share", "x25519_low_order", "x25519_not_canonical_share", "x25519_short_share"];
    for (const name of names) {
      const v = vectors.find((x) => x.name === name)!;
      expect(v.expect, name).toBe("header failure");
      const stanzas = stanzasOf(v.body);
      expect(() => parseIdentity(v.identities[0]!).unwrapFileKey(stanzas), name).toThrow(HeaderParseError);
    }
  });
});
