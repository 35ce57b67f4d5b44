// Asynchronous identities and recipients (API.md "Recipients and
// identities"): a Promise from unwrapFileKey/wrapFileKey works on every
// asynchronous path — aiterDecodeChunks, aiterDecodeCallable, decryptStream,
// the Node transforms and file helpers, the CLI's decryption (both its
// streaming and its parallel file path) — and the synchronous paths throw a
// UsageError naming the asynchronous alternative. The push decoder pauses
// with `pending` while the identity works.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeDecoder, AgeEncoder, AgeRTDecoder, AgeRTEncoder, HeaderParseError, NoIdentityMatchError, UsageError,
  aiterDecodeCallable, aiterDecodeChunks, aiterEncodeChunks, armor, decodeBytes, decodeFile, decryptStream, decryptTransform,
  encodeBytes, encodeFile, encryptStream, encryptTransform, generateHybridIdentity, generateIdentity, identityToRecipient,
  iterDecodeCallable, iterDecodeChunks, iterEncodeChunks, type Identity, type Recipient, type Stanza,
} from "../src/node.js";
import { parseIdentity, parseRecipient } from "../src/recipients/keys.js";
import { decrypt } from "../src/cli/decrypt.js";
import { randomSplits, seededRandom } from "./helpers/random.js";

const dir = mkdtempSync(join(tmpdir(), "age-rt-async-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = generateIdentity();
const pqKey = generateHybridIdentity();
const data = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7 + (i >> 9)) & 0xff);
const file = encodeBytes([data], AgeEncoder.fromRecipients([identityToRecipient(key)]));
const rtFile = encodeBytes([data.subarray(0, 10), data.subarray(10, 90_000), new Uint8Array(0), data.subarray(90_000)], AgeRTEncoder.fromRecipients([identityToRecipient(key)]));
const armored = new TextEncoder().encode(armor.encode(file));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `s`'s identity, answering after `ms`; counts its calls. */
function delayed(s: string, ms = 5): Identity & { calls: number } {
  const id = parseIdentity(s);
  const self = {
    calls: 0,
    async unwrapFileKey(stanzas: readonly Stanza[]) {
      self.calls++;
      await sleep(ms);
      return id.unwrapFileKey(stanzas);
    },
  };
  return self;
}

/** `s`'s recipient, answering after `ms`. */
function delayedRecipient(s: string, ms = 5): Recipient {
  const r = parseRecipient(s);
  return {
    async wrapFileKey(fileKey) {
      const k = fileKey.slice(); // the encoder wipes its file key only after every recipient answered
      await sleep(ms);
      return r.wrapFileKey(k);
    },
  };
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
  return Buffer.concat(parts);
}

describe("the push decoder waits for an asynchronous identity", () => {
  it("pending is a Promise while the identity works: bytesWanted 0, not done, feed() a UsageError", async () => {
    const id = delayed(key);
    const dec = new AgeDecoder({ identities: [id] });
    let off = 0;
    while (dec.pending === null) dec.feed(file.subarray(off, (off += dec.bytesWanted)));
    expect(dec.bytesWanted).toBe(0);
    expect(dec.isDone()).toBe(false);
    expect(() => dec.feed(file.subarray(off, off + 1))).toThrow(UsageError);
    await dec.pending;
    expect(dec.pending).toBeNull();
    expect(dec.bytesWanted).toBe(16); // the payload nonce, then the chunks as usual
    const out: Uint8Array[] = [];
    while (dec.bytesWanted > 0) {
      const c = dec.feed(file.subarray(off, (off += Math.min(dec.bytesWanted, file.length - off))));
      if (c) out.push(c);
    }
    expect(Buffer.concat(out).equals(data)).toBe(true);
    expect(id.calls).toBe(1);
  });

  it("pending rejects with the decoder's error, which then sticks", async () => {
    const dec = new AgeRTDecoder({ identities: [delayed(generateIdentity())] });
    let off = 0;
    while (dec.pending === null) dec.feed(rtFile.subarray(off, (off += dec.bytesWanted)));
    await expect(dec.pending).rejects.toBeInstanceOf(NoIdentityMatchError);
    expect(() => dec.feed(new Uint8Array(16))).toThrow(NoIdentityMatchError);
  });

  it("an identity that throws asynchronously: its error, sticky", async () => {
    const boom = new HeaderParseError("bad stanza of mine");
    const dec = new AgeAutoDecoder({ identities: [{ unwrapFileKey: async () => { await sleep(1); throw boom; } }] });
    await expect(collect(aiterDecodeChunks([file], dec))).rejects.toBe(boom);
    expect(() => dec.feed(new Uint8Array(1))).toThrow(boom);
  });

  it("identities are tried in order: a synchronous no, an asynchronous no, then an asynchronous yes", async () => {
    const no1 = parseIdentity(generateIdentity());
    const no2 = delayed(generateIdentity());
    const yes = delayed(key);
    const got = await collect(aiterDecodeChunks([file], new AgeAutoDecoder({ identities: [no1, no2, yes] })));
    expect(got.equals(data)).toBe(true);
    expect([no2.calls, yes.calls]).toEqual([1, 1]);
  });
});

describe("every asynchronous path", () => {
  const cases = { "age v1": file, "age-rt": rtFile, "armored age v1": armored };
  for (const [name, input] of Object.entries(cases)) {
    const expected = Buffer.from(data);
    it(`${name}: aiterDecodeChunks in random splits`, async () => {
      for (const seed of ["a", "b", "c"]) {
        const got = await collect(aiterDecodeChunks(randomSplits(input, seededRandom(seed)), new AgeAutoDecoder({ identities: [delayed(key, 2)] })));
        expect(got.equals(expected)).toBe(true);
      }
    });

    it(`${name}: aiterDecodeCallable, byte-exact reads`, async () => {
      let off = 0;
      const read = async (n: number) => input.subarray(off, (off += n));
      expect((await collect(aiterDecodeCallable(read, new AgeAutoDecoder({ identities: [delayed(key)] })))).equals(expected)).toBe(true);
    });

    it(`${name}: decryptStream, 1 KiB pieces`, async () => {
      const source = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < input.length; i += 1024) c.enqueue(input.slice(i, i + 1024));
          c.close();
        },
      });
      const got = await readAll(source.pipeThrough(decryptStream(new AgeAutoDecoder({ identities: [delayed(key)] }))));
      expect(got.equals(expected)).toBe(true);
    });

    it(`${name}: the Node transform and decodeFile`, async () => {
      const viaTransform = await collect(Readable.from(randomSplits(input, seededRandom("t")).map((b) => Buffer.from(b))).pipe(decryptTransform(new AgeAutoDecoder({ identities: [delayed(key)] }))));
      expect(viaTransform.equals(expected)).toBe(true);
      const path = join(dir, `${name.replace(/ /g, "-")}.age`);
      writeFileSync(path, input);
      expect((await collect(decodeFile(path, new AgeAutoDecoder({ identities: [delayed(key)] })))).equals(expected)).toBe(true);
    });
  }

  it("a post-quantum identity behind a delay", async () => {
    const pqFile = encodeBytes([data], AgeEncoder.fromRecipients([identityToRecipient(pqKey)]));
    expect((await collect(aiterDecodeChunks([pqFile], new AgeAutoDecoder({ identities: [delayed(pqKey)] })))).equals(Buffer.from(data))).toBe(true);
  });
});

describe("the CLI's decryption takes asynchronous identities (plugins)", () => {
  const out = () => {
    const parts: Uint8Array[] = [];
    return {
      parts,
      write: async (b: Uint8Array) => void parts.push(b.slice()),
      writeSync: (b: Uint8Array) => void parts.push(b.slice()),
      close: async () => {},
      abort: async () => {},
    };
  };
  const opts = (identities: (string | Identity)[]) => ({ identities, getPassphrase: async () => "", maxWorkFactor: undefined, maxChunk: undefined });

  it("streaming from a pipe", async () => {
    async function* chunks() {
      for (const b of randomSplits(file, seededRandom("cli"))) yield b;
    }
    const o = out();
    await decrypt({ chunks: chunks(), fromTerminal: false }, o, opts([delayed(key)]), {});
    expect(Buffer.concat(o.parts).equals(Buffer.from(data))).toBe(true);
  });

  // The parallel path runs the WebAssembly core in worker threads; without WebAssembly the CLI streams.
  it.skipIf(typeof WebAssembly === "undefined")("the parallel path for a large file", async () => {
    const big = new Uint8Array(6 * 1024 * 1024 + 123).map((_, i) => i & 0xff);
    const path = join(dir, "big.age");
    writeFileSync(path, encodeBytes([big], AgeEncoder.fromRecipients([identityToRecipient(key)])));
    const fd = openSync(path, "r");
    try {
      const o = out();
      const id = delayed(key);
      // Only the first 64 KiB come as a stream (the header peek): the rest must be read in runs, positionally.
      async function* head(): AsyncGenerator<Uint8Array> {
        yield readFileSync(path).subarray(0, 65536);
      }
      await decrypt({ chunks: head(), fromTerminal: false, file: { fd, size: statSync(path).size, start: 0 } }, o, opts([id]), {});
      expect(Buffer.concat(o.parts).equals(Buffer.from(big))).toBe(true);
      expect(id.calls).toBe(1);
    } finally {
      closeSync(fd);
    }
  });
});

describe("asynchronous recipients", () => {
  const recipient = identityToRecipient(key);

  it("aiterEncodeChunks, encryptStream, encryptTransform and encodeFile wait for them", async () => {
    for (const make of [() => AgeEncoder.fromRecipients([delayedRecipient(recipient)]), () => AgeRTEncoder.fromRecipients([delayedRecipient(recipient)])]) {
      const viaIter = await collect(aiterEncodeChunks([data], make()));
      const viaStream = await readAll(new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(data), c.close()) }).pipeThrough(encryptStream(make())));
      const viaTransform = await collect(Readable.from([Buffer.from(data)]).pipe(encryptTransform(make())));
      const path = join(dir, "enc.age");
      await encodeFile([data], path, make());
      const viaFile = new Uint8Array(readFileSync(path));
      for (const f of [viaIter, viaStream, viaTransform, viaFile]) {
        expect(Buffer.concat([...decodeBytes(f, new AgeAutoDecoder({ identities: [key] }))]).equals(Buffer.from(data))).toBe(true);
      }
    }
  });

  it("getHeader() before the recipient answered is a UsageError; after awaiting pending it works", async () => {
    const enc = AgeEncoder.fromRecipients([delayedRecipient(recipient)]);
    expect(() => enc.getHeader()).toThrow(/await the encoder's pending promise/);
    expect(() => enc.encodeChunk(new Uint8Array(1))).toThrow(UsageError);
    await enc.pending;
    expect(enc.pending).toBeNull();
    const f = new Uint8Array([...enc.getHeader(), ...enc.encodeChunk(data.subarray(0, 5))]);
    expect(Buffer.concat([...decodeBytes(f, new AgeDecoder({ identities: [key] }))]).equals(Buffer.from(data.subarray(0, 5)))).toBe(true);
  });

  it("a recipient that rejects: pending and the async paths reject with its error", async () => {
    const boom = new Error("hardware key unplugged");
    const make = () => AgeEncoder.fromRecipients([{ wrapFileKey: async () => Promise.reject(boom) }]);
    await expect(make().pending).rejects.toBe(boom);
    await expect(collect(aiterEncodeChunks([data], make()))).rejects.toBe(boom);
  });
});

describe("synchronous paths refuse, naming the asynchronous alternative", () => {
  it("decoders", () => {
    const dec = () => new AgeAutoDecoder({ identities: [delayed(key)] });
    expect(() => [...decodeBytes(file, dec())]).toThrow(/decodeBytes cannot wait for: use aiterDecodeChunks or decryptStream/);
    expect(() => [...iterDecodeChunks([file], dec())]).toThrow(/iterDecodeChunks cannot wait for: use aiterDecodeChunks/);
    let off = 0;
    expect(() => [...iterDecodeCallable((n) => file.subarray(off, (off += n)), dec())]).toThrow(/iterDecodeCallable cannot wait for: use aiterDecodeCallable/);
    for (const f of [() => [...decodeBytes(file, dec())]]) expect(f).toThrow(UsageError);
  });

  it("encoders", () => {
    const enc = () => AgeEncoder.fromRecipients([delayedRecipient(identityToRecipient(key))]);
    expect(() => encodeBytes([data], enc())).toThrow(/encodeBytes cannot wait for: use aiterEncodeChunks or encryptStream/);
    expect(() => [...iterEncodeChunks([data], enc())]).toThrow(/iterEncodeChunks cannot wait for/);
  });
});
