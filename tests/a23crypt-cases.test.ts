// The original's test cases, re-derived from its README and A23CRYPT.md §6-§7:
// sizes around 0, 16, 4096 and multiples of 65536 (± 1), cross-checked both
// ways against an independent codec on node:crypto (helpers/a23-reference.ts);
// truncation at every header byte and around every frame boundary; bit
// flips; appended garbage; header field edits; frames reordered, duplicated,
// or taken from another record or position; oversized length prefixes
// refused before anything of that size is asked for; each wrong key; the
// bytes API's limits; a zstd bomb stopped at the cap without the memory.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  A23Decoder, A23Encoder, AgeRTError, CompressionError, DecryptionError, InputSizeError, IntegrityError, InvalidKeyError,
  UsageError, decrypt, encrypt, ready, type A23Keys,
} from "../src/a23crypt/index.js";
import { zstdCompress, zstdDecompress } from "../src/a23crypt/zstd.js";
import { inflate } from "../src/a23crypt/zstd-js.js";
import { decodeBytes, encodeBytes } from "../src/index.js";
import { refDecode, refEncode, refFrame, refHeader } from "./helpers/a23-reference.js";
import { seededRandom } from "./helpers/random.js";

const KEYS: A23Keys = { serverKey: new Uint8Array(32).fill(0x73), clientKey: new Uint8Array(32).fill(0x63), recordKey: new Uint8Array(Buffer.from("rec_001")) };
const SALT = Uint8Array.from({ length: 16 }, (_, i) => i);
const CHUNK = 65536;
const data = (n: number, seed = n) => {
  const r = seededRandom(String(seed));
  return Uint8Array.from({ length: n }, () => (r() * 256) | 0);
};
const record = (plaintext: Uint8Array, salt = SALT, keys = KEYS) => encodeBytes([plaintext], new A23Encoder(keys, { _salt: salt }));
const HEADER = 10 + 7 + 16;

/** The error decrypt() throws (and that it throws). */
function failure(input: Uint8Array, keys: A23Keys = KEYS): Error {
  try {
    decrypt(input, keys);
  } catch (e) {
    return e as Error;
  }
  throw new Error("decrypt() accepted the input");
}

function expectFailure(input: Uint8Array, cls: new (...a: never[]) => Error, message: string, keys: A23Keys = KEYS): void {
  const e = failure(input, keys);
  expect(e).toBeInstanceOf(cls);
  expect(e).toBeInstanceOf(AgeRTError);
  expect(e.message).toContain(message);
}

/** Offsets of each frame's length prefix, and the end, in a record. */
function frameStarts(rec: Uint8Array): number[] {
  const b = Buffer.from(rec);
  const out: number[] = [];
  for (let at = HEADER; at < b.length; at += 4 + b.readUInt32BE(at)) out.push(at);
  out.push(b.length);
  return out;
}

describe("a23crypt sizes, cross-checked with an independent codec", () => {
  const sizes = [0, 1, 15, 16, 17, 4095, 4096, 4097, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK - 1, 2 * CHUNK, 2 * CHUNK + 1, 3 * CHUNK - 1, 3 * CHUNK, 3 * CHUNK + 1];
  for (const n of sizes) {
    it(`${n} bytes: round trip, frame count, byte-equal to the reference, each decodes the other`, () => {
      const p = data(n);
      const rec = record(p);
      expect(Buffer.from(decrypt(rec, KEYS)).equals(Buffer.from(p))).toBe(true);
      const frames = frameStarts(rec).length - 1;
      expect(frames).toBe(Math.max(1, Math.ceil(n / CHUNK))); // no empty frame after an exact multiple
      const chunks = Array.from({ length: frames }, (_, i) => p.subarray(i * CHUNK, (i + 1) * CHUNK));
      const ref = refEncode(KEYS, SALT, chunks);
      expect(ref.equals(Buffer.from(rec))).toBe(true);
      expect(Buffer.concat(refDecode(KEYS, rec)).equals(Buffer.from(p))).toBe(true);
      // Random salts: our record decodes in the reference, and the reference's in ours.
      const salt = randomBytes(16);
      expect(Buffer.concat(refDecode(KEYS, record(p, salt))).equals(Buffer.from(p))).toBe(true);
      expect(Buffer.from(decrypt(refEncode(KEYS, salt, chunks), KEYS)).equals(Buffer.from(p))).toBe(true);
    });
  }

  it("short chunks in the middle (a pipe's short reads) decode, and encodeChunk writes them", () => {
    const chunks = [data(100, 1), data(CHUNK, 2), data(7, 3), data(0, 4)];
    const ref = refEncode(KEYS, SALT, chunks);
    expect(Buffer.from(decrypt(ref, KEYS)).equals(Buffer.concat(chunks))).toBe(true);
    const enc = new A23Encoder(KEYS, { _salt: SALT });
    const ours = Buffer.concat([enc.getHeader(), enc.encodeChunk(chunks[0]!, false), enc.encodeChunk(chunks[1]!, false), enc.encodeChunk(chunks[2]!, false), enc.encodeChunk(chunks[3]!, true)]);
    expect(ours.equals(ref)).toBe(true);
    expect(enc.finalized).toBe(true);
    expect(() => enc.encodeChunk(new Uint8Array(1))).toThrow(UsageError);
  });

  it("encryption is randomised: a fresh salt every time", () => {
    const p = data(100);
    const a = encrypt(p, KEYS);
    const b = encrypt(p, KEYS);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(decrypt(a, KEYS)).equals(Buffer.from(decrypt(b, KEYS)))).toBe(true);
  });
});

describe("a23crypt truncation", () => {
  const p = data(2 * CHUNK + 5);
  const rec = record(p);
  const starts = frameStarts(rec);

  /** What the original raises for `rec` cut to `cut` bytes (§7.1, §7.2). */
  function expected(cut: number): [new (...a: never[]) => Error, string] | null {
    if (cut === 0) return [IntegrityError, "truncated header (version)"];
    if (cut < 2) return [IntegrityError, "truncated header (flags)"];
    if (cut < 6) return [IntegrityError, "truncated header (chunk_size)"];
    if (cut < 10) return [IntegrityError, "truncated header (record_key length)"];
    if (cut < 17) return [IntegrityError, "truncated header (record_key body)"];
    if (cut < HEADER) return [IntegrityError, "truncated header (salt)"];
    if (cut === HEADER) return [IntegrityError, "ciphertext contained no final chunk"];
    const k = starts.findIndex((s) => s >= cut);
    if (starts[k] === cut) return k === starts.length - 1 ? null : [DecryptionError, "decryption failed"]; // whole frames: the last one taken as final
    const begin = starts[k - 1]!;
    return cut - begin < 4 ? [IntegrityError, "truncated frame header"] : [IntegrityError, "truncated frame body"];
  }

  it("every cut in the header and the first frame header, and around every frame boundary", () => {
    const cuts = new Set<number>();
    for (let c = 0; c <= HEADER + 8; c++) cuts.add(c);
    for (const s of starts) for (let d = -6; d <= 6; d++) if (s + d >= 0 && s + d < rec.length) cuts.add(s + d);
    const r = seededRandom("cuts");
    for (let i = 0; i < 60; i++) cuts.add(Math.floor(r() * rec.length));
    for (const cut of cuts) {
      const want = expected(cut);
      expect(want).not.toBeNull();
      const e = failure(rec.subarray(0, cut));
      expect({ cut, cls: e.constructor.name, msg: e.message.includes(want![1]) }).toEqual({ cut, cls: want![0].name, msg: true });
    }
  });

  it("the last frame dropped, the first frame dropped", () => {
    expectFailure(rec.subarray(0, starts[2]!), DecryptionError, "decryption failed");
    expectFailure(Buffer.concat([rec.subarray(0, HEADER), rec.subarray(starts[1]!)]), DecryptionError, "decryption failed");
  });
});

describe("a23crypt tampering", () => {
  const p = data(2 * CHUNK + 5, 9);
  const rec = record(p);
  const starts = frameStarts(rec);

  it("bit flips anywhere: never accepted, always IntegrityError or DecryptionError", () => {
    const r = seededRandom("flips");
    const positions = new Set<number>();
    for (let i = 0; i < HEADER + 4; i++) positions.add(i);
    for (let i = 0; i < 120; i++) positions.add(Math.floor(r() * rec.length));
    for (const at of positions) {
      const bad = Uint8Array.from(rec);
      bad[at]! ^= 1 << Math.floor(r() * 8);
      const e = failure(bad);
      expect(e instanceof IntegrityError || e instanceof DecryptionError).toBe(true);
      if (at === 0) expect(e.message).toContain("unsupported format version");
      else if (at < 6 || (at >= 17 && at < HEADER)) expect(e).toBeInstanceOf(DecryptionError); // flags, chunk_size, salt: through the AAD and the subkeys
      else if (at >= 6 && at < 10) expect(e).toBeInstanceOf(IntegrityError); // rk_len: over the limit, or the stored key differs
      else if (at >= 10 && at < 17) expect(e.message).toContain("record_key mismatch");
      else if (!starts.includes(at) && !starts.some((s) => at > s && at < s + 4)) expect(e).toBeInstanceOf(DecryptionError); // a body byte
    }
  });

  it("appended garbage", () => {
    const plus = (...extra: number[]) => Buffer.concat([rec, Buffer.from(extra)]);
    expectFailure(plus(0), IntegrityError, "truncated frame header");
    expectFailure(plus(0, 0, 0), IntegrityError, "truncated frame header");
    expectFailure(plus(0, 0, 0, 0), DecryptionError, "decryption failed"); // an empty frame: the last one is then final, and fails
    const text = Buffer.from("appended text");
    expectFailure(Buffer.concat([rec, text]), IntegrityError, `frame length ${text.readUInt32BE(0)} exceeds limit 131072`);
    expectFailure(Buffer.concat([rec, Buffer.from([0, 0, 0, 20]), Buffer.alloc(20)]), DecryptionError, "decryption failed");
  });

  it("header field edits: version, flags, chunk_size, rk_len, record_key", () => {
    const edit = (at: number, ...bytes: number[]) => {
      const b = Uint8Array.from(rec);
      b.set(bytes, at);
      return b;
    };
    expectFailure(edit(0, 2), IntegrityError, "unsupported format version");
    expectFailure(edit(0, 0), IntegrityError, "unsupported format version");
    expectFailure(edit(1, 3), DecryptionError, "decryption failed");
    expectFailure(edit(1, 0x20), DecryptionError, "decryption failed"); // reserved bits: not refused at parse time, fail the tags
    expectFailure(edit(2, 0, 0, 0x80, 0), DecryptionError, "decryption failed");
    expectFailure(edit(2, 0, 0, 0, 0), DecryptionError, "decryption failed");
    expectFailure(edit(6, 0, 0, 0, 8), IntegrityError, "record_key mismatch");
    expectFailure(edit(6, 0, 0, 0, 6), IntegrityError, "record_key mismatch");
    expectFailure(edit(6, 0, 0, 0, 0), IntegrityError, "record_key mismatch");
    expectFailure(edit(6, 0, 0, 0x10, 1), IntegrityError, "record_key length 4097 exceeds limit");
    expectFailure(edit(6, 0xff, 0xff, 0xff, 0xff), IntegrityError, `record_key length ${2 ** 32 - 1} exceeds limit`);
    expectFailure(edit(10, 0x52), IntegrityError, "record_key mismatch");
    expectFailure(edit(20, 0xff), DecryptionError, "decryption failed"); // salt
  });

  it("frames reordered, duplicated, from another record, from another position", () => {
    const f = starts.slice(0, -1).map((s, i) => rec.subarray(s, starts[i + 1]));
    const head = rec.subarray(0, HEADER);
    const build = (...frames: Uint8Array[]) => Buffer.concat([head, ...frames]);
    expectFailure(build(f[1]!, f[0]!, f[2]!), DecryptionError, "decryption failed");
    expectFailure(build(f[0]!, f[2]!, f[1]!), DecryptionError, "decryption failed");
    expectFailure(build(f[0]!, f[0]!, f[1]!, f[2]!), DecryptionError, "decryption failed");
    expectFailure(build(f[0]!, f[1]!, f[1]!, f[2]!), DecryptionError, "decryption failed");
    expectFailure(build(f[0]!, f[1]!, f[2]!, f[2]!), DecryptionError, "decryption failed");
    // Another record under the same keys (another salt): its frame i at position i fails.
    const other = record(p, Uint8Array.from({ length: 16 }, (_, i) => 100 + i));
    const os = frameStarts(other);
    expectFailure(build(f[0]!, other.subarray(os[1]!, os[2]!), f[2]!), DecryptionError, "decryption failed");
    // The other record's header with our frames, too.
    expectFailure(Buffer.concat([other.subarray(0, HEADER), rec.subarray(HEADER)]), DecryptionError, "decryption failed");
  });

  for (const len of [131073, 2 ** 32 - 1]) {
    it(`a length prefix of ${len} is refused before its body is asked for`, () => {
      const bad = Uint8Array.from(rec);
      new DataView(bad.buffer).setUint32(starts[1]!, len);
      expectFailure(bad, IntegrityError, `frame length ${len} exceeds limit 131072`);
      // The push decoder: no request ever exceeds the largest frame (+ the next prefix).
      const dec = new A23Decoder(KEYS);
      let at = 0;
      let maxWanted = 0;
      let error: unknown = null;
      try {
        while (!dec.isDone()) {
          const n = dec.bytesWanted;
          maxWanted = Math.max(maxWanted, n);
          dec.feed(bad.subarray(at, at + n));
          at += n;
        }
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(IntegrityError);
      expect(maxWanted).toBeLessThanOrEqual(131072 + 4);
      // The first prefix too.
      const first = Uint8Array.from(rec);
      new DataView(first.buffer).setUint32(HEADER, len);
      expectFailure(first, IntegrityError, `frame length ${len} exceeds limit 131072`);
    });
  }
});

describe("a23crypt keys and limits", () => {
  const rec = record(data(70000, 3));
  const other = (b: number) => new Uint8Array(32).fill(b);

  it("each wrong key", () => {
    expectFailure(rec, DecryptionError, "decryption failed", { ...KEYS, serverKey: other(0x53) });
    expectFailure(rec, DecryptionError, "decryption failed", { ...KEYS, clientKey: other(0x43) });
    expectFailure(rec, DecryptionError, "decryption failed", { ...KEYS, serverKey: KEYS.clientKey, clientKey: KEYS.serverKey });
    expectFailure(rec, IntegrityError, "record_key mismatch", { ...KEYS, recordKey: new Uint8Array(Buffer.from("rec_002")) });
    expectFailure(rec, IntegrityError, "record_key mismatch", { ...KEYS, recordKey: new Uint8Array(Buffer.from("rec_0010")) });
  });

  it("keys of the wrong size: InvalidKeyError (a RangeError and an AgeRTError), before any input is read", () => {
    const bad: [Partial<A23Keys>, string][] = [
      [{ serverKey: new Uint8Array(31) }, "server_key must be 32 bytes"],
      [{ serverKey: new Uint8Array(33) }, "server_key must be 32 bytes"],
      [{ clientKey: new Uint8Array(0) }, "client_key must be 32 bytes"],
      [{ recordKey: new Uint8Array(0) }, "record_key must be 1..4096 bytes"],
      [{ recordKey: new Uint8Array(4097) }, "record_key must be 1..4096 bytes"],
    ];
    for (const [edit, message] of bad) {
      const keys = { ...KEYS, ...edit };
      for (const attempt of [() => decrypt(new Uint8Array(0), keys), () => encrypt(new Uint8Array(1), keys), () => new A23Decoder(keys), () => new A23Encoder(keys)]) {
        const e = (() => {
          try {
            attempt();
          } catch (err) {
            return err as Error;
          }
          throw new Error("accepted");
        })();
        expect(e).toBeInstanceOf(InvalidKeyError);
        expect(e).toBeInstanceOf(RangeError);
        expect(e).toBeInstanceOf(AgeRTError);
        expect(e.message).toContain(message);
      }
    }
    // The largest record key works.
    const big = { ...KEYS, recordKey: new Uint8Array(4096).fill(7) };
    expect(decrypt(encrypt(data(10), big), big)).toEqual(data(10));
  });

  it("the bytes API's limits: plaintext over 1 MiB, ciphertext over 2 MiB (InputSizeError, RangeError, AgeRTError)", () => {
    const mib = data(1 << 20, 5);
    const rec1 = encrypt(mib, KEYS);
    expect(Buffer.from(decrypt(rec1, KEYS)).equals(Buffer.from(mib))).toBe(true);
    for (const [fn, message] of [
      [() => encrypt(new Uint8Array((1 << 20) + 1), KEYS), "plaintext exceeds 1048576 bytes"],
      [() => decrypt(new Uint8Array((2 << 20) + 1), KEYS), "ciphertext exceeds 2097152 bytes"],
      [() => decrypt(new Uint8Array((2 << 20) + 1), { ...KEYS, serverKey: new Uint8Array(1) }), "ciphertext exceeds 2097152 bytes"], // size first
    ] as const) {
      expect(fn).toThrow(InputSizeError);
      expect(fn).toThrow(RangeError);
      expect(fn).toThrow(AgeRTError);
      expect(fn).toThrow(message);
    }
    // The streaming paths have no cap.
    const big = data(3 << 20, 6);
    const rec = encodeBytes([big], new A23Encoder(KEYS));
    expect(rec.length).toBeGreaterThan(2 << 20);
    expect(Buffer.concat([...decodeBytes(rec, new A23Decoder(KEYS))]).equals(Buffer.from(big))).toBe(true);
  });

  it("the push decoder: errors are sticky, feeds of the wrong size are misuse, nothing after the end", () => {
    const bad = Uint8Array.from(rec);
    bad[bad.length - 1]! ^= 1;
    const dec = new A23Decoder(KEYS);
    let at = 0;
    let first: unknown = null;
    try {
      while (!dec.isDone()) {
        const n = Math.min(dec.bytesWanted, bad.length - at);
        dec.feed(bad.subarray(at, at + n));
        at += n;
      }
    } catch (e) {
      first = e;
    }
    expect(first).toBeInstanceOf(DecryptionError);
    expect(() => dec.feed(new Uint8Array(4))).toThrow(first as Error);
    const fresh = new A23Decoder(KEYS);
    expect(fresh.bytesWanted).toBe(10);
    expect(() => fresh.feed(new Uint8Array(11))).toThrow(AgeRTError); // more than bytesWanted: InsufficientDataError
    // A whole record, fed as asked: done after the short read that ends it, then bytesWanted 0.
    const ok = new A23Decoder(KEYS);
    const out: Uint8Array[] = [];
    for (at = 0; !ok.isDone(); ) {
      const n = Math.min(ok.bytesWanted, rec.length - at);
      const c = ok.feed(rec.subarray(at, at + n));
      if (c !== null) out.push(c);
      at += n;
    }
    expect(ok.bytesWanted).toBe(0);
    expect(Buffer.concat(out).equals(Buffer.from(data(70000, 3)))).toBe(true);
    expect(() => ok.feed(new Uint8Array(1))).toThrow(AgeRTError);
  });

  it("compressLevel outside 0..22: UsageError", () => {
    for (const level of [-1, 23, 1.5, Number.NaN]) expect(() => new A23Encoder(KEYS, { compressLevel: level })).toThrow(UsageError);
  });
});

describe("a23crypt zstd", () => {
  beforeAll(() => ready());

  /** A zstd frame of RLE blocks (RFC 8878 §3.1.1.2): `blocks` × 128 KiB of zero bytes, no content size in its header. */
  function rleBomb(blocks: number): Uint8Array {
    const out = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x48]; // magic; no FCS, not single segment; window 2^19
    for (let i = 0; i < blocks; i++) {
      const header = (131072 << 3) | (1 << 1) | (i === blocks - 1 ? 1 : 0); // RLE block of 131072 bytes
      out.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0);
    }
    return Uint8Array.from(out);
  }

  it("levels 1..22 round trip; records are smaller than the plaintext for text", () => {
    const text = new Uint8Array(Buffer.from("line: the quick brown fox jumps over the lazy dog\n".repeat(3000)));
    for (let level = 1; level <= 22; level++) {
      const rec = encrypt(text, { ...KEYS, compressLevel: level });
      expect(rec[1]).toBe(level);
      expect(rec.length).toBeLessThan(text.length / 10);
      expect(Buffer.from(decrypt(rec, KEYS)).equals(Buffer.from(text))).toBe(true);
    }
  });

  it("a chunk may inflate to exactly chunk_size, not one byte more", () => {
    const full = new Uint8Array(CHUNK).fill(1);
    const rec = refEncode(KEYS, SALT, [zstdCompress(full, 3)], 3);
    expect(decrypt(rec, KEYS)).toEqual(full);
    const over = refEncode(KEYS, SALT, [zstdCompress(new Uint8Array(CHUNK + 1), 3)], 3);
    const e = failure(over);
    expect(e).toBeInstanceOf(DecryptionError);
    expect((e as Error & { cause?: unknown }).cause).toBeInstanceOf(CompressionError);
    // A smaller authenticated chunk_size is the cap.
    expect(failure(refEncode(KEYS, SALT, [zstdCompress(new Uint8Array(1000), 3)], 3, 999))).toBeInstanceOf(DecryptionError);
    expect(decrypt(refEncode(KEYS, SALT, [zstdCompress(new Uint8Array(1000), 3)], 3, 1000), KEYS)).toEqual(new Uint8Array(1000));
  });

  it("a zstd bomb (1 GiB from 32 KB, no declared size) is stopped at the cap without the memory", () => {
    const bomb = rleBomb(8192);
    expect(bomb.length).toBeLessThan(MAX_BODY);
    const rss = process.memoryUsage().rss;
    const t0 = performance.now();
    const e = failure(refEncode(KEYS, SALT, [bomb], 3));
    expect(e).toBeInstanceOf(DecryptionError);
    expect(e.message).toBe("decryption failed");
    expect((e as Error & { cause?: unknown }).cause).toBeInstanceOf(CompressionError);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 << 20); // 1 GiB was never produced
    expect(performance.now() - t0).toBeLessThan(5000);
    // The same directly: a frame that declares 64 MiB is refused before inflating.
    const declared = zstdCompress(new Uint8Array(64 << 20), 19);
    expect(() => zstdDecompress(declared, CHUNK)).toThrow(/possible compression bomb/);
    expect(() => zstdDecompress(bomb, CHUNK)).toThrow(CompressionError);
  });

  it("not exactly one zstd frame: bad magic, incomplete, bytes after it, two frames, a skippable frame", () => {
    const frame = zstdCompress(new Uint8Array(100).fill(5), 3);
    for (const bad of [
      Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
      frame.subarray(0, frame.length - 1),
      Buffer.concat([frame, Buffer.from([0])]),
      Buffer.concat([frame, frame]),
      Uint8Array.from([0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0]),
      new Uint8Array(0),
    ]) {
      expect(() => zstdDecompress(bad, CHUNK)).toThrow(CompressionError);
      const e = failure(refEncode(KEYS, SALT, [bad], 3));
      expect(e).toBeInstanceOf(DecryptionError);
    }
    // An uncompressed record's chunks may be longer than chunk_size (it is only in the AAD).
    const long = data(1000);
    expect(decrypt(refEncode(KEYS, SALT, [long], 0, 10), KEYS)).toEqual(long);
    // The frame header shapes zstd writes: with and without a checksum or content size.
    expect(zstdDecompress(frame, CHUNK)).toEqual(new Uint8Array(100).fill(5));
  });

  it("the pure-JS inflater (for engines without WebAssembly) agrees with zstd, and stops a bomb after one block", () => {
    const r = seededRandom("inflate");
    for (const level of [1, 3, 9, 19, 22]) {
      for (const n of [0, 1, 100, 4096, CHUNK]) {
        const p = Uint8Array.from({ length: n }, (_, i) => (r() < 0.7 ? i % 17 : (r() * 256) | 0));
        const frame = zstdCompress(p, level);
        expect(inflate(frame, CHUNK)).toEqual(zstdDecompress(frame, CHUNK));
        expect(inflate(frame, CHUNK)).toEqual(p);
      }
    }
    expect(() => inflate(zstdCompress(new Uint8Array(CHUNK + 1), 3), CHUNK)).toThrow(CompressionError);
    const rss = process.memoryUsage().rss;
    expect(() => inflate(rleBomb(8192), CHUNK)).toThrow(/possible compression bomb/);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 << 20);
    expect(() => inflate(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0x48, 1, 0]), CHUNK)).toThrow(CompressionError); // cut inside a block
  });

  it("chunk_size 0 with compression fails as DecryptionError (the original lets a bare ValueError escape)", () => {
    expect(failure(refEncode(KEYS, SALT, [zstdCompress(new Uint8Array(0), 3)], 3, 0))).toBeInstanceOf(DecryptionError);
  });

  it("header frames the reference writes decode (refFrame / refHeader agree with the encoder)", () => {
    const p = data(10);
    const ours = encodeBytes([p], new A23Encoder(KEYS, { _salt: SALT }));
    expect(Buffer.concat([refHeader(KEYS, SALT), refFrame(KEYS, SALT, 0, true, p)]).equals(Buffer.from(ours))).toBe(true);
  });
});

const MAX_BODY = 131072;
