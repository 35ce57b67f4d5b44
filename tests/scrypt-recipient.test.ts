import { Decrypter, Encrypter } from "age-encryption";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { scrypt } from "../src/crypto/scrypt.js";
import { HeaderParseError, UsageError } from "../src/errors.js";
import { decodeBase64, encodeBase64 } from "../src/format/base64.js";
import type { Stanza } from "../src/format/stanza.js";
import { identitiesFromOptions, parseIdentity } from "../src/recipients/keys.js";
import { DEFAULT_MAX_WORK_FACTOR, DEFAULT_WORK_FACTOR, ScryptIdentity, ScryptRecipient, assertScryptAlone } from "../src/recipients/scrypt.js";
import { X25519Identity } from "../src/recipients/x25519.js";
import { loadVectors } from "./helpers/cctv.js";
import { stanzasOf } from "./helpers/stanzas.js";
import { fromTypageStanzas, toTypageRecipient } from "./helpers/typage.js";

// Count scrypt calls while running the real derivation: every stanza check
// must happen before the (expensive, memory-hungry) call.
vi.mock("../src/crypto/scrypt.js", async (importOriginal) => {
  const mod = await importOriginal<typeof import("../src/crypto/scrypt.js")>();
  return { ...mod, scrypt: vi.fn(mod.scrypt) };
});
const scryptCalls = () => vi.mocked(scrypt).mock.calls;
beforeEach(() => {
  vi.mocked(scrypt).mockClear(); // braces: a returned function would run as a teardown hook
});

const fileKey = () => crypto.getRandomValues(new Uint8Array(16));
const LABEL = "age-encryption.org/v1/scrypt";

/** A genuine stanza for "password" at work factor 10, and its file key. */
function wrapped(passphrase = "password"): { fk: Uint8Array; stanza: Stanza } {
  const fk = fileKey();
  const stanza = new ScryptRecipient(passphrase, { workFactor: 10 }).wrapFileKey(fk)[0]!;
  vi.mocked(scrypt).mockClear();
  return { fk, stanza };
}

describe("scrypt wrap/unwrap", () => {
  it("round-trips at work factor 10 with the spec's parameters", () => {
    const fk = fileKey();
    const [s] = new ScryptRecipient("password", { workFactor: 10 }).wrapFileKey(fk);
    expect(s!.type).toBe("scrypt");
    expect(s!.args).toHaveLength(2);
    const salt = decodeBase64(s!.args[0]!)!;
    expect(salt).toHaveLength(16);
    expect(s!.args[1]).toBe("10");
    expect(s!.body).toHaveLength(32);
    expect(scryptCalls()).toHaveLength(1);
    const [password, fullSalt, logN, r, p, dkLen] = scryptCalls()[0]!;
    expect(new TextDecoder().decode(password)).toBe("password");
    expect(new TextDecoder().decode(fullSalt.subarray(0, LABEL.length))).toBe(LABEL);
    expect(fullSalt.subarray(LABEL.length)).toEqual(salt);
    expect([logN, r, p, dkLen]).toEqual([10, 8, 1, 32]);

    expect(new ScryptIdentity("password").unwrapFileKey([s!])).toEqual(fk);
    expect(scryptCalls()).toHaveLength(2);
  });

  it("uses a fresh salt per stanza, default work factors 18 and 22", () => {
    const r = new ScryptRecipient("pw", { workFactor: 1 });
    expect(r.wrapFileKey(fileKey())[0]!.args[0]).not.toBe(r.wrapFileKey(fileKey())[0]!.args[0]);
    expect(new ScryptRecipient("pw").workFactor).toBe(18);
    expect(DEFAULT_WORK_FACTOR).toBe(18);
    expect(DEFAULT_MAX_WORK_FACTOR).toBe(22);
  });

  it("returns null for a wrong passphrase, and for a wrong tag", () => {
    const { stanza } = wrapped();
    expect(new ScryptIdentity("wrong").unwrapFileKey([stanza])).toBeNull();
    const body = stanza.body.slice();
    body[0]! ^= 1;
    expect(new ScryptIdentity("password").unwrapFileKey([{ ...stanza, body }])).toBeNull();
  });

  it("tries several passphrases, deriving once per distinct passphrase", () => {
    const { fk, stanza } = wrapped("third");
    expect(new ScryptIdentity(["first", "second", "first", "third", "fourth"]).unwrapFileKey([stanza])).toEqual(fk);
    expect(scryptCalls()).toHaveLength(3); // "first" once, "second", then "third" matches
    vi.mocked(scrypt).mockClear();
    expect(new ScryptIdentity(["a", "b", "a"]).unwrapFileKey([stanza])).toBeNull();
    expect(scryptCalls()).toHaveLength(2);
  });

  it("passes onProgress through to scrypt", () => {
    const { stanza } = wrapped();
    const onProgress = vi.fn();
    new ScryptIdentity("password", { onProgress }).unwrapFileKey([stanza]);
    expect(scryptCalls()[0]![6]?.onProgress).toBe(onProgress);
  });

  it("ignores headers without a scrypt stanza, without deriving", () => {
    const x = X25519Identity.generate().recipient().wrapFileKey(fileKey());
    expect(new ScryptIdentity("password").unwrapFileKey(x)).toBeNull();
    expect(new ScryptIdentity("password").unwrapFileKey([{ type: "Scrypt", args: ["a", "10"], body: new Uint8Array(32) }])).toBeNull();
    expect(scryptCalls()).toHaveLength(0);
  });
});

describe("scrypt stanza validation (before any scrypt call)", () => {
  const id = new ScryptIdentity("password");

  function expectRejected(stanzas: Stanza[], message?: RegExp): void {
    vi.mocked(scrypt).mockClear();
    expect(() => id.unwrapFileKey(stanzas)).toThrow(HeaderParseError);
    if (message) expect(() => id.unwrapFileKey(stanzas)).toThrow(message);
    expect(scryptCalls()).toHaveLength(0);
  }

  it("requires the scrypt stanza to be alone", () => {
    const { stanza } = wrapped();
    const x = X25519Identity.generate().recipient().wrapFileKey(fileKey())[0]!;
    expectRejected([x, stanza], /only stanza/);
    expectRejected([stanza, x], /only stanza/);
    expectRejected([stanza, wrapped().stanza], /only stanza/);
    expectRejected([stanza, { type: "grease", args: [], body: new Uint8Array(0) }]);
    expect(() => assertScryptAlone([x, stanza])).toThrow(HeaderParseError);
    expect(() => assertScryptAlone([stanza])).not.toThrow();
    expect(() => assertScryptAlone([x, x])).not.toThrow();
  });

  it.each(["018", "0", "-1", "abc", "+10", "0xa", "1e1", " 10", "10 ", "", "10.0", "٣", "23", "99", "9223372036854775818"])(
    "rejects work factor %j",
    (wf) => {
      const { stanza } = wrapped();
      expectRejected([{ ...stanza, args: [stanza.args[0]!, wf] }]);
    },
  );

  it("applies maxWorkFactor, naming the limit", () => {
    const { fk, stanza } = wrapped();
    vi.mocked(scrypt).mockClear();
    expect(() => new ScryptIdentity("password", { maxWorkFactor: 9 }).unwrapFileKey([stanza])).toThrow(/work factor 10 exceeds the maximum 9/);
    expect(scryptCalls()).toHaveLength(0);
    expect(new ScryptIdentity("password", { maxWorkFactor: 10 }).unwrapFileKey([stanza])).toEqual(fk);
    expectRejected([{ ...stanza, args: [stanza.args[0]!, "23"] }], /23 exceeds the maximum 22/);
  });

  it.each<[string, (s: Stanza) => Stanza]>([
    ["1 argument", (s) => ({ ...s, args: [s.args[0]!] })],
    ["3 arguments", (s) => ({ ...s, args: [...s.args, "10"] })],
    ["15-byte salt", (s) => ({ ...s, args: [encodeBase64(new Uint8Array(15)), "10"] })],
    ["17-byte salt", (s) => ({ ...s, args: [encodeBase64(new Uint8Array(17)), "10"] })],
    ["padded salt", (s) => ({ ...s, args: [encodeBase64(decodeBase64(s.args[0]!)!, true), "10"] })],
    ["non-canonical salt", (s) => ({ ...s, args: [s.args[0]!.slice(0, -1) + "B", "10"] })],
    ["31-byte body", (s) => ({ ...s, body: s.body.subarray(0, 31) })],
    ["33-byte body", (s) => ({ ...s, body: Uint8Array.from([...s.body, 0]) })],
    ["40-byte body (a longer file key)", (s) => ({ ...s, body: new Uint8Array(40) })],
  ])("rejects a stanza with a %s", (_, mangle) => {
    const { stanza } = wrapped();
    expectRejected([mangle(stanza)]);
  });
});

describe("scrypt options", () => {
  it("validates passphrases and work factors", () => {
    expect(() => new ScryptRecipient("")).toThrow(UsageError);
    expect(() => new ScryptIdentity([])).toThrow(UsageError);
    expect(() => new ScryptIdentity(["ok", ""])).toThrow(UsageError);
    for (const wf of [0, 31, 1.5, NaN]) {
      expect(() => new ScryptRecipient("pw", { workFactor: wf })).toThrow(UsageError);
      expect(() => new ScryptIdentity("pw", { maxWorkFactor: wf })).toThrow(UsageError);
    }
    expect(() => new ScryptRecipient("pw", { workFactor: 1 })).not.toThrow();
    expect(() => new ScryptRecipient(new TextDecoder().decode(new Uint8Array([0xc3, 0xa9])), { workFactor: 30 })).not.toThrow();
  });

  it("builds decoder identities from options: X25519 first, then one scrypt identity", () => {
    const { fk, stanza } = wrapped("b");
    const ids = identitiesFromOptions({ passphrase: ["a", "b"], identities: [X25519Identity.generate().encode()] });
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBeInstanceOf(X25519Identity);
    expect(ids[1]).toBeInstanceOf(ScryptIdentity);
    expect(ids[1]!.unwrapFileKey([stanza])).toEqual(fk);
    expect(identitiesFromOptions({ passphrase: "b" })[0]!.unwrapFileKey([stanza])).toEqual(fk);
    expect(() => identitiesFromOptions({})).toThrow(/passphrase or at least one identity/);
    expect(() => identitiesFromOptions({ passphrase: [] })).toThrow(UsageError);
    expect(() => identitiesFromOptions({ passphrase: "" })).toThrow(/empty/);
    expect(() => identitiesFromOptions({ identities: ["nope"] })).toThrow(/identity #1/);
    expect(() => identitiesFromOptions({ passphrase: "x", maxWorkFactor: 40 })).toThrow(/maxWorkFactor/);
    expect(() => identitiesFromOptions({ identities: [X25519Identity.generate().encode()], maxWorkFactor: 0 })).toThrow(/maxWorkFactor/);
    expect(() => identitiesFromOptions({ passphrase: "b", maxWorkFactor: 9 })[0]!.unwrapFileKey([stanza])).toThrow(HeaderParseError);
  });
});

describe("scrypt CCTV vectors (stanzas split by a test helper)", () => {
  // scrypt_not_canonical_body is a header-syntax failure (the body's base64),
  // which the header parser rejects before any identity sees it.
  const vectors = loadVectors().filter((v) => /^scrypt/.test(v.name) && v.name !== "scrypt_not_canonical_body");

  it.each(vectors.map((v) => [v.name, v] as const))("%s", (_, v) => {
    const stanzas = stanzasOf(v.body);
    const ids = identitiesFromOptions({ passphrase: v.passphrases, identities: v.identities });
    const run = () => {
      for (const id of ids) {
        const fk = id.unwrapFileKey(stanzas);
        if (fk) return fk;
      }
      return null;
    };
    if (v.expect === "header failure") expect(run).toThrow(HeaderParseError);
    else if (v.expect === "no match") expect(run()).toBeNull();
    else expect(run()).toEqual(v.fileKey);
  });

  it("never runs scrypt for a header failure", () => {
    for (const v of vectors.filter((x) => x.expect === "header failure")) {
      vi.mocked(scrypt).mockClear();
      expect(() => new ScryptIdentity(v.passphrases).unwrapFileKey(stanzasOf(v.body)), v.name).toThrow(HeaderParseError);
      expect(scryptCalls(), v.name).toHaveLength(0);
    }
  });
});

describe("scrypt interoperability with typage", () => {
  const plaintext = new TextEncoder().encode("passphrase interop\n");

  it("typage encrypts with a passphrase; our identity unwraps inside typage's decrypter", async () => {
    const e = new Encrypter();
    e.setPassphrase("correct horse");
    e.setScryptWorkFactor(10);
    const file = await e.encrypt(plaintext);
    const ours = new ScryptIdentity(["wrong", "correct horse"]);
    const d = new Decrypter();
    d.addIdentity({ unwrapFileKey: (stanzas) => ours.unwrapFileKey(fromTypageStanzas(stanzas)) });
    expect(await d.decrypt(file)).toEqual(plaintext);
  });

  it("our recipient wraps inside typage's encrypter; typage decrypts with the passphrase", async () => {
    const e = new Encrypter();
    e.addRecipient(toTypageRecipient(new ScryptRecipient("correct horse", { workFactor: 10 })));
    const file = await e.encrypt(plaintext);
    const d = new Decrypter();
    d.addPassphrase("correct horse");
    expect(await d.decrypt(file)).toEqual(plaintext);
  });

  it("does not mistake an X25519 identity string for a passphrase", () => {
    expect(parseIdentity(X25519Identity.generate().encode())).toBeInstanceOf(X25519Identity);
  });
});
