// Secret hygiene (issue 5). After a decode, and after each error path, no
// key is left where the library keeps memory: the WebAssembly instances'
// linear memory (the long-lived AEAD instance and every per-derivation scrypt
// instance, recorded by wrapping WebAssembly.Instance before the library
// loads) must not hold the file key or the payload key, and the decoder's
// and encoder's own key arrays must be zeroed. Tag comparisons are
// constant-time (reviewed below). No secret — passphrase, identity string,
// key bytes, plaintext — appears in any error message, checked over mutated
// files and malformed key strings.
import { describe, expect, it, vi } from "vitest";

/** Every WebAssembly instance the library creates, in order. Installed before any import runs. */
const instances = vi.hoisted(() => {
  const list: WebAssembly.Instance[] = [];
  const Original = WebAssembly.Instance;
  (WebAssembly as { Instance: typeof WebAssembly.Instance }).Instance = new Proxy(Original, {
    construct(target, args, newTarget) {
      const instance = Reflect.construct(target, args, newTarget) as WebAssembly.Instance;
      list.push(instance);
      return instance;
    },
  });
  return list;
});

/** Every file key and payload key the library derives from or computes, as the arrays it holds and as copies of their values. */
const keys = vi.hoisted(() => ({
  fileKeys: [] as { held: Uint8Array; value: Uint8Array }[],
  payloadKeys: [] as { held: Uint8Array; value: Uint8Array }[],
  reset() {
    this.fileKeys.length = 0;
    this.payloadKeys.length = 0;
  },
}));

vi.mock("../src/crypto/kdf.js", async (importOriginal) => {
  const mod = await importOriginal<typeof import("../src/crypto/kdf.js")>();
  return {
    ...mod,
    headerMac(fileKey: Uint8Array, macInput: Uint8Array) {
      keys.fileKeys.push({ held: fileKey, value: fileKey.slice() });
      return mod.headerMac(fileKey, macInput);
    },
    payloadKey(fileKey: Uint8Array, nonce: Uint8Array) {
      const key = mod.payloadKey(fileKey, nonce);
      keys.payloadKeys.push({ held: key, value: key.slice() });
      return key;
    },
  };
});

import { readFileSync } from "node:fs";
import {
  AgeAutoDecoder, AgeDecoder, AgeEncoder, AgeRTDecoder, AgeRTEncoder, AgeRTError, ChunkAuthenticationError, HeaderMacError,
  NoIdentityMatchError, StreamTruncatedError, armor, decodeBytes, encodeBytes, generateIdentity, identityToRecipient,
  iterDecodeChunks, openRandomAccess, type Decoder,
} from "../src/index.js";
import { constantTimeEqual } from "../src/crypto/kdf.js";
import { decode as decodeBech32 } from "../src/format/bech32.js";
import { parseIdentity, parseRecipient } from "../src/recipients/keys.js";
import { layoutOf } from "./helpers/fuzz.js";
import { seededRandom } from "./helpers/random.js";

const PASSPHRASE = "hygiene-Passphrase-Zq7!correct-horse";
const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const secretScalar = decodeBech32(identity).data;
const te = (s: string) => new TextEncoder().encode(s);
const PLAINTEXT = ["SECRET-PLAINTEXT-chunk-one ", "SECRET-PLAINTEXT-chunk-two ", "SECRET-PLAINTEXT-the-last"].map(te);

/** The memories of all instances so far, as byte views. */
function memories(): { index: number; bytes: Uint8Array }[] {
  return instances.map((inst, index) => ({ index, bytes: new Uint8Array((inst.exports.memory as WebAssembly.Memory).buffer) }));
}

/** Where `needle` occurs in any instance's memory ("instance 0 at 1234"), or [] when nowhere. */
function findInWasm(needle: Uint8Array): string[] {
  const hits: string[] = [];
  for (const { index, bytes } of memories()) {
    const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(Buffer.from(needle));
    if (at >= 0) hits.push(`instance ${index} at ${at}`);
  }
  return hits;
}

const isZero = (b: Uint8Array) => b.every((x) => x === 0);

/** Decodes, returning the error (or null). */
function decode(file: Uint8Array, dec: Decoder): unknown {
  try {
    [...iterDecodeChunks([file], dec)];
    return null;
  } catch (e) {
    return e;
  }
}

/** The keys derived by `run`: afterwards, none is in WebAssembly memory and every array the library held is zero. */
function expectNoKeysLeft(run: () => void): { fileKeys: number; payloadKeys: number } {
  keys.reset();
  run();
  expect(keys.fileKeys.length + keys.payloadKeys.length, "the scenario derived no key").toBeGreaterThan(0);
  for (const [kind, list] of [["file key", keys.fileKeys], ["payload key", keys.payloadKeys]] as const) {
    for (const k of list) {
      expect(findInWasm(k.value), `${kind} found in WebAssembly memory`).toEqual([]);
      expect(isZero(k.held), `the ${kind} array the library held is not wiped`).toBe(true);
    }
  }
  return { fileKeys: keys.fileKeys.length, payloadKeys: keys.payloadKeys.length };
}

function rtFile(enc: AgeRTEncoder): Uint8Array {
  return encodeBytes(PLAINTEXT, enc);
}

/** The file with one byte of `region` changed (in the MAC: another base64 letter, so the header still parses). */
function tamper(file: Uint8Array, format: "age" | "age-rt", region: "mac" | "lastTag" | "firstTag"): Uint8Array {
  const lay = layoutOf(file, format);
  const out = file.slice();
  if (region === "mac") {
    const at = lay.mac.start + 10;
    out[at] = out[at] === 0x41 ? 0x42 : 0x41;
  } else {
    out[region === "firstTag" ? lay.chunks[0]!.end - 1 : lay.chunks.at(-1)!.end - 1]! ^= 0x01;
  }
  return out;
}

describe("the WebAssembly instances are observed", () => {
  it("decoding creates (at least) the AEAD instance, and a passphrase file a scrypt instance too", () => {
    const before = instances.length;
    decode(rtFile(AgeRTEncoder.fromPassphrase(PASSPHRASE, { workFactor: 2 })), new AgeRTDecoder(PASSPHRASE));
    expect(instances.length).toBeGreaterThan(before);
    expect(instances.length).toBeGreaterThanOrEqual(2);
  });
});

describe("no file key or payload key left in WebAssembly memory or in the library's arrays", () => {
  const x25519 = () => rtFile(AgeRTEncoder.fromRecipients([recipient]));
  const pass = () => rtFile(AgeRTEncoder.fromPassphrase(PASSPHRASE, { workFactor: 2 }));
  const age = () => encodeBytes([new Uint8Array(70_000).fill(7)], AgeEncoder.fromRecipients([recipient]));

  it("after a successful age-rt decode (X25519)", () => {
    expectNoKeysLeft(() => expect(decode(x25519(), new AgeRTDecoder({ identities: [identity] }))).toBeNull());
  });

  it("after a successful age-rt decode (passphrase)", () => {
    expectNoKeysLeft(() => expect(decode(pass(), new AgeRTDecoder(PASSPHRASE))).toBeNull());
  });

  it("after a successful age v1 decode (two chunks, auto decoder, armored)", () => {
    expectNoKeysLeft(() => expect(decode(te(armor.encode(age())), new AgeAutoDecoder({ identities: [identity] }))).toBeNull());
  });

  it("after HeaderMacError (the file key was unwrapped, then the MAC failed): X25519", () => {
    expectNoKeysLeft(() => expect(decode(tamper(x25519(), "age-rt", "mac"), new AgeRTDecoder({ identities: [identity] }))).toBeInstanceOf(HeaderMacError));
  });

  it("after HeaderMacError: passphrase", () => {
    expectNoKeysLeft(() => expect(decode(tamper(pass(), "age-rt", "mac"), new AgeRTDecoder(PASSPHRASE))).toBeInstanceOf(HeaderMacError));
  });

  it("after ChunkAuthenticationError on the first chunk and on the last", () => {
    expectNoKeysLeft(() => {
      expect(decode(tamper(x25519(), "age-rt", "firstTag"), new AgeRTDecoder({ identities: [identity] }))).toBeInstanceOf(ChunkAuthenticationError);
      expect(decode(tamper(age(), "age", "lastTag"), new AgeDecoder({ identities: [identity] }))).toBeInstanceOf(ChunkAuthenticationError);
    });
  });

  it("after StreamTruncatedError (input ends after the nonce and after a chunk)", () => {
    expectNoKeysLeft(() => {
      const file = x25519();
      const lay = layoutOf(file, "age-rt");
      expect(decode(file.subarray(0, lay.nonce.end), new AgeRTDecoder({ identities: [identity] }))).toBeInstanceOf(StreamTruncatedError);
      expect(decode(file.subarray(0, lay.chunks[0]!.end), new AgeRTDecoder({ identities: [identity] }))).toBeInstanceOf(StreamTruncatedError);
    });
  });

  it("after a decoder is abandoned mid-stream, the next decode's work leaves no key of either behind", () => {
    // The first decoder still holds its payload key (it may yet be fed): only
    // WebAssembly memory is checked for it, after another decode ran.
    keys.reset();
    const file = x25519();
    const dec = new AgeRTDecoder({ identities: [identity] });
    let off = 0;
    while (keys.payloadKeys.length === 0) {
      const n = dec.bytesWanted;
      dec.feed(file.subarray(off, (off += n)));
    }
    const abandoned = keys.payloadKeys[0]!.value;
    expect(decode(x25519(), new AgeRTDecoder({ identities: [identity] }))).toBeNull();
    expect(findInWasm(abandoned)).toEqual([]);
  });

  it("the encoder wipes its file key at once and its payload key after the final chunk", () => {
    keys.reset();
    const enc = AgeRTEncoder.fromRecipients([recipient]);
    const fileKey = keys.fileKeys[0]!;
    const payloadKey = keys.payloadKeys[0]!;
    expect(isZero(fileKey.held)).toBe(true);
    expect(isZero(payloadKey.held)).toBe(false); // still needed
    // Before any chunk overwrites the I/O window: the stanza's seal (in place, then
    // wiped for key-sized messages) left no copy of the file key there.
    expect(findInWasm(fileKey.value), "file key left in the window by the stanza's seal").toEqual([]);
    enc.encodeChunk(te("a"));
    enc.encodeChunk(te("b"), true);
    expect(isZero(payloadKey.held)).toBe(true);
    expect(findInWasm(fileKey.value)).toEqual([]);
    expect(findInWasm(payloadKey.value)).toEqual([]);
  });

  it("neither the identity's secret scalar nor the passphrase ever enters WebAssembly memory", () => {
    decode(x25519(), new AgeRTDecoder({ identities: [identity] }));
    decode(tamper(pass(), "age-rt", "mac"), new AgeRTDecoder(PASSPHRASE));
    expect(findInWasm(secretScalar)).toEqual([]);
    expect(findInWasm(te(PASSPHRASE))).toEqual([]);
  });

  it("each scrypt instance is wiped: after the derivation its memory is all zero above the module's static data", () => {
    decode(x25519(), new AgeRTDecoder({ identities: [identity] })); // the shared AEAD instance exists by now
    const before = instances.length;
    decode(pass(), new AgeRTDecoder(PASSPHRASE));
    decode(tamper(pass(), "age-rt", "mac"), new AgeRTDecoder(PASSPHRASE));
    // Instances made since: one per derivation (encrypting and decrypting), each used once and dropped.
    const scryptInstances = instances.slice(before).map((inst) => inst.exports as unknown as { memory: WebAssembly.Memory; scrypt_base: () => number });
    expect(scryptInstances.length).toBeGreaterThanOrEqual(4);
    for (const x of scryptInstances) {
      const base = x.scrypt_base!();
      expect(isZero(new Uint8Array(x.memory.buffer, base)), "scrypt work area not wiped").toBe(true);
    }
  });
});

describe("random access: no key left once closed, or after a failed open", () => {
  /** Like expectNoKeysLeft, for the asynchronous random-access calls. */
  async function expectNoKeysLeftAsync(run: () => Promise<void>): Promise<void> {
    keys.reset();
    await run();
    expect(keys.fileKeys.length, "the scenario derived no key").toBeGreaterThan(0);
    for (const [kind, list] of [["file key", keys.fileKeys], ["payload key", keys.payloadKeys]] as const) {
      for (const k of list) {
        expect(findInWasm(k.value), `${kind} found in WebAssembly memory`).toEqual([]);
        expect(isZero(k.held), `the ${kind} array the library held is not wiped`).toBe(true);
      }
    }
  }
  const big = new Uint8Array(5 * 65536 + 77).fill(0x5a);
  const file = encodeBytes([big], AgeEncoder.fromRecipients([recipient]));

  it("opened, read, streamed and closed: the payload key is wiped at close()", async () => {
    await expectNoKeysLeftAsync(async () => {
      const ra = await openRandomAccess(file, { identities: [identity] });
      expect(keys.payloadKeys.length).toBe(1);
      expect(isZero(keys.payloadKeys[0]!.held)).toBe(false); // in use until closed
      await ra.read(65530, 70_000);
      for await (const _ of ra.stream(0, 200_000) as unknown as AsyncIterable<Uint8Array>) void _;
      ra.close();
    });
  });

  it("a last chunk that fails at open, and a wrong identity: nothing left either", async () => {
    await expectNoKeysLeftAsync(async () => {
      const cut = file.subarray(0, file.length - 1);
      await expect(openRandomAccess(cut, { identities: [identity] })).rejects.toBeInstanceOf(ChunkAuthenticationError);
      await expect(openRandomAccess(file, { passphrase: "nope", identities: [generateIdentity()] })).rejects.toBeInstanceOf(NoIdentityMatchError);
    });
  });
});

describe("constant-time comparisons (review, pinned by tests)", () => {
  // src/crypto/kdf.ts constantTimeEqual: the length check leaks only the
  // length (public: both MACs are 32 bytes); the loop ORs the XOR of every
  // byte pair with no early exit, and the result is read once at the end.
  // The header MAC (binary-decoder.ts) and the X25519 all-zero check use it
  // or the same OR-accumulate pattern. The WebAssembly open path
  // (assembly/aead/aead.ts open) computes the tag first and compares the four
  // 32-bit words with XOR/OR before one branch on the result, and decrypts
  // only after a match; @noble/ciphers (the pure-JS path) compares with its
  // constant-time equalBytes. Timing of the JIT-compiled JS is not a
  // guarantee a test can make; these tests pin the source shape.
  it("constantTimeEqual is correct at every position and length", () => {
    const a = new Uint8Array(32).fill(9);
    expect(constantTimeEqual(a, a.slice())).toBe(true);
    for (let i = 0; i < 32; i++) {
      const b = a.slice();
      b[i]! ^= 0x80;
      expect(constantTimeEqual(a, b)).toBe(false);
    }
    expect(constantTimeEqual(a, a.subarray(0, 31))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it("constantTimeEqual's loop has no early exit (accumulates, returns once after the loop)", () => {
    const src = constantTimeEqual.toString();
    const loop = src.slice(src.indexOf("for"), src.lastIndexOf("return"));
    expect(loop).toMatch(/\|=/);
    expect(loop).not.toMatch(/return|break/);
  });

  it("the WebAssembly open computes the tag first and compares without an early exit, then decrypts", () => {
    const src = readFileSync(new URL("../assembly/aead/aead.ts", import.meta.url), "utf8");
    const open = src.slice(src.indexOf("export function open("));
    const body = open.slice(0, open.indexOf("\n}\n"));
    const compare = body.slice(body.indexOf("const diff"), body.indexOf("if (diff"));
    expect(compare).toMatch(/\^/);
    expect(compare).not.toMatch(/\bif\b|\?|&&|\|\|/);
    // mac() before the comparison, crypt() (decryption) only after it.
    expect(body.indexOf("mac(")).toBeLessThan(body.indexOf("const diff"));
    expect(body.indexOf("crypt(")).toBeGreaterThan(body.indexOf("if (diff"));
  });
});

describe("no secret in any error message", () => {
  const secrets = [PASSPHRASE, identity, identity.toLowerCase(), identity.slice(20, 40), ...PLAINTEXT.map((p) => new TextDecoder().decode(p))];
  /** The message, stack and cause chain of an error, as one text. */
  const text = (e: unknown): string => {
    const parts: string[] = [];
    for (let x = e, depth = 0; x instanceof Error && depth < 5; x = x.cause, depth++) parts.push(x.message, x.stack ?? "", String(x));
    return parts.join("\n");
  };
  const expectClean = (e: unknown, where: string) => {
    expect(e, where).toBeInstanceOf(AgeRTError);
    const t = text(e);
    for (const s of secrets) expect(t.includes(s), `${where}: the error text contains a secret:\n${(e as Error).message}`).toBe(false);
  };

  it("over 3000 mutants of X25519 and passphrase files, every decoder kind", () => {
    const files = [
      { file: rtFile(AgeRTEncoder.fromRecipients([recipient])), make: () => new AgeRTDecoder({ identities: [identity], passphrase: PASSPHRASE, maxWorkFactor: 4 }) },
      { file: rtFile(AgeRTEncoder.fromPassphrase(PASSPHRASE, { workFactor: 1 })), make: () => new AgeAutoDecoder({ passphrase: [PASSPHRASE, "another"], identities: [identity], maxWorkFactor: 4 }) },
      { file: encodeBytes(PLAINTEXT, AgeEncoder.fromPassphrase(PASSPHRASE, { workFactor: 1 })), make: () => new AgeDecoder(PASSPHRASE, { maxWorkFactor: 4 }) },
    ];
    const rand = seededRandom("hygiene-messages");
    let errors = 0;
    for (let i = 0; i < 3000; i++) {
      const { file, make } = files[i % files.length]!;
      const m = file.slice();
      const edits = 1 + Math.floor(rand() * 3);
      for (let k = 0; k < edits; k++) m[Math.floor(rand() * m.length)]! ^= 1 << Math.floor(rand() * 8);
      const cut = rand() < 0.2 ? Math.floor(rand() * m.length) : m.length;
      const e = decode(m.subarray(0, cut), make());
      if (e !== null) {
        errors++;
        expectClean(e, `mutant ${i}`);
      }
    }
    expect(errors).toBeGreaterThan(2500);
  });

  it("no-match and MAC errors name stanza types, not keys", () => {
    const file = rtFile(AgeRTEncoder.fromPassphrase(PASSPHRASE, { workFactor: 1 }));
    const e1 = decode(file, new AgeRTDecoder("wrong " + PASSPHRASE));
    expect(e1).toBeInstanceOf(NoIdentityMatchError);
    expectClean(e1, "wrong passphrase");
    expectClean(decode(tamper(file, "age-rt", "mac"), new AgeRTDecoder(PASSPHRASE)), "bad MAC");
  });

  // Malformed key strings: each is a UsageError whose text contains neither
  // the string nor any 12-character piece of it (it may be a secret key with
  // a typo, pasted into the wrong place).
  const corrupt = (s: string, i: number, c: string) => s.slice(0, i) + c + s.slice(i + 1);
  const badIdentities: Record<string, string> = {
    "a flipped character (bad checksum)": corrupt(identity, 30, identity[30] === "Q" ? "P" : "Q"),
    "mixed case": identity.slice(0, 30) + identity.slice(30).toLowerCase(),
    "truncated": identity.slice(0, -3),
    "extra characters": identity + "QQ",
    "a character outside the alphabet": corrupt(identity, 25, "B"),
    "leading space": " " + identity,
    "a post-quantum-looking prefix": identity.replace("AGE-SECRET-KEY-1", "AGE-SECRET-KEY-PQ-1"),
    "an identity given as a recipient": identity,
  };
  for (const [name, s] of Object.entries(badIdentities)) {
    it(`a bad key string, ${name}: typed error, nothing of the key in the message`, () => {
      let error: unknown = null;
      try {
        if (name.includes("as a recipient")) parseRecipient(s);
        else if (name === "mixed case" || name === "leading space") new AgeRTDecoder({ identities: [s] });
        else parseIdentity(s);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AgeRTError);
      const t = text(error);
      // The key's data part, after the public prefix "AGE-SECRET-KEY-1" / "AGE-SECRET-KEY-PQ-1".
      for (let i = s.lastIndexOf("1", 20) + 1; i + 12 <= s.length; i += 4) {
        expect(t.includes(s.slice(i, i + 12)), `message echoes part of the key: ${(error as Error).message}`).toBe(false);
      }
    });
  }
});
