// The Python reference's vectors (../shared/vectors/agert, age-rt 0.2.2):
// each decodes exactly as its manifest says, chunk by chunk: the chunks
// released (their SHA-256, in order) and the outcome. Work factor 18, so
// each vector costs one real scrypt derivation.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeDecoder, AgeRTDecoder, HeaderParseError, iterDecodeCallable, iterDecodeChunks, type Decoder,
} from "../src/index.js";
import { outcomeOf } from "./helpers/cctv.js";
import { randomSplits, seededRandom } from "./helpers/random.js";

const DIR = new URL("../../shared/vectors/agert/", import.meta.url);
interface Entry { passphrase: string; format: "age" | "age-rt"; expect: string; chunks: string[]; note: string }
const manifest: Record<string, Entry> = JSON.parse(readFileSync(new URL("manifest.json", DIR), "utf8"));

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function decode(chunks: Iterable<Uint8Array>): { hashes: string[]; whole: Buffer; error: unknown } {
  const parts: Uint8Array[] = [];
  let error: unknown = null;
  try {
    for (const c of chunks) parts.push(c.slice());
  } catch (e) {
    error = e;
  }
  return { hashes: parts.map(sha256), whole: Buffer.concat(parts), error };
}

function check(entry: Entry, r: ReturnType<typeof decode>): void {
  if (entry.expect === "success") expect(r.error).toBeNull();
  else expect(outcomeOf(r.error), String(r.error)).toBe(entry.expect); // the most specific class decides
  // age-rt: one hash per chunk released; age v1: one hash of the whole payload.
  if (entry.format === "age-rt") expect(r.hashes).toEqual(entry.chunks);
  else expect([sha256(r.whole)]).toEqual(entry.chunks);
}

describe("Python reference vectors", () => {
  it("the manifest lists the 11 vectors", () => expect(Object.keys(manifest).length).toBe(11));

  for (const [name, entry] of Object.entries(manifest)) {
    it(`${name}: ${entry.expect}${entry.note ? ` (${entry.note})` : ""}`, () => {
      const file = new Uint8Array(readFileSync(new URL(`${name}.age`, DIR)));
      const strict: Decoder = entry.format === "age-rt" ? new AgeRTDecoder(entry.passphrase) : new AgeDecoder(entry.passphrase);
      let off = 0;
      check(entry, decode(iterDecodeCallable((n) => file.subarray(off, (off += n)), strict)));
      // The auto decoder, fed random blob sizes, releases the same chunks.
      const auto = new AgeAutoDecoder(entry.passphrase);
      check(entry, decode(iterDecodeChunks(randomSplits(file, seededRandom(name), 3000), auto)));
    });
  }

  it("the format-specific decoders refuse the other format's header", () => {
    const rt = new Uint8Array(readFileSync(new URL("rt_basic.age", DIR)));
    const v1 = new Uint8Array(readFileSync(new URL("age_v1_scrypt_1.age", DIR)));
    expect(() => [...iterDecodeChunks([rt], new AgeDecoder("x"))]).toThrow(HeaderParseError);
    expect(() => [...iterDecodeChunks([v1], new AgeRTDecoder("x"))]).toThrow(HeaderParseError);
  });
});
