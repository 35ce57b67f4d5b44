// Every vector of ../shared/vectors/crypt-io/ as its manifest says: success
// vectors decode to the recorded plaintext (SHA-256) on every decoding path
// (push, iterators sync and async, WHATWG stream) fed whole and in random
// splits, and encode again byte for byte from their key, salt or nonce
// prefix and plaintext; failure vectors fail with the class their kind
// names, releasing at most an authenticated prefix.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ChunkAuthenticationError, CryptIoDecoder, CryptIoEncoder, HeaderParseError, StreamTruncatedError,
  cryptIoDecrypt, type CryptIoAlgorithm,
} from "../src/crypt-io/index.js";
import { iterEncodeChunks } from "../src/index.js";
import { ALWAYS, ROTATING, runPath } from "./helpers/fuzz-oracle.js";
import { seededRandom } from "./helpers/random.js";

const DIR = new URL("../../shared/vectors/crypt-io/", import.meta.url);

interface Vector {
  file: string;
  version: 1 | 2;
  algorithm: string;
  chunk_size_log2: number;
  key: string;
  nonce_prefix?: string;
  salt?: string;
  plaintext?: { length: number; sha256: string };
  expect: "success" | "header" | "truncated" | "auth" | "auth-or-truncated";
  also_accept?: string[];
}

const manifest = JSON.parse(readFileSync(new URL("manifest.json", DIR), "utf8")) as Record<string, Vector>;
const entries = Object.entries(manifest);
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const cat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const ALGORITHM: Record<string, CryptIoAlgorithm> = {
  "ChaCha20-Poly1305": "chacha20-poly1305", "AES-256-GCM": "aes-256-gcm", "XChaCha20-Poly1305": "xchacha20-poly1305",
};
const CLASS = { header: HeaderParseError, truncated: StreamTruncatedError, auth: ChunkAuthenticationError } as const;

describe("crypt-io vectors", () => {
  it("the manifest lists every .cio file", () => {
    expect(entries.length).toBe(17);
  });

  describe.each(entries.filter(([, v]) => v.expect === "success"))("%s", (name, v) => {
    const file = new Uint8Array(readFileSync(new URL(v.file, DIR)));
    const key = hex(v.key);

    it("decodes to the recorded plaintext, whole and in random splits, on every path", async () => {
      const plain = cryptIoDecrypt(file, key);
      expect(plain.length).toBe(v.plaintext!.length);
      expect(sha256(plain)).toBe(v.plaintext!.sha256);
      const rand = seededRandom(name);
      for (let round = 0; round < 4; round++) {
        for (const path of [...ALWAYS, ...ROTATING]) {
          const o = await runPath(path, file, new CryptIoDecoder(key), 2 ** 24 + 16, rand);
          expect(o.error, `${path}`).toBeNull();
          expect(o.complete, `${path}`).toBe(true);
          expect(sha256(cat(o.released)), `${path}`).toBe(v.plaintext!.sha256);
        }
      }
      const dec = new CryptIoDecoder(key);
      expect(dec.streamHeader).toBeNull();
      dec.feed(file.subarray(0, 24));
      expect(dec.streamHeader).toEqual({ version: v.version, algorithm: ALGORITHM[v.algorithm], chunkSizeLog2: v.chunk_size_log2 });
    });

    it("encodes again byte for byte from its key, salt or nonce prefix and plaintext", () => {
      const plain = cryptIoDecrypt(file, key);
      const opts = {
        version: v.version, algorithm: ALGORITHM[v.algorithm]!, chunkSizeLog2: v.chunk_size_log2,
        _fixedRandom: hex(v.version === 1 ? v.nonce_prefix! : v.salt!),
      };
      const whole = CryptIoEncoder.create(key, opts)._encodeWhole(plain);
      expect(sha256(whole)).toBe(sha256(file));
      // Through the iterators, from pieces of random sizes.
      const rand = seededRandom(`${name}-enc`);
      const pieces: Uint8Array[] = [];
      for (let i = 0; i < plain.length; ) {
        const n = Math.floor(rand() * 1500);
        pieces.push(plain.subarray(i, i + n));
        i += n;
      }
      const streamed = cat([...iterEncodeChunks(pieces, CryptIoEncoder.create(key, opts))]);
      expect(Buffer.compare(streamed, file)).toBe(0);
    });
  });

  const base = manifest["v2_chacha_log12_20603"]!;
  const basePlain = cryptIoDecrypt(new Uint8Array(readFileSync(new URL(base.file, DIR))), hex(base.key));

  describe.each(entries.filter(([, v]) => v.expect !== "success"))("%s", (name, v) => {
    const file = new Uint8Array(readFileSync(new URL(v.file, DIR)));
    const key = hex(v.key);
    const kinds = v.expect === "auth-or-truncated" ? ["auth", "truncated"] : [v.expect, ...(v.also_accept ?? [])];

    it(`fails as ${kinds.join(" or ")} on every path, releasing only an authenticated prefix`, async () => {
      const rand = seededRandom(name);
      for (let round = 0; round < 3; round++) {
        for (const path of [...ALWAYS, ...ROTATING]) {
          const o = await runPath(path, file, new CryptIoDecoder(key), 2 ** 24 + 16, rand);
          const failed = o.error !== null || !o.complete;
          expect(failed, path).toBe(true);
          if (o.error !== null) {
            expect(kinds.some((k) => o.error instanceof CLASS[k as keyof typeof CLASS]), `${path}: ${String(o.error)}`).toBe(true);
          } else {
            expect(path).toBe("push"); // the push path stops where the input ends: truncation
            expect(kinds).toContain("truncated");
          }
          const released = cat(o.released);
          // The failure vectors are the base stream (same key and salt) modified: what was released is its prefix.
          if (v.salt === base.salt && v.key === base.key) expect(Buffer.compare(released, basePlain.subarray(0, released.length))).toBe(0);
          else expect(released.length).toBe(0);
          expect(released.length % 4096).toBe(0);
        }
      }
      expect(() => cryptIoDecrypt(file, key)).toThrow();
    });
  });
});
