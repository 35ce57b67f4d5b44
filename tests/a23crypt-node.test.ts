// a23crypt with the file helpers of age-rt/node (encryptFile, decryptFile,
// decodeFile over A23Encoder / A23Decoder), and zstd loaded on demand: in
// this file nothing calls ready(), so the streams and async iterators must
// load zstd themselves when (and only when) a record is compressed, and the
// synchronous bytes API asks for ready() with a UsageError.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { A23Decoder, A23Encoder, DecryptionError, UsageError, decrypt, decryptStream, encrypt, encryptStream, type A23Keys } from "../src/a23crypt/index.js";
import { zstdLoaded } from "../src/a23crypt/zstd.js";
import { decodeFile, decryptFile, encryptFile } from "../src/node.js";
import { refDecode } from "./helpers/a23-reference.js";
import { streamed } from "./helpers/streams.js";

const KEYS: A23Keys = { serverKey: new Uint8Array(32).fill(5), clientKey: new Uint8Array(32).fill(6), recordKey: new Uint8Array(Buffer.from("file-7")) };
const dir = mkdtempSync(join(tmpdir(), "a23crypt-"));
const streamOf = (b: Uint8Array) => new ReadableStream<Uint8Array>({
  start(c) {
    c.enqueue(b);
    c.close();
  },
});
const text = new Uint8Array(Buffer.from("a23crypt file helper line\n".repeat(12000)));

describe("a23crypt without ready(): zstd on demand", () => {
  it("uncompressed records never load zstd", async () => {
    const rec = encrypt(text, KEYS);
    expect(decrypt(rec, KEYS)).toEqual(text);
    const out = await streamed(streamOf(rec).pipeThrough(decryptStream(KEYS)));
    expect(Buffer.from(out).equals(Buffer.from(text))).toBe(true);
    expect(zstdLoaded()).toBe(false);
  });

  it("the synchronous bytes API asks for ready() (UsageError) when zstd is needed", () => {
    expect(() => encrypt(text, { ...KEYS, compressLevel: 3 })).toThrow(UsageError);
    expect(() => encrypt(text, { ...KEYS, compressLevel: 3 })).toThrow(/await ready\(\)/);
  });

  it("the streams load zstd by themselves for a compressed record", async () => {
    const rec = await streamed(streamOf(text).pipeThrough(encryptStream({ ...KEYS, compressLevel: 3 })));
    expect(zstdLoaded()).toBe(true);
    expect(rec.length).toBeLessThan(text.length / 20);
    expect(rec[1]).toBe(3);
    const out = await streamed(streamOf(rec).pipeThrough(decryptStream(KEYS)));
    expect(Buffer.from(out).equals(Buffer.from(text))).toBe(true);
    expect(decrypt(rec, KEYS)).toEqual(text); // now loaded: the bytes API works too
  });
});

describe("a23crypt with the age-rt/node file helpers", () => {
  for (const level of [0, 5]) {
    it(`encryptFile / decryptFile / decodeFile, level ${level}`, async () => {
      const input = join(dir, `in-${level}`);
      const sealed = join(dir, `sealed-${level}`);
      const output = join(dir, `out-${level}`);
      const big = new Uint8Array(Buffer.concat([Buffer.from(text), Buffer.alloc(200_001, 7)]));
      writeFileSync(input, big);
      await encryptFile(input, sealed, new A23Encoder(KEYS, { compressLevel: level }));
      const rec = new Uint8Array(readFileSync(sealed));
      if (level === 0) expect(Buffer.concat(refDecode(KEYS, rec)).equals(Buffer.from(big))).toBe(true); // the independent codec reads it
      await decryptFile(sealed, output, new A23Decoder(KEYS));
      expect(readFileSync(output).equals(Buffer.from(big))).toBe(true);
      const parts: Uint8Array[] = [];
      for await (const c of decodeFile(sealed, new A23Decoder(KEYS))) parts.push(c);
      expect(Buffer.concat(parts).equals(Buffer.from(big))).toBe(true);
      // A damaged file: rejected with the typed error.
      const bad = Uint8Array.from(rec);
      bad[bad.length - 3]! ^= 1;
      writeFileSync(sealed, bad);
      await expect(decryptFile(sealed, output, new A23Decoder(KEYS))).rejects.toBeInstanceOf(DecryptionError);
    });
  }
});
