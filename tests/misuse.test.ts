// Misuse of the API (issue 5): every wrong call is a typed error with a
// message that says what was wrong — feeding a finished decoder (issue 18:
// InsufficientDataError, as in the Python reference), feeding
// after an error (the same error again: sticky), wrong lengths, wrong types,
// encoding after the final chunk, oversized chunks, one decoder for two
// files, decoders without keys, bad recipient and identity strings.
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeDecoder, AgeEncoder, AgeRTDecoder, AgeRTEncoder, AgeRTError, ChunkAuthenticationError, InsufficientDataError,
  UsageError, aiterDecodeCallable, aiterDecodeChunks, armor, decodeBytes, decryptStream, encodeBytes, generateIdentity,
  identityToRecipient, iterDecodeCallable, iterDecodeChunks, iterEncodeChunks, encryptStream, type Decoder,
} from "../src/index.js";
import { rejection, thrown } from "./helpers/thrown.js";

async function drainAsync(it: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}

const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const te = (s: string) => new TextEncoder().encode(s);
const CS = 65536;

const rtFile = (chunks = ["one", "two"]) => encodeBytes(chunks.map(te), AgeRTEncoder.fromRecipients([recipient]));
const ageFile = (n = 100) => encodeBytes([new Uint8Array(n).fill(1)], AgeEncoder.fromRecipients([recipient]));

/** Feeds the whole file as bytesWanted asks (a short final read where AgeDecoder takes one); returns the chunks. */
function feedAll(dec: Decoder, file: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let off = 0;
  while (!dec.isDone()) {
    const n = Math.min(dec.bytesWanted, file.length - off);
    const r = dec.feed(file.subarray(off, (off += n)));
    if (r !== null) out.push(r);
  }
  return out;
}

const makers: Record<string, { file: () => Uint8Array; dec: () => Decoder }> = {
  AgeRTDecoder: { file: () => rtFile(), dec: () => new AgeRTDecoder({ identities: [identity] }) },
  AgeDecoder: { file: () => ageFile(), dec: () => new AgeDecoder({ identities: [identity] }) },
  "AgeAutoDecoder (age-rt)": { file: () => rtFile(), dec: () => new AgeAutoDecoder({ identities: [identity] }) },
  "AgeAutoDecoder (age v1)": { file: () => ageFile(), dec: () => new AgeAutoDecoder({ identities: [identity] }) },
};

describe("feeding a decoder", () => {
  for (const [name, { file, dec: make }] of Object.entries(makers)) {
    describe(name, () => {
      it("after it is done: bytesWanted 0; an empty feed returns null; data is misuse (InsufficientDataError, as in the reference), then sticky", () => {
        const dec = make();
        feedAll(dec, file());
        expect(dec.isDone()).toBe(true);
        expect(dec.bytesWanted).toBe(0);
        expect(dec.feed(new Uint8Array(0))).toBeNull();
        const e = thrown(() => dec.feed(te("x")));
        expect(e).toBeInstanceOf(InsufficientDataError);
        expect(e.message).toBe("feed() expected exactly 0 bytes, got 1"); // the reference: "Expected 0 bytes, got 1"
        expect(thrown(() => dec.feed(new Uint8Array(0)))).toBe(e);
      });

      it("after an error: every later call throws the same error object, whatever it is given", () => {
        const dec = make();
        const f = file();
        const bad = f.slice();
        bad[bad.length - 1]! ^= 1; // the last tag
        const e = thrown(() => feedAll(dec, bad));
        expect(e).toBeInstanceOf(ChunkAuthenticationError);
        expect(thrown(() => dec.feed(new Uint8Array(Math.max(1, dec.bytesWanted))))).toBe(e);
        expect(thrown(() => dec.feed(new Uint8Array(0)))).toBe(e);
        expect(thrown(() => [...iterDecodeChunks([f], dec)])).toBe(e);
      });

      it("a feed of the wrong length: InsufficientDataError saying how many bytes were wanted and given (and the decoder stays failed)", () => {
        const dec = make();
        const f = file();
        dec.feed(f.subarray(0, 1)); // the header is read one byte at a time
        expect(dec.bytesWanted).toBe(1);
        const e = thrown(() => dec.feed(f.subarray(1, 3)));
        expect(e).toBeInstanceOf(InsufficientDataError);
        expect(e.message).toBe("feed() expected exactly 1 bytes, got 2");
        expect(thrown(() => dec.feed(f.subarray(1, 2)))).toBe(e);
      });

      it("an empty feed while bytes are wanted: InsufficientDataError", () => {
        const e = thrown(() => make().feed(new Uint8Array(0)));
        expect(e).toBeInstanceOf(InsufficientDataError);
        expect(e.message).toMatch(/expected exactly 1 bytes, got 0/);
      });

      for (const [what, value, got] of [["a string", "age", "string"], ["an array", [0x61], "Array"], ["null", null, "null"], ["an ArrayBuffer", new ArrayBuffer(1), "ArrayBuffer"]] as const) {
        it(`feeding ${what}: UsageError naming the type (it used to be read character by character, or a TypeError)`, () => {
          const e = thrown(() => make().feed(value as unknown as Uint8Array));
          expect(e).toBeInstanceOf(UsageError);
          expect(e.message).toBe(`feed() data must be a Uint8Array, got ${got}`);
        });
      }

      it("a Buffer is a Uint8Array and is accepted", () => {
        expect(feedAll(make(), Buffer.from(file())).length).toBeGreaterThan(0);
      });
    });
  }

  it("payload feeds of the wrong size: age-rt wants exactly the prefix's length; AgeDecoder alone takes a short final read", () => {
    const f = rtFile(["hello"]);
    const dec = new AgeRTDecoder({ identities: [identity] });
    let off = 0;
    while (dec.bytesWanted === 1 || dec.bytesWanted === 16) dec.feed(f.subarray(off, (off += dec.bytesWanted)));
    expect(dec.bytesWanted).toBe(4); // a length prefix
    dec.feed(f.subarray(off, (off += 4)));
    expect(dec.bytesWanted).toBe(5 + 16);
    expect(thrown(() => dec.feed(f.subarray(off, off + 20)))).toBeInstanceOf(InsufficientDataError);

    const a = ageFile(10);
    const adec = new AgeDecoder({ identities: [identity] });
    const out = feedAll(adec, a); // the last feed is 26 bytes where 65552 were wanted
    expect(out[0]!.length).toBe(10);
  });

  it("one decoder for two files: the second file is trailing data after the first (ChunkAuthenticationError)", () => {
    const dec = new AgeRTDecoder({ identities: [identity] });
    expect(() => [...iterDecodeChunks([rtFile(), rtFile()], dec)]).toThrow(ChunkAuthenticationError);
    const dec2 = new AgeRTDecoder({ identities: [identity] });
    feedAll(dec2, rtFile());
    expect(() => [...decodeBytes(rtFile(), dec2)]).toThrow(/trailing data after the final chunk/);
  });
});

// Review of issue 18: input that is not a Uint8Array reached the decoder
// through the iterators and streams unchecked. An ArrayBuffer was taken for
// no input at all ("input ended inside the header"), a string or an array
// threw a TypeError from inside the Feeder, and a read callable's string was
// judged as armor or as trailing data.
describe("what the iterators and streams are given", () => {
  const bad: [string, unknown, string][] = [
    ["an ArrayBuffer", new ArrayBuffer(8), "ArrayBuffer"], ["a string", "age", "string"], ["an array", [0x61], "Array"],
    ["null", null, "null"], ["undefined", undefined, "undefined"],
  ];
  const dec = () => new AgeAutoDecoder({ identities: [identity] });

  for (const [what, value, got] of bad) {
    it(`a blob that is ${what}: UsageError naming its type (decodeBytes, iterDecodeChunks, aiterDecodeChunks, decryptStream)`, async () => {
      const message = `decoder input must be a Uint8Array, got ${got}`;
      const v = value as Uint8Array;
      expect(thrown(() => [...decodeBytes(v, dec())])).toEqual(new UsageError(message));
      // After a good first blob too: the decoder is mid-header then.
      const e = thrown(() => [...iterDecodeChunks([rtFile().subarray(0, 5), v], dec())]);
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toBe(message);
      expect(await rejection(drainAsync(aiterDecodeChunks([v], dec())))).toEqual(new UsageError(message));
      const source = new ReadableStream<unknown>({ start: (c) => (c.enqueue(value), c.close()) });
      expect(await rejection(drainAsync(source.pipeThrough(decryptStream(dec())) as unknown as AsyncIterable<Uint8Array>))).toEqual(new UsageError(message));
    });
  }

  /** A read callable over `file` whose reads from byte `at` on return `value` instead. */
  const readFrom = (file: Uint8Array, at: number, value: unknown) => {
    let off = 0;
    return (n: number) => (off >= at ? value : file.subarray(off, (off = Math.min(off + n, file.length)))) as Uint8Array;
  };
  const armoredFile = () => te(armor.encode(rtFile()));
  const fullAgeFile = () => encodeBytes([new Uint8Array(CS)], AgeEncoder.fromRecipients([recipient]));
  const where: [string, () => Uint8Array, (f: Uint8Array) => number][] = [
    ["the first read", rtFile, () => 0],
    ["inside the header", rtFile, () => 10],
    ["in armored text", armoredFile, () => 100],
    ["after an age v1 file's final chunk (the trailing-data read)", fullAgeFile, (f) => f.length],
    ["after an armor's end line", armoredFile, (f) => f.length],
  ];
  for (const [what, value, got] of bad) {
    for (const [place, file, at] of where) {
      it(`a read callable that returns ${what}, ${place}: UsageError (iterDecodeCallable and aiterDecodeCallable)`, async () => {
        const f = file();
        const message = `read() result must be a Uint8Array, got ${got}`;
        expect(thrown(() => [...iterDecodeCallable(readFrom(f, at(f), value), dec())])).toEqual(new UsageError(message));
        const read = readFrom(f, at(f), value);
        expect(await rejection(drainAsync(aiterDecodeCallable(async (n) => read(n), dec())))).toEqual(new UsageError(message));
      });
    }
  }
});

describe("a decoder or encoder the iterators and streams cannot drive", () => {
  // What the prebuilt browser bundle sees of another build's coders, whose internal
  // members it renames (tests/browsers.test.ts meets this for real); likewise an
  // object that only looks like a push decoder or an encoder.
  const decoderLike = { bytesWanted: 1, feed: () => null, isDone: () => false, pending: null } as unknown as Decoder;
  const encoderLike = { getHeader: () => new Uint8Array(1), encodeChunk: () => new Uint8Array(1), finalized: false } as unknown as AgeEncoder;
  const decoderMessage = /^this decoder is not one of this build of age-rt .*: pass it to the iterators and streams of the build that made it$/;
  const encoderMessage = /^this encoder is not one of this build of age-rt /;

  it("a decoder: UsageError from every decoding entry point, before any read", async () => {
    let reads = 0;
    const read = (n: number) => (reads++, new Uint8Array(n));
    for (const run of [
      () => [...decodeBytes(new Uint8Array(10), decoderLike)],
      () => [...iterDecodeChunks([new Uint8Array(10)], decoderLike)],
      () => [...iterDecodeCallable(read, decoderLike)],
      () => decryptStream(decoderLike),
    ]) {
      const e = thrown(run);
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(decoderMessage);
    }
    for (const it of [aiterDecodeChunks([new Uint8Array(10)], decoderLike), aiterDecodeCallable(async (n) => read(n), decoderLike)]) {
      const e = await rejection(drainAsync(it));
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(decoderMessage);
    }
    expect(reads).toBe(0);
  });

  it("an encoder: UsageError from encodeBytes, iterEncodeChunks and encryptStream", () => {
    for (const run of [() => encodeBytes([new Uint8Array(10)], encoderLike), () => [...iterEncodeChunks([new Uint8Array(10)], encoderLike)], () => encryptStream(encoderLike)]) {
      const e = thrown(run);
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(encoderMessage);
    }
  });
});

describe("encoders", () => {
  it("encodeChunk after the final chunk: UsageError (age-rt and age v1), and the header is still available", () => {
    const rt = AgeRTEncoder.fromRecipients([recipient]);
    rt.encodeChunk(te("x"), true);
    expect(rt.finalized).toBe(true);
    const e = thrown(() => rt.encodeChunk(te("y")));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toMatch(/after the final chunk: this encoder is finalized/);
    expect(() => rt.encodeChunk(new Uint8Array(0), true)).toThrow(UsageError);
    expect(rt.getHeader().length).toBeGreaterThan(16);

    const age = AgeEncoder.fromRecipients([recipient]);
    age.encodeChunk(te("short, so final"));
    expect(age.finalized).toBe(true);
    expect(() => age.encodeChunk(new Uint8Array(CS))).toThrow(/finalized/);
  });

  it("a chunk over maxChunkSize: UsageError naming both sizes; nothing is consumed (the encoder goes on)", () => {
    const rt = AgeRTEncoder.fromRecipients([recipient], { maxChunkSize: 100 });
    expect(thrown(() => rt.encodeChunk(new Uint8Array(101))).message).toBe("chunk of 101 bytes exceeds this stream's maxChunkSize of 100");
    expect(rt.finalized).toBe(false);
    const frame = rt.encodeChunk(new Uint8Array(100), true);
    expect(frame.length).toBe(4 + 100 + 16);
  });

  it("age v1 chunk sizes: over 64 KiB, a short non-final chunk, an empty final chunk after a full one", () => {
    const age = AgeEncoder.fromRecipients([recipient]);
    expect(thrown(() => age.encodeChunk(new Uint8Array(CS + 1))).message).toMatch(/at most 65536 bytes, got 65537/);
    expect(thrown(() => age.encodeChunk(new Uint8Array(10), false)).message).toMatch(/exactly 65536 bytes, got 10/);
    age.encodeChunk(new Uint8Array(CS), false);
    expect(thrown(() => age.encodeChunk(new Uint8Array(0), true)).message).toMatch(/empty final chunk may only end an empty payload/);
  });

  for (const [what, value] of [["a string", "text"], ["null", null], ["an array", [1, 2]]] as const) {
    it(`encodeChunk of ${what}: UsageError (null used to be a TypeError)`, () => {
      for (const enc of [AgeRTEncoder.fromRecipients([recipient]), AgeEncoder.fromRecipients([recipient])]) {
        const e = thrown(() => enc.encodeChunk(value as unknown as Uint8Array));
        expect(e).toBeInstanceOf(UsageError);
        expect(e.message).toMatch(/^encodeChunk\(\) plaintext must be a Uint8Array, got /);
      }
    });
  }

  it("encoder options: work factor out of 1..30, empty passphrase, maxChunkSize out of 1..16 MiB", () => {
    for (const wf of [0, 31, 1.5]) expect(() => AgeRTEncoder.fromPassphrase("pw", { workFactor: wf })).toThrow(/workFactor must be an integer from 1 to 30/);
    expect(() => AgeEncoder.fromPassphrase("")).toThrow(/passphrase must not be empty/);
    for (const n of [0, 16 * 2 ** 20 + 1, NaN]) expect(() => AgeRTEncoder.fromRecipients([recipient], { maxChunkSize: n })).toThrow(/maxChunkSize must be an integer/);
  });
});

describe("keys", () => {
  it("decoders without any key: UsageError", () => {
    for (const make of [
      () => new AgeRTDecoder({}), () => new AgeDecoder({ identities: [] }), () => new AgeAutoDecoder({ passphrase: [] }),
      () => new AgeRTDecoder(undefined as unknown as string), () => new AgeRTDecoder(null as unknown as string),
    ]) {
      const e = thrown(make);
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(/needs a passphrase or at least one identity/);
    }
    expect(() => new AgeRTDecoder("")).toThrow(/passphrase must not be empty/);
    expect(() => new AgeRTDecoder({ passphrase: 5 as unknown as string })).toThrow(/passphrase must be a string/);
  });

  it("an invalid maxWorkFactor is a UsageError even when only identities are given", () => {
    for (const bad of [0, -1, 31, 1.5, Number.NaN]) {
      expect(() => new AgeRTDecoder({ identities: [identity], maxWorkFactor: bad })).toThrow(UsageError);
    }
  });

  it("identities that are not an array of strings: UsageError (a string used to be a TypeError)", () => {
    expect(() => new AgeRTDecoder({ identities: identity as unknown as string[] })).toThrow(/identities must be an array of identity strings/);
    expect(() => new AgeRTDecoder({ identities: [42 as unknown as string] })).toThrow(/identity #1: expected a string or an Identity object \(with a unwrapFileKey\(\) method\), got number/);
  });

  const badRecipients: Record<string, [string, RegExp]> = {
    "not Bech32": ["age1notbech32", /invalid recipient/],
    "a bad checksum": [recipient.slice(0, -1) + (recipient.endsWith("q") ? "p" : "q"), /invalid recipient/],
    "an identity (a secret key)": [identity, /expected a recipient \(age1…\), got an identity/],
    "a malformed SSH key": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummy", /malformed SSH public key/],
    "a post-quantum recipient too short": ["age1pq1" + "q".repeat(60), /invalid recipient/],
    "a plugin recipient": ["age1yubikey1" + "q".repeat(50), /plugin recipients|invalid recipient/],
    "empty": ["", /invalid recipient/],
    "something else": ["hello", /invalid recipient: expected age1…/],
  };
  for (const [name, [s, re]] of Object.entries(badRecipients)) {
    it(`a bad recipient string, ${name}: UsageError naming its position`, () => {
      for (const make of [() => AgeRTEncoder.fromRecipients([recipient, s]), () => AgeEncoder.fromRecipients([recipient, s])]) {
        const e = thrown(make);
        expect(e).toBeInstanceOf(UsageError);
        expect(e.message).toMatch(/^recipient #2: /);
        expect(e.message).toMatch(re);
      }
    });
  }

  it("recipients that are not an array, or none at all: UsageError", () => {
    expect(() => AgeRTEncoder.fromRecipients(recipient as unknown as string[])).toThrow(/recipients must be an array of recipient strings/);
    expect(() => AgeEncoder.fromRecipients([])).toThrow(/needs at least one recipient/);
    expect(() => AgeRTEncoder.fromRecipients([7 as unknown as string])).toThrow(/recipient #1: expected a string or a Recipient object/);
  });

  it("a bad identity string in a decoder: UsageError, and every other mistake above is an AgeRTError too", () => {
    for (const s of ["AGE-SECRET-KEY-1QQQ", recipient, "AGE-PLUGIN-YUBIKEY-1QQQ", ""]) {
      const e = thrown(() => new AgeAutoDecoder({ identities: [s] }));
      expect(e).toBeInstanceOf(UsageError);
      expect(e).toBeInstanceOf(AgeRTError);
    }
  });
});
