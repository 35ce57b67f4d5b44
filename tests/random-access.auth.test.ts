// Random access (API.md "Random access"): what is authenticated when, and
// what each failure gives. A flipped byte in chunk k fails every read
// touching k with ChunkAuthenticationError naming k, and nothing else; a
// file cut at a chunk boundary, cut inside a chunk or with a chunk appended
// fails at open; a wrong identity is NoIdentityMatchError; armor and age-rt
// are refused from their first bytes (before any identity: a passphrase
// with a work factor far too high for the test would otherwise hang it);
// arguments, close(), and how chunks are fetched (shared, coalesced, cached).
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AgeEncoder, AgeRTEncoder, ChunkAuthenticationError, DecodeError, HeaderMacError, HeaderParseError, NoIdentityMatchError,
  StreamTruncatedError, UsageError, armor, encodeBytes, generateIdentity, identityToRecipient, openRandomAccess,
  type Identity, type RandomAccessSource,
} from "../src/index.js";
import { parseIdentity } from "../src/recipients/keys.js";
import { loadVectors } from "./helpers/cctv.js";
import { streamed } from "./helpers/streams.js";

const CS = 65536;
const SEALED = CS + 16;
const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const opts = { identities: [identity] };

function plaintext(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + (i >>> 16)) & 0xff);
}
const PLAIN = plaintext(6 * CS + 1000); // chunks 0..5 full, chunk 6 final (1000 bytes)
const FILE = encodeBytes([PLAIN], AgeEncoder.fromRecipients([recipient]));
const PAYLOAD = FILE.length - (6 * SEALED + 1016); // header + nonce

function chunkAt(k: number): number {
  return PAYLOAD + k * SEALED;
}
function flipped(at: number): Uint8Array {
  const f = FILE.slice();
  f[at]! ^= 0x01;
  return f;
}
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;


/** A source over `file` that records each read (offset, length). */
function counting(file: Uint8Array): RandomAccessSource & { reads: [number, number][] } {
  const reads: [number, number][] = [];
  return {
    size: file.length,
    reads,
    read: async (o, l) => {
      reads.push([o, l]);
      await new Promise((r) => setTimeout(r, 1)); // let concurrent reads overlap
      return file.subarray(o, o + l);
    },
  };
}

describe("random access: a corrupted chunk fails exactly the reads touching it", () => {
  for (const k of [0, 3, 5]) {
    it(`flipped byte in chunk ${k}`, async () => {
      const ra = await openRandomAccess(flipped(chunkAt(k) + 100), opts);
      expect(ra.size).toBe(PLAIN.length);
      const touching: [number, number][] = [[k * CS, 1], [k * CS + CS - 1, 1], [(k - 1) * CS + CS - 1, 2], [k * CS + 5, CS], [0, PLAIN.length]]
        .filter(([o]) => o >= 0) as [number, number][];
      const other: [number, number][] = [[(k + 1) * CS, 10], [6 * CS, 1000], ...(k > 0 ? [[(k - 1) * CS, CS] as [number, number]] : [])];
      // Concurrently: the failures must not spill over to the reads of other chunks.
      const results = await Promise.allSettled([...touching, ...other].map(([o, l]) => ra.read(o, l)));
      results.slice(0, touching.length).forEach((r, i) => {
        expect(r.status, `read${JSON.stringify(touching[i])}`).toBe("rejected");
        const e = (r as PromiseRejectedResult).reason;
        expect(e).toBeInstanceOf(ChunkAuthenticationError);
        expect(String(e.message)).toContain(`chunk ${k} `);
      });
      results.slice(touching.length).forEach((r, i) => {
        expect(r.status, `read${JSON.stringify(other[i])}`).toBe("fulfilled");
        const [o, l] = other[i]!;
        expect(same((r as PromiseFulfilledResult<Uint8Array>).value, PLAIN.subarray(o, o + l))).toBe(true);
      });
      // Again, after the failure is cached: still the same verdicts.
      await expect(ra.read(k * CS + 7, 3)).rejects.toBeInstanceOf(ChunkAuthenticationError);
      expect(same(await ra.read(6 * CS, 10), PLAIN.subarray(6 * CS, 6 * CS + 10))).toBe(true);
      // A stream releases the chunks before k, then errors; one that ends before k is whole.
      const reader = ra.stream().getReader();
      let released = 0;
      let error: unknown = null;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          released += value.length;
        }
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ChunkAuthenticationError);
      expect(released).toBe(k * CS);
      if (k > 0) expect(same(await streamed(ra.stream(0, k * CS)), PLAIN.subarray(0, k * CS))).toBe(true);
      ra.close();
    });
  }

  it("a flipped byte in the tag of a chunk is caught the same way", async () => {
    const ra = await openRandomAccess(flipped(chunkAt(2) + SEALED - 1), opts);
    await expect(ra.read(2 * CS, 1)).rejects.toThrow(/chunk 2 /);
    expect(same(await ra.read(CS, CS), PLAIN.subarray(CS, 2 * CS))).toBe(true);
  });

  it("a flipped byte in the final chunk, or in the header, fails at open", async () => {
    await expect(openRandomAccess(flipped(chunkAt(6) + 3), opts)).rejects.toBeInstanceOf(ChunkAuthenticationError);
    await expect(openRandomAccess(flipped(PAYLOAD - 5), opts)).rejects.toBeInstanceOf(ChunkAuthenticationError); // the nonce: every chunk fails, the last first
    await expect(openRandomAccess(flipped(0), opts)).rejects.toBeInstanceOf(HeaderParseError); // the version line
  });
});

describe("random access: any one-byte change, cut or extension (property)", () => {
  const LAST = 6;
  const chunkOfByte = (p: number) => Math.floor((p - PAYLOAD) / SEALED);
  /** Each chunk's plaintext read, and the whole: equal to the plaintext or failing as chunk `bad` only. */
  async function expectOnlyChunkFails(file: Uint8Array, bad: number): Promise<void> {
    const ra = await openRandomAccess(file, opts);
    expect(ra.size).toBe(PLAIN.length);
    const reads = await Promise.allSettled([...Array(LAST + 1).keys()].map((j) => ra.read(j * CS, CS)));
    reads.forEach((r, j) => {
      if (j === bad) {
        expect(r.status).toBe("rejected");
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ChunkAuthenticationError);
        expect(String((r as PromiseRejectedResult).reason.message)).toContain(`chunk ${bad} `);
      } else {
        expect(r.status, `chunk ${j}`).toBe("fulfilled");
        expect(same((r as PromiseFulfilledResult<Uint8Array>).value, PLAIN.subarray(j * CS, (j + 1) * CS))).toBe(true);
      }
    });
    await expect(ra.read(0, PLAIN.length)).rejects.toBeInstanceOf(ChunkAuthenticationError);
    ra.close();
  }

  it("a changed byte: the header or nonce or last chunk fails at open; chunk k fails exactly the reads of k", async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: FILE.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, x) => {
      const f = FILE.slice();
      f[at]! ^= x;
      const k = chunkOfByte(at);
      if (at < PAYLOAD || k === LAST) {
        const e = await openRandomAccess(f, opts).catch((err: unknown) => err);
        // A first byte turned into "-" or whitespace makes the file look armored: refused as not seekable.
        const looksArmored = at === 0 && /^[-\s]$/.test(String.fromCharCode(f[0]!));
        expect(e, `byte ${at}`).toBeInstanceOf(looksArmored ? UsageError : DecodeError);
        if (at >= PAYLOAD - 16) expect(e).toBeInstanceOf(ChunkAuthenticationError); // nonce or last chunk
      } else {
        await expectOnlyChunkFails(f, k);
      }
    }), { numRuns: 80 });
  });

  it("cut anywhere or extended by anything: fails at open with a DecodeError", async () => {
    await fc.assert(fc.asyncProperty(
      fc.oneof(
        fc.integer({ min: 0, max: FILE.length - 1 }).map((n) => FILE.subarray(0, n)),
        fc.uint8Array({ minLength: 1, maxLength: SEALED + 20 }).map((extra) => Buffer.concat([FILE, extra])),
      ),
      async (f) => {
        const e = await openRandomAccess(f, opts).catch((err: unknown) => err);
        expect(e, `${f.length} bytes`).toBeInstanceOf(DecodeError);
      },
    ), { numRuns: 60 });
  });
});

describe("random access: a truncated or extended file fails at open", () => {
  it("cut at a chunk boundary (the last chunk authenticates only as non-final)", async () => {
    for (const k of [1, 3, 6]) {
      const e = await openRandomAccess(FILE.subarray(0, chunkAt(k)), opts).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ChunkAuthenticationError);
      expect(String((e as Error).message)).toMatch(new RegExp(`chunk ${k - 1}.*cut at a chunk boundary`));
    }
  });

  it("cut inside a chunk, inside the final chunk, inside a tag", async () => {
    for (const at of [chunkAt(2) + 1, chunkAt(3) + 40_000, chunkAt(6) + 500, chunkAt(4) - 3, chunkAt(5) + 15]) {
      await expect(openRandomAccess(FILE.subarray(0, at), opts), `cut at ${at}`).rejects.toBeInstanceOf(ChunkAuthenticationError);
    }
  });

  it("no room for a chunk: StreamTruncatedError; cut in the nonce or header: HeaderParseError", async () => {
    await expect(openRandomAccess(FILE.subarray(0, PAYLOAD), opts)).rejects.toBeInstanceOf(StreamTruncatedError);
    await expect(openRandomAccess(FILE.subarray(0, PAYLOAD + 15), opts)).rejects.toBeInstanceOf(StreamTruncatedError);
    await expect(openRandomAccess(FILE.subarray(0, PAYLOAD - 1), opts)).rejects.toBeInstanceOf(HeaderParseError);
    await expect(openRandomAccess(FILE.subarray(0, 40), opts)).rejects.toBeInstanceOf(HeaderParseError);
    await expect(openRandomAccess(new Uint8Array(0), opts)).rejects.toBeInstanceOf(HeaderParseError);
  });

  it("an extra chunk appended, after a short or a full final chunk, or a few bytes", async () => {
    const full = encodeBytes([plaintext(2 * CS)], AgeEncoder.fromRecipients([recipient])); // final chunk is full
    for (const [file, extra] of [
      [FILE, FILE.subarray(chunkAt(1), chunkAt(2))], // a whole sealed chunk
      [FILE, FILE.subarray(chunkAt(6))], // a copy of the final chunk
      [full, full.subarray(full.length - SEALED)],
      [FILE, new Uint8Array(1)],
      [full, new Uint8Array(16)],
    ] as const) {
      await expect(openRandomAccess(Buffer.concat([file, extra]), opts)).rejects.toBeInstanceOf(ChunkAuthenticationError);
    }
    expect((await openRandomAccess(full, opts)).size).toBe(2 * CS);
  });
});

describe("random access: the CCTV age vectors (binary, classic keys)", () => {
  const ERROR_FOR: Record<string, (abstract new (...a: never[]) => Error)[]> = {
    "header failure": [HeaderParseError],
    "no match": [NoIdentityMatchError],
    "HMAC failure": [HeaderMacError],
    "payload failure": [ChunkAuthenticationError, StreamTruncatedError],
  };
  const vectors = loadVectors().filter((v) => !v.armored && !v.identities.some((id) => id.startsWith("AGE-SECRET-KEY-PQ-")));
  it("are here (the stream_* vectors among them)", () => {
    expect(vectors.length).toBe(92);
    expect(vectors.filter((v) => v.name.startsWith("stream_")).length).toBe(28);
  });
  for (const v of vectors) {
    it(`${v.name} (${v.expect}): opened and read whole`, async () => {
      let error: unknown = null;
      let plain: Uint8Array | null = null;
      try {
        const ra = await openRandomAccess(v.body, {
          identities: v.identities.length + v.passphrases.length > 0 ? v.identities : [identity],
          passphrase: v.passphrases,
        });
        plain = await ra.read(0, ra.size);
        expect(same(await streamed(ra.stream()), plain)).toBe(true);
      } catch (e) {
        error = e;
      }
      if (v.expect === "success") {
        expect(error).toBeNull();
        expect(createHash("sha256").update(plain!).digest("hex")).toBe(v.payloadHash);
      } else {
        // "armor failure" vectors that are not armored are binary files that fail as such.
        const ok = (ERROR_FOR[v.expect] ?? [HeaderParseError]).some((cls) => error instanceof cls);
        expect(ok, `${(error as Error)?.name}: ${(error as Error)?.message}`).toBe(true);
      }
    });
  }
});

describe("random access: keys, formats and arguments", () => {
  it("a wrong identity or passphrase: NoIdentityMatchError; a broken header MAC: HeaderMacError", async () => {
    await expect(openRandomAccess(FILE, { identities: [generateIdentity()] })).rejects.toBeInstanceOf(NoIdentityMatchError);
    const pass = encodeBytes([plaintext(100)], AgeEncoder.fromPassphrase("right", { workFactor: 10 }));
    await expect(openRandomAccess(pass, { passphrase: "wrong" })).rejects.toBeInstanceOf(NoIdentityMatchError);
    expect(same(await (await openRandomAccess(new Blob([pass as Uint8Array<ArrayBuffer>]), { passphrase: "right" })).read(0, 200), plaintext(100))).toBe(true);
    // A MAC character changed in a way that keeps the base64 canonical: a MAC mismatch.
    const i = PAYLOAD - 16 - 3; // before the last base64 character, whose low bits must stay zero
    const f = FILE.slice();
    f[i] = f[i] === 0x41 ? 0x42 : 0x41;
    await expect(openRandomAccess(f, opts)).rejects.toBeInstanceOf(HeaderMacError);
  });

  it("asynchronous identities (API.md): awaited; one that answers null lets the next one try", async () => {
    const calls: string[] = [];
    const later = (name: string, inner: Identity): Identity => ({
      async unwrapFileKey(stanzas) {
        calls.push(name);
        await new Promise((r) => setTimeout(r, 5));
        return inner.unwrapFileKey(stanzas);
      },
    });
    const ra = await openRandomAccess(new Blob([FILE as Uint8Array<ArrayBuffer>]), {
      identities: [later("stranger", parseIdentity(generateIdentity())), later("owner", parseIdentity(identity))],
    });
    expect(calls).toEqual(["stranger", "owner"]);
    expect(same(await ra.read(3 * CS - 2, 4), PLAIN.subarray(3 * CS - 2, 3 * CS + 2))).toBe(true);
    await expect(openRandomAccess(FILE, { identities: [later("stranger", parseIdentity(generateIdentity()))] }))
      .rejects.toBeInstanceOf(NoIdentityMatchError);
    const refusing: Identity = { unwrapFileKey: async () => { throw new HeaderParseError("malformed stanza of mine"); } };
    await expect(openRandomAccess(FILE, { identities: [refusing] })).rejects.toThrow(/malformed stanza of mine/);
  });

  it("armored files and age-rt streams: UsageError naming why, before any identity is tried", async () => {
    // Options whose identity would refuse the file's scrypt stanza (work factor 12 > 10) with a
    // HeaderParseError: the UsageError shows the format was judged before any identity ran.
    const strict = { passphrase: "x", maxWorkFactor: 10 };
    const armored = new TextEncoder().encode(armor.encode(encodeBytes([plaintext(10)], AgeEncoder.fromPassphrase("x", { workFactor: 12 }))));
    await expect(openRandomAccess(armored, strict)).rejects.toThrow(UsageError);
    await expect(openRandomAccess(armored, strict)).rejects.toThrow(/ASCII-armored/);
    await expect(openRandomAccess(new TextEncoder().encode(armor.encode(FILE)), opts)).rejects.toThrow(/ASCII-armored/);
    const rt = encodeBytes([plaintext(1000)], AgeRTEncoder.fromPassphrase("x", { workFactor: 12 }));
    const e = await openRandomAccess(rt, strict).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect(String((e as Error).message)).toMatch(/age-rt stream.*no fixed chunk grid/);
    await expect(openRandomAccess(rt, { passphrase: "x" })).rejects.toThrow(/age-rt stream/);
    await expect(openRandomAccess(FILE, { ...opts, armored: true })).rejects.toThrow(/armored/);
  });

  it("an empty payload: size 0, empty reads and stream", async () => {
    const ra = await openRandomAccess(encodeBytes([], AgeEncoder.fromRecipients([recipient])), opts);
    expect(ra.size).toBe(0);
    expect((await ra.read(0, 10)).length).toBe(0);
    expect((await ra.read(5, 0)).length).toBe(0);
    expect((await streamed(ra.stream())).length).toBe(0);
    expect((await streamed(ra.stream(3, 1))).length).toBe(0);
  });

  it("negative, non-integer or unsafe positions: UsageError; bad sources and options too", async () => {
    const ra = await openRandomAccess(FILE, opts);
    for (const [o, l] of [[-1, 1], [0, -1], [1.5, 1], [0, 0.5], [NaN, 1], [0, Infinity], [2 ** 53, 1], ["0", 1]] as const) {
      await expect(ra.read(o as number, l as number), `read(${o}, ${l})`).rejects.toBeInstanceOf(UsageError);
    }
    expect(() => ra.stream(-1)).toThrow(UsageError);
    expect(() => ra.stream(0, 1.5)).toThrow(UsageError);
    // Past the end: clamped.
    expect((await ra.read(PLAIN.length, 5)).length).toBe(0);
    expect((await ra.read(PLAIN.length + 100, 5)).length).toBe(0);
    expect(same(await ra.read(PLAIN.length - 3, 2 ** 53 - 1), PLAIN.subarray(PLAIN.length - 3))).toBe(true);
    await expect(openRandomAccess("file.age" as never, opts)).rejects.toBeInstanceOf(UsageError);
    await expect(openRandomAccess({ size: -1, read: async () => new Uint8Array(0) }, opts)).rejects.toBeInstanceOf(UsageError);
    await expect(openRandomAccess(FILE, {})).rejects.toBeInstanceOf(UsageError);
    await expect(openRandomAccess(FILE, undefined as never)).rejects.toBeInstanceOf(UsageError);
  });

  it("a source that returns fewer bytes than its size promised: StreamTruncatedError", async () => {
    const lying: RandomAccessSource = { size: FILE.length + SEALED, read: async (o, l) => FILE.subarray(o, o + l) };
    await expect(openRandomAccess(lying, opts)).rejects.toBeInstanceOf(StreamTruncatedError);
  });

  it("returned arrays belong to the caller; the source is never written to", async () => {
    const file = FILE.slice();
    const ra = await openRandomAccess(file, opts);
    const a = await ra.read(CS, 10);
    a.fill(0xee);
    expect(same(await ra.read(CS, 10), PLAIN.subarray(CS, CS + 10))).toBe(true);
    const parts: Uint8Array[] = [];
    for await (const p of ra.stream(6 * CS, 6 * CS + 1000) as unknown as AsyncIterable<Uint8Array>) parts.push(p);
    parts[0]!.fill(0xee); // the final chunk, kept since open: the stream gave a copy
    expect(same(await ra.read(6 * CS, 1000), PLAIN.subarray(6 * CS))).toBe(true);
    expect(same(file, FILE)).toBe(true);
  });

  it("close(): later reads and streams reject with UsageError, an in-flight read too", async () => {
    const src = counting(FILE);
    const ra = await openRandomAccess(src, opts);
    const inFlight = ra.read(2 * CS, 10);
    const stream = ra.stream().getReader();
    ra.close();
    await expect(inFlight).rejects.toBeInstanceOf(UsageError);
    await expect(stream.read()).rejects.toBeInstanceOf(UsageError);
    await expect(ra.read(0, 1)).rejects.toBeInstanceOf(UsageError);
    expect(() => ra.stream()).toThrow(UsageError);
  });
});

describe("random access: what is fetched", () => {
  it("open fetches the header (16 KiB) and the final chunk only", async () => {
    const src = counting(FILE);
    await openRandomAccess(src, opts);
    expect(src.reads).toEqual([[0, 16384], [chunkAt(6), 1016]]);
  });

  it("concurrent reads of one chunk share one fetch; adjacent missing chunks are fetched in one read; the LRU serves repeats", async () => {
    const src = counting(FILE);
    const ra = await openRandomAccess(src, opts);
    src.reads.length = 0;
    const got = await Promise.all([ra.read(2 * CS + 1, 5), ra.read(2 * CS + 100, 50), ra.read(2 * CS, CS)]);
    expect(same(got[2]!, PLAIN.subarray(2 * CS, 3 * CS))).toBe(true);
    expect(src.reads).toEqual([[chunkAt(2), SEALED]]);
    src.reads.length = 0;
    // Chunks 1..4: 2 is cached, so 1 and 3..4 are fetched, as two runs.
    expect(same(await ra.read(CS + 7, 3 * CS + 10), PLAIN.subarray(CS + 7, 4 * CS + 17))).toBe(true);
    expect(src.reads).toEqual([[chunkAt(1), SEALED], [chunkAt(3), 2 * SEALED]]);
    src.reads.length = 0;
    await ra.read(CS, 4 * CS);
    await ra.read(6 * CS + 1, 1); // the final chunk, kept from open
    expect(src.reads).toEqual([]);
  });

  it("a stream fetches each chunk once, in growing runs, and leaves the LRU alone", async () => {
    const plain = plaintext(40 * CS + 5);
    const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
    const src = counting(file);
    const ra = await openRandomAccess(src, opts);
    src.reads.length = 0;
    expect(same(await streamed(ra.stream()), plain)).toBe(true);
    const chunks = src.reads.map(([, l]) => l / SEALED);
    expect(chunks.slice(0, 5)).toEqual([1, 2, 4, 8, 16]);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(40); // every chunk but the final one, once
    src.reads.length = 0;
    await ra.read(0, 1);
    expect(src.reads.length).toBe(1); // not cached by the stream
  });
});
