// Behaving like the Python reference where it is right (issue 18; API.md
// "Push decoders", "Iterators and wrappers", "Errors"):
// 1. a wrong passphrase, a wrong key and a bad header MAC are
//    ChunkAuthenticationErrors (the reference's "wrong passphrase or
//    corruption"), while keeping their own classes;
// 2. the callable iterators read no further than the stream: nothing after an
//    age-rt stream's final chunk, one byte for age v1's trailing-data check,
//    and armored text never past its end line;
// 3. feed() once the decoder is done is misuse (InsufficientDataError), while
//    the iterators, streams and decodeBytes report trailing data themselves.
// Runs in the WebAssembly and the no-WebAssembly runs (vitest.nowasm.config.ts).
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeDecoder, AgeEncoder, AgeRTDecoder, AgeRTEncoder, AgeRTError, ArmorError, ChunkAuthenticationError,
  DecodeError, HeaderMacError, HeaderParseError, InsufficientDataError, NoIdentityMatchError, StreamTruncatedError,
  UsageError, aiterDecodeCallable, aiterDecodeChunks, armor, decodeBytes, decryptStream, encodeBytes, generateIdentity,
  identityToRecipient, iterDecodeCallable, iterDecodeChunks, type Decoder,
} from "../src/index.js";
import { describe as describeForCli } from "../src/cli/fail.js";
import { outcomeOf } from "./helpers/cctv.js";
import { rejection, thrown } from "./helpers/thrown.js";

const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const te = (s: string) => new TextEncoder().encode(s);
const CS = 65536;
const WORK_FACTOR = 10; // cheap scrypt: the pure-JS run derives it too

const rtFile = (chunks: Uint8Array[] = [te("one"), te("two")]) => encodeBytes(chunks, AgeRTEncoder.fromRecipients([recipient]));
const ageFile = (n: number) => encodeBytes([Uint8Array.from({ length: n }, (_, i) => i & 0xff)], AgeEncoder.fromRecipients([recipient]));
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

const drain = (it: Iterable<Uint8Array>) => [...it].map((c) => c.slice());
async function adrain(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of it) out.push(c.slice());
  return out;
}

/** A header MAC flipped: the file key unwraps, the MAC does not verify. */
function badMac(file: Uint8Array): Uint8Array {
  const bad = file.slice();
  const mac = Buffer.from(bad).indexOf("\n--- ") + 5;
  bad[mac] = bad[mac] === 0x41 ? 0x42 : 0x41; // another base64 letter
  return bad;
}

describe("1. NoIdentityMatchError and HeaderMacError are ChunkAuthenticationErrors (the reference's wrong passphrase)", () => {
  it("the class tree: each class's ancestors, and nothing else is a ChunkAuthenticationError", () => {
    const tree: [new (m: string) => Error, string, (abstract new (...a: never[]) => Error)[]][] = [
      [NoIdentityMatchError, "NoIdentityMatchError", [ChunkAuthenticationError, DecodeError, AgeRTError]],
      [HeaderMacError, "HeaderMacError", [ChunkAuthenticationError, DecodeError, AgeRTError]],
      [ChunkAuthenticationError, "ChunkAuthenticationError", [DecodeError, AgeRTError]],
      [HeaderParseError, "HeaderParseError", [DecodeError, AgeRTError]],
      [StreamTruncatedError, "StreamTruncatedError", [DecodeError, AgeRTError]],
      [InsufficientDataError, "InsufficientDataError", [DecodeError, AgeRTError]],
      [ArmorError, "ArmorError", [DecodeError, AgeRTError]],
      [UsageError, "UsageError", [AgeRTError]],
    ];
    for (const [cls, name, ancestors] of tree) {
      const e = new cls("m");
      expect(e.name).toBe(name);
      expect(e.message).toBe("m");
      for (const a of ancestors) expect(e, `${name} instanceof ${a.name}`).toBeInstanceOf(a);
      if (!ancestors.includes(ChunkAuthenticationError) && cls !== ChunkAuthenticationError) {
        expect(e instanceof ChunkAuthenticationError, `${name} is not a ChunkAuthenticationError`).toBe(false);
      }
    }
    expect(new NoIdentityMatchError("m") instanceof HeaderMacError).toBe(false);
    expect(new HeaderMacError("m") instanceof NoIdentityMatchError).toBe(false);
  });

  /** The reference README's catch block, in its order: ChunkAuthenticationError first. */
  function referenceCatch(e: unknown): string {
    if (e instanceof ChunkAuthenticationError) return "Wrong passphrase or corrupted data";
    if (e instanceof StreamTruncatedError) return "Stream was truncated";
    if (e instanceof HeaderParseError) return "Invalid or unrecognized age header";
    return "other";
  }

  it("a wrong passphrase (age-rt and age v1), through decodeBytes, iterDecodeCallable and decryptStream", async () => {
    for (const Enc of [AgeRTEncoder, AgeEncoder]) {
      const file = encodeBytes([te("secret")], Enc.fromPassphrase("right", { workFactor: WORK_FACTOR }));
      const e1 = thrown(() => drain(decodeBytes(file, new AgeAutoDecoder("wrong"))));
      let off = 0;
      const e2 = thrown(() => drain(iterDecodeCallable((n) => file.subarray(off, (off += n)), new AgeAutoDecoder("wrong"))));
      const source = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(file), c.close()) });
      const e3 = await rejection(adrain(source.pipeThrough(decryptStream(new AgeAutoDecoder("wrong"))) as unknown as AsyncIterable<Uint8Array>));
      for (const e of [e1, e2, e3]) {
        expect(e).toBeInstanceOf(NoIdentityMatchError);
        expect(e).toBeInstanceOf(ChunkAuthenticationError);
        expect(e.name).toBe("NoIdentityMatchError");
        expect(e.message).toMatch(/^no identity or passphrase matched the header's stanzas \(scrypt\)$/);
        expect(referenceCatch(e)).toBe("Wrong passphrase or corrupted data");
        expect(outcomeOf(e)).toBe("no match");
      }
    }
  });

  it("a wrong X25519 identity, and a header whose MAC does not verify", () => {
    const file = rtFile();
    const e1 = thrown(() => drain(decodeBytes(file, new AgeRTDecoder({ identities: [generateIdentity()] }))));
    expect(e1).toBeInstanceOf(NoIdentityMatchError);
    expect(e1).toBeInstanceOf(ChunkAuthenticationError);
    expect(e1.message).toMatch(/\(X25519\)$/);
    const e2 = thrown(() => drain(decodeBytes(badMac(file), new AgeRTDecoder({ identities: [identity] }))));
    expect(e2).toBeInstanceOf(HeaderMacError);
    expect(e2).toBeInstanceOf(ChunkAuthenticationError);
    expect(e2.name).toBe("HeaderMacError");
    expect(e2.message).toBe("header MAC does not verify: the header was modified");
    expect(referenceCatch(e2)).toBe("Wrong passphrase or corrupted data");
    expect(outcomeOf(e2)).toBe("HMAC failure");
  });

  it("the CCTV outcome of each class is its own, most specific one", () => {
    expect(outcomeOf(new NoIdentityMatchError("m"))).toBe("no match");
    expect(outcomeOf(new HeaderMacError("m"))).toBe("HMAC failure");
    expect(outcomeOf(new ChunkAuthenticationError("m"))).toBe("payload failure");
    expect(outcomeOf(new StreamTruncatedError("m"))).toBe("payload failure");
    expect(outcomeOf(new HeaderParseError("m"))).toBe("header failure");
    expect(outcomeOf(new ArmorError("m"))).toBe("armor failure");
    expect(outcomeOf(new InsufficientDataError("m"))).toBeNull();
  });

  it("the CLI's messages stay those of the finer classes (not \"decryption failed\")", () => {
    expect(describeForCli(new NoIdentityMatchError("x"), { passphraseFile: true })).toBe("incorrect passphrase");
    expect(describeForCli(new NoIdentityMatchError("x"))).toBe("no identity matched any of the recipients");
    expect(describeForCli(new HeaderMacError("header MAC does not verify"))).toBe("header MAC does not verify");
    expect(describeForCli(new ChunkAuthenticationError("chunk 2 does not authenticate"))).toBe("decryption failed: chunk 2 does not authenticate");
  });
});

/**
 * A live source that holds `bytes` and then, by `after`, either blocks
 * forever, throws, or has more data (left in `rest`). `read(n)` returns n
 * bytes, fewer only at the end of `bytes` when nothing follows.
 */
class Source {
  off = 0;
  readonly reads: number[] = [];
  constructor(readonly bytes: Uint8Array, readonly streamEnd = bytes.length) {}
  get rest(): Uint8Array {
    return this.bytes.subarray(this.off);
  }
  take(n: number): Uint8Array {
    this.reads.push(n);
    const out = this.bytes.subarray(this.off, this.off + n);
    this.off += out.length;
    return out;
  }
  /** Sync: throws if asked for anything once the stream's bytes are all read. */
  readOrThrow = (n: number): Uint8Array => {
    if (this.off >= this.streamEnd) throw new Error(`read(${n}) past the end of the stream`);
    return this.take(Math.min(n, this.streamEnd - this.off));
  };
  /** Async: never resolves once the stream's bytes are all read (a socket kept open). */
  readOrBlock = (n: number): Promise<Uint8Array> => {
    if (this.off >= this.streamEnd) {
      this.reads.push(n);
      return new Promise<Uint8Array>(() => {});
    }
    return Promise.resolve(this.take(Math.min(n, this.streamEnd - this.off)));
  };
  /** Reads exactly n bytes of whatever follows (more data after the stream). */
  readExactly = (n: number): Uint8Array => this.take(n);
  areadExactly = async (n: number): Promise<Uint8Array> => this.take(n);
}

/** Ends with the loop's chunks, or with "blocked" if it has not ended within `ms`. */
async function endsWithin<T>(p: Promise<T>, ms = 2000): Promise<T | "blocked"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const blocked = new Promise<"blocked">((resolve) => (timer = setTimeout(() => resolve("blocked"), ms)));
  try {
    return await Promise.race([p, blocked]);
  } finally {
    clearTimeout(timer);
  }
}

const lengths = (chunks: Uint8Array[]) => chunks.map((c) => c.length);
const CHUNKS = [te("hello"), new Uint8Array(0), new Uint8Array(300).fill(7)];

describe("2. iterDecodeCallable/aiterDecodeCallable read no further than the stream", () => {
  for (const [name, make] of [["AgeRTDecoder", () => new AgeRTDecoder({ identities: [identity] })], ["AgeAutoDecoder", () => new AgeAutoDecoder({ identities: [identity] })]] as const) {
    describe(`age-rt, ${name}`, () => {
      it("sync: no read() after the final chunk (a read past the end throws here)", () => {
        const src = new Source(rtFile(CHUNKS));
        expect(lengths(drain(iterDecodeCallable(src.readOrThrow, make())))).toEqual([5, 0, 300, 0]);
        expect(src.off).toBe(src.bytes.length);
      });

      it("async: the loop ends after the final chunk although the source would block forever", async () => {
        const src = new Source(rtFile(CHUNKS));
        const out = await endsWithin(adrain(aiterDecodeCallable(src.readOrBlock, make())));
        expect(out, "the loop did not end").not.toBe("blocked");
        expect(lengths(out as Uint8Array[])).toEqual([5, 0, 300, 0]);
        expect(src.off).toBe(src.bytes.length);
      });

      it("a source that carries more data (a reply, a second stream): it is left unread, sync and async", async () => {
        const stream = rtFile(CHUNKS);
        const next = te("NEXT MESSAGE");
        const src = new Source(cat(stream, next, stream));
        expect(lengths(drain(iterDecodeCallable(src.readExactly, make())))).toEqual([5, 0, 300, 0]);
        expect(src.off).toBe(stream.length);
        expect(Buffer.from(src.rest.subarray(0, next.length)).toString()).toBe("NEXT MESSAGE");
        // The caller reads the next message itself, then decodes the second stream from the same source.
        expect(src.readExactly(next.length).length).toBe(next.length);
        expect(lengths(drain(iterDecodeCallable(src.readExactly, make())))).toEqual([5, 0, 300, 0]);
        expect(src.rest.length).toBe(0);

        const asrc = new Source(cat(stream, next));
        expect(lengths(await adrain(aiterDecodeCallable(asrc.areadExactly, make())))).toEqual([5, 0, 300, 0]);
        expect(asrc.rest).toEqual(next);
      });
    });
  }

  it("age-rt: each read asks for exactly bytesWanted (header byte by byte, 16, 4 + frame per chunk), nothing more", () => {
    const file = rtFile(CHUNKS);
    const src = new Source(file);
    drain(iterDecodeCallable(src.readOrThrow, new AgeRTDecoder({ identities: [identity] })));
    const header = Buffer.from(file).indexOf("\n", Buffer.from(file).indexOf("\n--- ") + 1) + 1;
    expect(src.reads).toEqual([...Array<number>(header).fill(1), 16, 4, 5 + 16, 4, 16, 4, 300 + 16, 4, 16]);
  });

  for (const [name, make] of [["AgeDecoder", () => new AgeDecoder({ identities: [identity] })], ["AgeAutoDecoder", () => new AgeAutoDecoder({ identities: [identity] })]] as const) {
    describe(`age v1, ${name}`, () => {
      for (const n of [100, CS, 2 * CS + 5]) {
        it(`${n} bytes: the trailing-data check is one read of one byte`, () => {
          const file = ageFile(n);
          const src = new Source(file);
          drain(iterDecodeCallable(src.readExactly, make()));
          expect(src.reads.at(-1)).toBe(1);
          expect(src.reads.slice(-2, -1)).toEqual([CS + 16]);
          expect(src.off).toBe(file.length);
        });
      }

      // Bytes after a short final chunk make it longer (it no longer authenticates); after a full final chunk they are trailing data.
      it("data after a full final chunk: ChunkAuthenticationError after reading one byte of it, sync and async", async () => {
        for (const n of [CS, 2 * CS]) {
          const src = new Source(cat(ageFile(n), te("XYZ")));
          const e = thrown(() => drain(iterDecodeCallable(src.readExactly, make())));
          expect(e).toBeInstanceOf(ChunkAuthenticationError);
          expect(e.message).toBe("1 bytes of trailing data after the final chunk");
          expect(Buffer.from(src.rest).toString()).toBe("YZ");
          const asrc = new Source(cat(ageFile(n), te("XYZ")));
          expect(await rejection(adrain(aiterDecodeCallable(asrc.areadExactly, make())))).toBeInstanceOf(ChunkAuthenticationError);
          expect(Buffer.from(asrc.rest).toString()).toBe("YZ");
        }
      });
    });
  }

  describe("armored input (text: read in blocks, never past the end line)", () => {
    const END = te("-----END AGE ENCRYPTED FILE-----");

    /** Checks that no read before the end line's last character went past it. */
    function expectNoReadPastEnd(src: Source, endOfArmor: number) {
      let at = 0;
      for (const n of src.reads) {
        if (at < endOfArmor) expect(at + n, `a read of ${n} at ${at} passes the end line (ends at ${endOfArmor})`).toBeLessThanOrEqual(endOfArmor);
        else expect(n, "after the end line: one byte per read").toBe(1);
        at += n;
      }
    }

    it("age-rt: chunks as their text arrives; no read passes the end line; then whitespace up to the input's end, a byte per read", () => {
      const many = Array.from({ length: 40 }, (_, i) => new Uint8Array(i * 37).fill(i));
      const text = te(armor.encode(rtFile(many)) + " \t\n");
      const endOfArmor = Buffer.from(text).indexOf(Buffer.from(END)) + END.length;
      const src = new Source(text);
      expect(lengths(drain(iterDecodeCallable(src.readExactly, new AgeAutoDecoder({ identities: [identity] }))))).toEqual([...lengths(many), 0]);
      expectNoReadPastEnd(src, endOfArmor);
      expect(src.reads.slice(-5)).toEqual([1, 1, 1, 1, 1]); // "\n", " ", "\t", "\n", then the end (an empty read)
      expect(Math.max(...src.reads)).toBeLessThanOrEqual(16384);
    });

    it("age-rt over a live source: every chunk is released before the read that waits for the input to end", async () => {
      const text = te(armor.encode(rtFile(CHUNKS)));
      const endOfArmor = Buffer.from(text).indexOf(Buffer.from(END)) + END.length;
      const src = new Source(text, text.length);
      const got: Uint8Array[] = [];
      const loop = (async () => {
        for await (const c of aiterDecodeCallable(src.readOrBlock, new AgeAutoDecoder({ identities: [identity] }))) got.push(c);
      })();
      // The armor's trailing whitespace is judged up to the input's end, which this source never reaches.
      expect(await endsWithin(loop, 500)).toBe("blocked");
      expect(lengths(got)).toEqual([5, 0, 300, 0]);
      expectNoReadPastEnd(src, endOfArmor);
    });

    it("data after the end line is an ArmorError, found reading one byte past the whitespace", () => {
      const text = cat(te(armor.encode(rtFile(CHUNKS))), te("NEXT"));
      const src = new Source(text);
      const e = thrown(() => drain(iterDecodeCallable(src.readExactly, new AgeAutoDecoder({ identities: [identity] }))));
      expect(e).toBeInstanceOf(ArmorError);
      expect(e.message).toMatch(/unexpected data after the end line/);
      expect(Buffer.from(src.rest).toString()).toBe("EXT");
    });

    it("age v1: the same text as binary would be read (the final chunk by a short read), then the whitespace check", () => {
      const file = ageFile(2 * CS + 5);
      const text = te(armor.encode(file));
      const src = new Source(text);
      const out = drain(iterDecodeCallable(src.readExactly, new AgeAutoDecoder({ identities: [identity] })));
      expect(lengths(out)).toEqual([CS, CS, 5]);
      expect(Math.max(...src.reads)).toBeLessThanOrEqual(16384);
      expect(src.off).toBe(text.length);
    });
  });
});

describe("3. feed() after done is misuse (InsufficientDataError); the iterators and streams report trailing data", () => {
  const makers: Record<string, { file: () => Uint8Array; dec: () => Decoder; armored?: boolean }> = {
    AgeRTDecoder: { file: () => rtFile(), dec: () => new AgeRTDecoder({ identities: [identity] }) },
    // A full final chunk, so that bytes after it are trailing data (after a short one they would lengthen it).
    AgeDecoder: { file: () => ageFile(CS), dec: () => new AgeDecoder({ identities: [identity] }) },
    "AgeAutoDecoder (age-rt)": { file: () => rtFile(), dec: () => new AgeAutoDecoder({ identities: [identity] }) },
    "AgeAutoDecoder (age v1)": { file: () => ageFile(CS), dec: () => new AgeAutoDecoder({ identities: [identity] }) },
    "AgeAutoDecoder (armored)": { file: () => te(armor.encode(rtFile())), dec: () => new AgeAutoDecoder({ identities: [identity] }), armored: true },
  };

  /** The reference's loop: feed bytesWanted (a short read only at the end) until it is 0. */
  function feedAll(dec: Decoder, file: Uint8Array): number {
    let off = 0;
    while (dec.bytesWanted > 0) {
      const n = Math.min(dec.bytesWanted, file.length - off);
      dec.feed(file.subarray(off, (off += n)));
    }
    return off;
  }

  for (const [name, { file: make, dec: makeDec, armored }] of Object.entries(makers)) {
    describe(name, () => {
      it("feed(b\"x\") once bytesWanted is 0: InsufficientDataError, then sticky; an empty feed before it returns null", () => {
        const dec = makeDec();
        feedAll(dec, make());
        expect(dec.isDone()).toBe(true);
        expect(dec.bytesWanted).toBe(0);
        expect(dec.feed(new Uint8Array(0))).toBeNull();
        const e = thrown(() => dec.feed(te(armored ? "\n" : "x")));
        expect(e).toBeInstanceOf(InsufficientDataError);
        expect(e.message).toBe("feed() expected exactly 0 bytes, got 1"); // the reference: "Expected 0 bytes, got 1"
        expect(thrown(() => dec.feed(new Uint8Array(0)))).toBe(e);
      });

      it("decodeBytes, iterDecodeChunks, aiterDecodeChunks and decryptStream: bytes after the final chunk are trailing data", async () => {
        const file = cat(make(), te("x"));
        const want = armored ? ArmorError : ChunkAuthenticationError;
        expect(thrown(() => drain(decodeBytes(file, makeDec())))).toBeInstanceOf(want);
        // Every split point, so the trailing byte arrives alone or with the final chunk.
        for (let cut = file.length - 40; cut <= file.length; cut += 7) {
          const e = thrown(() => drain(iterDecodeChunks([file.subarray(0, cut), file.subarray(cut)], makeDec())));
          expect(e, `cut at ${cut}`).toBeInstanceOf(want);
        }
        expect(await rejection(adrain(aiterDecodeChunks([file.subarray(0, 10), file.subarray(10)], makeDec())))).toBeInstanceOf(want);
        const source = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(file), c.close()) });
        expect(await rejection(adrain(source.pipeThrough(decryptStream(makeDec())) as unknown as AsyncIterable<Uint8Array>))).toBeInstanceOf(want);
        if (!armored) expect(thrown(() => drain(decodeBytes(file, makeDec()))).message).toBe("1 bytes of trailing data after the final chunk");
      });
    });
  }

  it("armor: whitespace after the end line is accepted by every path that owns the whole input", async () => {
    const file = cat(te(armor.encode(rtFile())), te(" \r\n\t\n"));
    expect(drain(decodeBytes(file, new AgeAutoDecoder({ identities: [identity] }))).length).toBe(3);
    expect(drain(iterDecodeChunks([...file].map((b) => Uint8Array.of(b)), new AgeAutoDecoder({ identities: [identity] }))).length).toBe(3);
    expect((await adrain(aiterDecodeChunks([file], new AgeAutoDecoder({ identities: [identity] })))).length).toBe(3);
  });

  it("trailing data inside the armor (after the final chunk) stays a ChunkAuthenticationError", () => {
    const file = te(armor.encode(cat(rtFile(), te("junk"))));
    expect(thrown(() => drain(decodeBytes(file, new AgeAutoDecoder({ identities: [identity] }))))).toBeInstanceOf(ChunkAuthenticationError);
    let off = 0;
    expect(thrown(() => drain(iterDecodeCallable((n) => file.subarray(off, (off += n)), new AgeAutoDecoder({ identities: [identity] })))))
      .toBeInstanceOf(ChunkAuthenticationError);
  });
});
