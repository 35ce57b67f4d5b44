import { describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { encode as encodeBech32 } from "../src/format/bech32.js";
import {
  generateIdentity, identityToRecipient, keyFileLines, parseIdentities, parseIdentity, parseIdentityFile,
  parseRecipient, parseRecipients, parseRecipientsFile,
} from "../src/recipients/keys.js";
import { X25519Identity, X25519Recipient } from "../src/recipients/x25519.js";

const SPEC_IDENTITY = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
const SPEC_RECIPIENT = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
const HYBRID_IDENTITY = "AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG"; // from CCTV

/** Asserts f throws a UsageError matching `why` whose message does not contain the key material of `secret`. */
function usageError(f: () => unknown, why: RegExp, secret?: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toMatch(why);
  // Past any "AGE-SECRET-KEY-1" prefix: the part only the key's owner knows.
  if (secret) expect((err as Error).message.toUpperCase()).not.toContain(secret.slice(-30).toUpperCase());
}

describe("parseRecipient", () => {
  it("parses X25519 recipients, in either case", () => {
    expect(parseRecipient(SPEC_RECIPIENT)).toBeInstanceOf(X25519Recipient);
    expect((parseRecipient(SPEC_RECIPIENT.toUpperCase()) as X25519Recipient).encode()).toBe(SPEC_RECIPIENT);
  });

  it("explains what is wrong", () => {
    usageError(() => parseRecipient(""), /expected age1/);
    usageError(() => parseRecipient("age1"), /invalid recipient: Bech32/);
    usageError(() => parseRecipient(SPEC_RECIPIENT.slice(0, -1) + "q"), /checksum/);
    usageError(() => parseRecipient(SPEC_RECIPIENT.replace("age1z", "Age1z")), /mixed case/);
    usageError(() => parseRecipient(" " + SPEC_RECIPIENT), /expected age1/);
    usageError(() => parseRecipient(encodeBech32("age", new Uint8Array(31))), /32 bytes of key, got 31/);
    usageError(() => parseRecipient(encodeBech32("age1pq", new Uint8Array(1215))), /invalid post-quantum recipient: expected 1216 bytes/);
    usageError(() => parseRecipient(encodeBech32("age1tag", new Uint8Array(32))), /invalid tagged recipient: expected 33 bytes/);
    usageError(() => parseRecipient(encodeBech32("age1tagpq", new Uint8Array(33))), /invalid post-quantum tagged recipient: expected 1249 bytes/);
    usageError(() => parseRecipient(encodeBech32("age1yubikey", new Uint8Array(33))), /plugin/);
    usageError(() => parseRecipient("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFoo"), /malformed ssh-ed25519 key: truncated/);
  });

  it("refuses a secret key given as a recipient, without echoing it", () => {
    usageError(() => parseRecipient(SPEC_IDENTITY), /got an identity/, SPEC_IDENTITY);
    usageError(() => parseRecipient(SPEC_IDENTITY.toLowerCase()), /got an identity/, SPEC_IDENTITY.toLowerCase());
  });

  it("numbers errors in lists and files", () => {
    expect(parseRecipients([SPEC_RECIPIENT, SPEC_RECIPIENT])).toHaveLength(2);
    usageError(() => parseRecipients([SPEC_RECIPIENT, "nope"]), /^recipient #2: /);
    const file = `# team keys\r\n${SPEC_RECIPIENT}\r\n\r\n# bob\r\nage1nope\r\n`;
    usageError(() => parseRecipientsFile(file), /^line 5: /);
    expect(parseRecipientsFile(`# one\n${SPEC_RECIPIENT}\n`)).toHaveLength(1);
    usageError(() => parseRecipientsFile("# nothing\n\n"), /no recipients/);
  });
});

describe("parseIdentity", () => {
  it("parses X25519 identities, in either case", () => {
    const id = parseIdentity(SPEC_IDENTITY) as X25519Identity;
    expect(id.encode()).toBe(SPEC_IDENTITY);
    expect((parseIdentity(SPEC_IDENTITY.toLowerCase()) as X25519Identity).encode()).toBe(SPEC_IDENTITY);
    expect(id.recipient().encode()).toBe(SPEC_RECIPIENT);
  });

  it("explains what is wrong without echoing the key", () => {
    const badSum = SPEC_IDENTITY.slice(0, -1) + "Y";
    usageError(() => parseIdentity(badSum), /checksum/, badSum);
    usageError(() => parseIdentity(SPEC_IDENTITY + "Q"), /invalid X25519 identity/, SPEC_IDENTITY);
    usageError(() => parseIdentity(HYBRID_IDENTITY + "Q"), /invalid post-quantum identity/, HYBRID_IDENTITY);
    usageError(() => parseIdentity(encodeBech32("AGE-SECRET-KEY-PQ-", new Uint8Array(31))), /post-quantum identity: expected 32 bytes of key, got 31/);
    usageError(() => parseIdentity("AGE-PLUGIN-YUBIKEY-1QQQQQQ"), /plugin identities/);
    usageError(() => parseIdentity(SPEC_RECIPIENT), /got a recipient/);
    usageError(() => parseIdentity("correct horse battery staple, a passphrase"), /expected AGE-SECRET-KEY-1/, "correct horse battery staple, a passphrase");
    usageError(() => parseIdentity(encodeBech32("AGE-SECRET-KEY-", new Uint8Array(33))), /32 bytes of key, got 33/);
    const mixed = SPEC_IDENTITY.slice(0, 20) + SPEC_IDENTITY.slice(20).toLowerCase();
    usageError(() => parseIdentity(mixed), /mixed case/, SPEC_IDENTITY);
  });

  it("parses identity files as age-keygen writes them", () => {
    const ident = generateIdentity();
    const file = `# created: 2026-11-23T00:00:00Z\n# public key: ${identityToRecipient(ident)}\n${ident}\n`;
    const ids = parseIdentityFile(file);
    expect(ids).toHaveLength(1);
    expect((ids[0] as X25519Identity).encode()).toBe(ident);
    expect(parseIdentityFile(file.replaceAll("\n", "\r\n"))).toHaveLength(1);
    usageError(() => parseIdentityFile(file + "\nAGE-SECRET-KEY-1NOPE\n"), /^line 5: /);
    usageError(() => parseIdentityFile("# only comments\n"), /no identities/);
    usageError(() => parseIdentities([ident, SPEC_RECIPIENT]), /^identity #2: .*got a recipient/);
  });

  it("keyFileLines skips comments and blank lines and keeps line numbers", () => {
    expect(keyFileLines("# c\n\na\r\n#d\nb")).toEqual([[3, "a"], [5, "b"]]);
    expect(keyFileLines("")).toEqual([]);
  });

  it("identityToRecipient rejects non-identities with a UsageError", () => {
    usageError(() => identityToRecipient(SPEC_RECIPIENT), /got a recipient/);
    usageError(() => identityToRecipient(42 as unknown as string), /must be a string/);
  });
});
