// Post-quantum hybrid (mlkem768x25519) and tagged (p256tag, mlkem768p256tag)
// recipients (C2SP age.md), checked against the spec's own key pair, against
// typage 0.3 (an independent implementation over an older @noble/post-quantum)
// in both directions, and against a software P-256 "hardware key" written
// here from the spec for the encrypt-only tag types.
import {
  Decrypter, Encrypter, armor as typageArmor, generateHybridIdentity as typageGenerateHybrid,
  identityToRecipient as typageIdentityToRecipient,
} from "age-encryption";
// typage exports only its entry point; its tag recipients are reached by path (encrypt-only there too).
import { HybridTagRecipient as TypageHybridTagRecipient, TagRecipient as TypageTagRecipient } from "../node_modules/age-encryption/dist/recipients.js";
import { p256 } from "@noble/curves/nist.js";
import { extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { ml_kem768_p256 } from "@noble/post-quantum/hybrid.js";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeDecoder, AgeEncoder, AgeRTEncoder, HeaderParseError, NoIdentityMatchError, UsageError, armor,
  decodeBytes, encodeBytes, generateHybridIdentity, generateIdentity, identityToRecipient, type Identity, type Stanza,
} from "../src/index.js";
import { decodeBase64, encodeBase64 } from "../src/format/base64.js";
import { encode as encodeBech32 } from "../src/format/bech32.js";
import { openBase } from "../src/crypto/hpke.js";
import { aead } from "../src/crypto/aead.js";
import { dhkemP256, mlkem768p256 } from "../src/crypto/p256-kems.js";
import { parseRecipient } from "../src/recipients/keys.js";
import { HybridIdentity, HybridRecipient } from "../src/recipients/hybrid.js";
import { concat } from "../src/format/bytes.js";
import { AGE_RT_KEYGEN } from "./helpers/cli.js";

// C2SP age.md, "The MLKEM768-X25519 (i.e. X-Wing) hybrid post-quantum recipient type".
const SPEC_IDENTITY = "AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR";
const SPEC_RECIPIENT_START = "age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5zrqtzdxz95paef6caq5aapdmwjjqpjfdyxnzr2zampc3uxy0dg4z2n2gm9su72p0pc3u0jvev55l694v78snxg3yzvcl7yda0eyytqj6a0ec477lnhcy5hzpz4zq3pxanve4cn62gqj3pjy5lqj9c6kyj4v2z8alktn8zh99970x79gjkv7522hv9kfz35zsnxhsx8wwtmu9cy3ftzjgwcp4sshn3llnylnpdsyz5jm72vefv4x5vfwytrefxg4wq3mv42wcrvkj742479zrxzpvp2p3e9fed9f0739vcu80r7ma28qfhnvlv4gfzel9q654dj3zmuvvz893azhxdvs9fxd0r7jzchzcfcs5mkyyjxhw0n2z6dvp9yn9qfdp29h0azxqyjw6v7fhyuzj7zel0uq6j9rd7wgrpz7mf5dnj43jwsgvrc8qcnhy7tu6dkdujuxzkp9xj43xe8h92ktre2a3u3s8mm5mrp9nr9pwkgtz4mdlq9hgn4fps4k57ff6wddn2fy23t47sm20r8km8sd2pcyyafnet8f0dajsrlyjeah4n3mssr6aseevuuskdvq5lzguyvpgwpta742c6698vgutzqgny8usfg0w2he7kq5vyxjd0f9hqg8xk26y9e4th0gezq92q4cpp5p2y9hf5f2cje5l0c3sa3a2qxmm38pxxvhxh99yzmfz0zk7r2s64nnwjhkfgfr3gf8xnmppcgmaykvh5sh6g7vk9790rf8ws0axmr2t7z8aae5fq2029uvcn2ghgt4fu4wgwdc0k0cz52qkvwmuzj8p8k5jgf3xzk5zmrkavjekjrpeq408xz3zxazwkc6tyfmhayrkfpjhwtz5mp8j8guqe43k2q6m2kte03vrw27y3wmqyu5etmt9dnkwcnnpmu9gz9dekfhdevf42ucshphnrk38ra6hx8w5f8q5ru0xdhrjxmwqf6cused7zc5xvq43r0zscjglpwlptpwydhqw64xz7ptjdyeyzpq2zkxtmzg29gzjpvzva4d3l0cenn9xs297wf4y4ukwrunf57xj6pm7nvrkwvtrt8hwcmgv8x7ajw7258ugf9wvkmk4052ekg87tw5vnx8nq2swyzv77v8yqlwsenvamr0zssknwts8rrhfuwj7ykysnq9jxy0uv3kuyt22djszjdtvpz6d0s0kwh8ryynddzud92emeyvvyqktd0jtj7rvvg5gch25v8smlvny3kvn5gagyz475ze2y6q466xqmz2n3hs77lddeqyta2nch5k2u5yacuk9ywnwfdzvyejnucz724hj77hrrmakm7pr3kxsrxq22ejexlud9fy2kdqmkg5yncz7jm5wv2qjk5w5kvcpqsry2yqffh2la52dxfjkjq5rzhjzeyn6dupn0qwtyv7s4lwg3xdarsdlwe2y3tujy480y7z39q259fzx6jhd2j0f5hagqpcpees7hzc2yrk5cy788uk3s7qvp5cpepx24gvws3m2g433exgwppnkjscec8qu4y9z9r7vccexjcjaen42245lmgmxmuavg9alej92322gvvyy2t6267v09ch64y0m53jff0vjj96s0ypk60hr3jw4myd6m5hpn3xjstx7tl2szhpr5qe8jj08ydjc4wy2rch2fhuy3pdfjax5awe9j99ly5hkntzz9fe5zatgjvzdd0kgtxs25njnajyf6ssekp7gelxquusn4pt25czh3scj68kq79wdn5tgm6yvm9nzavrg043x3msnygf8dweknw5jmqd0uvny6ttsn09508k0c55zfnegrm9efhxpfqdkmhh6gjtqmwze9pyyzk3tlhl53k2ykx3qheyty7saeq0d3fzv49zc0k";

const enc = new TextEncoder();
const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + (i >> 8)) & 0xff);
const decode = (file: Uint8Array, identities: (string | Identity)[]) => Buffer.concat([...decodeBytes(file, new AgeAutoDecoder({ identities }))]);
const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
};

/** Replaces the first stanza line's arguments (the header's second line) and/or the stanza body. */
function editStanza(file: Uint8Array, edit: (args: string[], body: Uint8Array) => { args: string[]; body: Uint8Array }): Uint8Array {
  // Header as text up to the MAC line; the MAC is then wrong, but identities run before it is checked.
  const text = Buffer.from(file).toString("latin1");
  const macAt = text.indexOf("\n--- ") + 1;
  const lines = text.slice(0, macAt).split("\n");
  const argLine = lines.findIndex((l) => l.startsWith("-> mlkem768x25519 "));
  let end = argLine + 1;
  let body = "";
  while (true) {
    body += lines[end]!;
    if (lines[end]!.length < 64) break;
    end++;
  }
  const out = edit(lines[argLine]!.split(" ").slice(2), decodeBase64(body)!);
  const b64 = encodeBase64(out.body);
  const bodyLines: string[] = b64.match(/.{1,64}/g) ?? [];
  if (b64.length % 64 === 0) bodyLines.push("");
  lines.splice(argLine, end - argLine + 1, ["->", "mlkem768x25519", ...out.args].join(" "), ...bodyLines);
  return concat(Buffer.from(lines.join("\n"), "latin1"), file.subarray(macAt));
}

describe("mlkem768x25519 keys", () => {
  it("the spec's identity gives the spec's recipient, here and in typage", async () => {
    const ours = identityToRecipient(SPEC_IDENTITY);
    expect(ours.startsWith(SPEC_RECIPIENT_START.slice(0, 400))).toBe(true);
    expect(ours).toBe(SPEC_RECIPIENT_START);
    expect(identityToRecipient(SPEC_IDENTITY.toLowerCase())).toBe(ours);
    expect(await typageIdentityToRecipient(SPEC_IDENTITY)).toBe(ours);
  });

  it("generated identities: uppercase, 32 bytes, recipients as typage derives them", async () => {
    for (let i = 0; i < 3; i++) {
      const id = generateHybridIdentity();
      expect(id).toMatch(/^AGE-SECRET-KEY-PQ-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}$/);
      const r = identityToRecipient(id);
      expect(r).toMatch(/^age1pq1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/);
      expect(await typageIdentityToRecipient(id)).toBe(r);
    }
  });

  it("the key classes refuse keys and file keys of the wrong length or type (errors.ts assertLength)", () => {
    expect(() => new HybridRecipient(new Uint8Array(1215))).toThrow(/^post-quantum recipient key expected 1216 bytes, got 1215$/);
    expect(() => new HybridIdentity(new Uint8Array(33))).toThrow(/^post-quantum identity seed expected 32 bytes, got 33$/);
    expect(() => new HybridIdentity("x" as unknown as Uint8Array)).toThrow(/^post-quantum identity seed must be a Uint8Array, got string$/);
    const r = HybridRecipient.fromString(identityToRecipient(generateHybridIdentity()));
    expect(() => r.wrapFileKey(new Uint8Array(15))).toThrow(UsageError);
  });
});

describe("interop with typage 0.3", () => {
  const sizes = [0, 1, 65535, 65536, 65537, 3 * 1024 * 1024 + 5];

  for (const size of sizes) {
    it(`typage's hybrid file of ${size} bytes decrypts here; ours decrypts there`, async () => {
      const plaintext = bytes(size, size);
      const ourId = generateHybridIdentity();
      const theirId = await typageGenerateHybrid();
      // typage → us
      const e = new Encrypter();
      e.addRecipient(identityToRecipient(ourId));
      const theirs = await e.encrypt(plaintext);
      expect(Buffer.from(theirs).toString("latin1")).toContain("\n-> mlkem768x25519 ");
      expect(decode(theirs, [ourId]).equals(plaintext)).toBe(true);
      // us → typage
      const ours = encodeBytes([plaintext], AgeEncoder.fromRecipients([await typageIdentityToRecipient(theirId)]));
      const d = new Decrypter();
      d.addIdentity(theirId);
      expect(Buffer.from(await d.decrypt(ours)).equals(plaintext)).toBe(true);
    });
  }

  it("armored, to two hybrid recipients, both ways", async () => {
    const plaintext = bytes(100_000);
    const [a, b] = [generateHybridIdentity(), generateHybridIdentity()];
    const e = new Encrypter();
    e.addRecipient(identityToRecipient(a));
    e.addRecipient(identityToRecipient(b));
    const text = typageArmor.encode(await e.encrypt(plaintext));
    for (const id of [a, b]) expect(decode(enc.encode(text), [id]).equals(plaintext)).toBe(true);

    const ours = armor.encode(encodeBytes([plaintext], AgeEncoder.fromRecipients([identityToRecipient(a), identityToRecipient(b)])));
    for (const id of [a, b]) {
      const d = new Decrypter();
      d.addIdentity(id);
      expect(Buffer.from(await d.decrypt(typageArmor.decode(ours))).equals(plaintext)).toBe(true);
    }
  });

  it("age-rt streams to hybrid recipients round-trip", () => {
    const id = generateHybridIdentity();
    const file = encodeBytes([bytes(10), bytes(0), bytes(70_000)], AgeRTEncoder.fromRecipients([identityToRecipient(id)]));
    expect(decode(file, [id]).equals(Buffer.concat([bytes(10), bytes(70_000)]))).toBe(true);
  });

  it("age-rt-keygen -pq writes a key typage uses, and -y gives its recipient", async () => {
    const text = execFileSync(process.execPath, [AGE_RT_KEYGEN, "-pq"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const identity = text.split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-PQ-1"))!;
    const recipient = /# public key: (age1pq1\S+)/.exec(text)![1]!;
    expect(await typageIdentityToRecipient(identity)).toBe(recipient);
    const y = execFileSync(process.execPath, [AGE_RT_KEYGEN, "-y"], { input: text, encoding: "utf8" });
    expect(y).toBe(recipient + "\n");
    const e = new Encrypter();
    e.addRecipient(recipient);
    expect(decode(await e.encrypt(bytes(5)), [identity]).equals(Buffer.from(bytes(5)))).toBe(true);
    const d = new Decrypter();
    d.addIdentity(identity);
    expect(Buffer.from(await d.decrypt(encodeBytes([bytes(7)], AgeEncoder.fromRecipients([recipient])))).equals(Buffer.from(bytes(7)))).toBe(true);
  });
});

describe("mlkem768x25519 stanzas that are wrong", () => {
  const id = generateHybridIdentity();
  const file = encodeBytes([bytes(1000)], AgeEncoder.fromRecipients([identityToRecipient(id)]));
  const fails = (f: Uint8Array, cls: new (...a: never[]) => Error, message: RegExp) => {
    const released: Uint8Array[] = [];
    const e = thrown(() => {
      for (const c of decodeBytes(f, new AgeAutoDecoder({ identities: [id] }))) released.push(c);
    });
    expect(e).toBeInstanceOf(cls);
    expect((e as Error).message).toMatch(message);
    expect(released).toEqual([]);
  };

  it("the file opens untouched", () => expect(decode(file, [id]).equals(Buffer.from(bytes(1000)))).toBe(true));

  it("a flipped bit in the body or in enc: no match (the KEM's implicit rejection, then the AEAD tag)", () => {
    fails(editStanza(file, (args, body) => ({ args, body: body.map((b, i) => (i === 5 ? b ^ 1 : b)) })), NoIdentityMatchError, /no identity/);
    for (const at of [10, 1100]) { // the ML-KEM part, then the X25519 part
      fails(editStanza(file, (args, body) => {
        const e = decodeBase64(args[0]!)!;
        e[at]! ^= 0x40;
        return { args: [encodeBase64(e)], body };
      }), NoIdentityMatchError, /no identity/);
    }
  });

  it("a wrong-length enc or body, or an extra argument: header failure", () => {
    fails(editStanza(file, (args, body) => ({ args: [encodeBase64(decodeBase64(args[0]!)!.subarray(1))], body })), HeaderParseError, /enc must be 1120 bytes, got 1119/);
    fails(editStanza(file, (args, body) => ({ args, body: concat(body, Uint8Array.of(0)) })), HeaderParseError, /body must be 32 bytes, got 33/);
    fails(editStanza(file, (args, body) => ({ args: [...args, "x"], body })), HeaderParseError, /expected 1 argument, got 2/);
    fails(editStanza(file, (args, body) => ({ args: [args[0]! + "="], body })), HeaderParseError, /canonical/);
  });

  it("an X25519 share of low order (all-zero shared secret): header failure", () => {
    for (const share of [new Uint8Array(32), Uint8Array.of(1, ...new Uint8Array(31))]) {
      fails(editStanza(file, (args, body) => {
        const e = decodeBase64(args[0]!)!;
        e.set(share, 1088);
        return { args: [encodeBase64(e)], body };
      }), HeaderParseError, /does not decapsulate/);
    }
  });

  it("ignores stanzas of other types and other keys' stanzas", () => {
    const other = generateHybridIdentity();
    expect(thrown(() => decode(file, [other]))).toBeInstanceOf(NoIdentityMatchError);
    const x = encodeBytes([bytes(3)], AgeEncoder.fromRecipients([identityToRecipient(generateIdentity())]));
    expect(thrown(() => decode(x, [id]))).toBeInstanceOf(NoIdentityMatchError);
  });
});

describe("labels: post-quantum and classic recipients are never mixed", () => {
  const pq = identityToRecipient(generateHybridIdentity());
  const classic = identityToRecipient(generateIdentity());
  const p256Key = p256.utils.randomSecretKey();
  const tag = encodeBech32("age1tag", p256.getPublicKey(p256Key, true));
  const tagpq = encodeBech32("age1tagpq", ml_kem768_p256.keygen(new Uint8Array(32).fill(3)).publicKey);
  const custom = { wrapFileKey: (): Stanza[] => [{ type: "example.com/x", args: [], body: new Uint8Array(0) }] };

  it("a mix is a UsageError, from either factory", () => {
    for (const list of [[pq, classic], [classic, pq], [pq, tag], [tagpq, classic], [pq, custom]]) {
      for (const make of [() => AgeEncoder.fromRecipients(list), () => AgeRTEncoder.fromRecipients(list)]) {
        expect(thrown(make)).toBeInstanceOf(UsageError);
        expect((thrown(make) as Error).message).toMatch(/cannot be mixed/);
      }
    }
  });

  it("all post-quantum, or all classic, is fine", () => {
    expect(() => AgeEncoder.fromRecipients([pq, tagpq])).not.toThrow();
    expect(() => AgeEncoder.fromRecipients([classic, tag, custom])).not.toThrow();
  });

  it("files with both kinds of stanza still decrypt (CCTV hybrid_and_x25519 is covered in cctv.test.ts)", () => {
    const x = generateIdentity();
    const h = generateHybridIdentity();
    // Built from two encoders' stanzas would need our header code; typage refuses too, so use the raw recipients.
    const both = AgeEncoder.fromRecipients([{ wrapFileKey: (k) => [...(parseRecipient(identityToRecipient(x)).wrapFileKey(k) as Stanza[]), ...(parseRecipient(identityToRecipient(h)).wrapFileKey(k) as Stanza[])] }]);
    const file = encodeBytes([bytes(9)], both);
    for (const id of [x, h]) expect(decode(file, [id]).equals(Buffer.from(bytes(9)))).toBe(true);
  });
});

/**
 * A software "hardware key" for the tagged types, from C2SP age.md: checks
 * the tag, then opens the HPKE ciphertext with the P-256 (or ML-KEM-768 +
 * P-256) secret key. Encrypt-only in the library, as in Go age and typage.
 */
function softwareTagIdentity(type: "p256tag" | "mlkem768p256tag", secretKey: Uint8Array, recipient: Uint8Array): Identity & { tagsSeen: number } {
  const label = enc.encode(`age-encryption.org/${type}`);
  const kem = type === "p256tag" ? dhkemP256 : mlkem768p256;
  const tagged = type === "p256tag" ? recipient : recipient.subarray(1184);
  const self = {
    tagsSeen: 0,
    unwrapFileKey(stanzas: readonly Stanza[]): Uint8Array | null {
      for (const s of stanzas) {
        if (s.type !== type) continue;
        if (s.args.length !== 2) throw new HeaderParseError(`${type}: expected 2 arguments`);
        const tag = decodeBase64(s.args[0]!);
        const encapsulated = decodeBase64(s.args[1]!);
        if (tag?.length !== 4 || encapsulated?.length !== (type === "p256tag" ? 65 : 1153) || s.body.length !== 32) throw new HeaderParseError(`${type}: malformed`);
        const expected = extract(sha256, concat(encapsulated, sha256(tagged).subarray(0, 4)), label).subarray(0, 4);
        if (Buffer.compare(Buffer.from(expected), Buffer.from(tag)) !== 0) continue; // another key's stanza
        self.tagsSeen++;
        return openBase(aead(), kem, encapsulated, secretKey, label, s.body);
      }
      return null;
    },
  };
  return self;
}

describe("tagged recipients (encrypt only), opened by a software key written from the spec", () => {
  it("p256tag: ours and typage's stanzas open; a tag for another key is skipped", async () => {
    const sk = p256.utils.randomSecretKey();
    const pk = p256.getPublicKey(sk, true);
    const recipient = encodeBech32("age1tag", pk);
    const id = softwareTagIdentity("p256tag", sk, pk);
    const other = encodeBech32("age1tag", p256.getPublicKey(p256.utils.randomSecretKey(), true));
    for (const size of [0, 1, 65536, 200_000]) {
      const file = encodeBytes([bytes(size)], AgeEncoder.fromRecipients([other, recipient]));
      expect(Buffer.from(file).toString("latin1")).toMatch(/\n-> p256tag [A-Za-z0-9+/]{6} [A-Za-z0-9+/]{87}\n/);
      expect(decode(file, [id]).equals(Buffer.from(bytes(size)))).toBe(true);
    }
    expect(id.tagsSeen).toBe(4); // the other key's stanza never matched its tag
    const typageStanzas = await new TypageTagRecipient(recipient).wrapFileKey(new Uint8Array(16).fill(9));
    const fk = id.unwrapFileKey(typageStanzas.map((s) => ({ type: s.args[0]!, args: s.args.slice(1), body: s.body })));
    expect(fk).toEqual(new Uint8Array(16).fill(9));
  });

  it("mlkem768p256tag: ours and typage's stanzas open (noble 0.7 here, 0.5 in typage)", async () => {
    const { publicKey, secretKey } = ml_kem768_p256.keygen(crypto.getRandomValues(new Uint8Array(32)));
    expect(publicKey.length).toBe(1249);
    expect(publicKey[1184]).toBe(0x04); // ML-KEM key || uncompressed P-256 point, as the spec lays it out
    const recipient = encodeBech32("age1tagpq", publicKey);
    const id = softwareTagIdentity("mlkem768p256tag", secretKey, publicKey);
    const file = encodeBytes([bytes(70_000)], AgeRTEncoder.fromRecipients([recipient]));
    expect(decode(file, [id]).equals(Buffer.from(bytes(70_000)))).toBe(true);
    const typageStanzas = await new TypageHybridTagRecipient(recipient).wrapFileKey(new Uint8Array(16).fill(4));
    expect(id.unwrapFileKey(typageStanzas.map((s) => ({ type: s.args[0]!, args: s.args.slice(1), body: s.body })))).toEqual(new Uint8Array(16).fill(4));
  });

  it("a point not on the curve is refused when encrypting", () => {
    const bad = new Uint8Array(33);
    bad[0] = 2;
    bad.fill(0xff, 1);
    expect(thrown(() => AgeEncoder.fromRecipients([encodeBech32("age1tag", bad)]))).toBeInstanceOf(UsageError);
  });

  it("AgeDecoder has no tag identity of its own: such files are no match without one", () => {
    const file = encodeBytes([bytes(3)], AgeEncoder.fromRecipients([encodeBech32("age1tag", p256.getPublicKey(p256.utils.randomSecretKey(), true))]));
    expect(thrown(() => [...decodeBytes(file, new AgeDecoder({ identities: [generateIdentity()] }))])).toBeInstanceOf(NoIdentityMatchError);
  });
});
