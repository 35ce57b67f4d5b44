// Every vector of ../shared/vectors/a23crypt/ as its manifest says (A23CRYPT.md;
// vectors README): success entries decode to the recorded plaintext
// (SHA-256) through the bytes API, the push decoder and every iterator and
// stream, fed whole and in random splits; uncompressed ones encode again
// byte for byte from the same keys and salt; the compressed one decodes.
// Failure entries raise the original's class with its message fragment.
// Also the worked example of §8 and the noise known answers of §5.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  A23Decoder, A23Encoder, AgeRTError, DecryptionError, InputSizeError, IntegrityError, InvalidKeyError,
  decrypt, decryptStream, encrypt, ready, type A23Keys,
} from "../src/a23crypt/index.js";
import { RecordKeys } from "../src/a23crypt/key-schedule.js";
import { jsNoise, noiseAdd, noiseRemove } from "../src/a23crypt/noise.js";
import { wasmNoise } from "../src/wasm/noise.js";
import { aiterDecodeCallable, aiterDecodeChunks, decodeBytes, encodeBytes, iterDecodeCallable, iterDecodeChunks } from "../src/index.js";
import { seededRandom } from "./helpers/random.js";
import { streamed } from "./helpers/streams.js";

const DIR = new URL("../../shared/vectors/a23crypt/", import.meta.url);
// Both noise loops where the core runs; only the JS one in vitest.nowasm.config.ts (no WebAssembly).
const HAS_WASM = typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === "object";
const LOOPS = [jsNoise, ...(HAS_WASM ? [wasmNoise()!] : [])];

interface Entry {
  file: string;
  api: "bytes" | "stream";
  server_key: string;
  client_key: string;
  record_key: string;
  salt?: string;
  compress_level?: number;
  plaintext?: { length: number; sha256: string; hex?: string; gen: string };
  expect: string;
  message?: string;
  decode_only?: boolean;
}

const manifest = JSON.parse(readFileSync(new URL("manifest.json", DIR), "utf8")) as Record<string, Entry>;
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const cat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const keysOf = (e: Entry): A23Keys => ({ serverKey: hex(e.server_key), clientKey: hex(e.client_key), recordKey: hex(e.record_key) });
const file = (e: Entry) => new Uint8Array(readFileSync(new URL(e.file, DIR)));

/** The plaintext a success entry's `gen` describes. */
function plaintextOf(e: Entry): Uint8Array {
  const p = e.plaintext!;
  if (p.hex !== undefined && p.hex.length === p.length * 2) return hex(p.hex);
  const shake = /^SHAKE256\("([^"]*)"\)\[0:(\d+)\]$/.exec(p.gen);
  if (shake) return new Uint8Array(createHash("shake256", { outputLength: Number(shake[2]) }).update(shake[1]!).digest());
  if (p.gen.startsWith("concatenation of \"line %06d")) {
    let s = "";
    for (let i = 0; s.length < p.length; i++) s += `line ${String(i).padStart(6, "0")}: the quick brown fox jumps over the lazy dog\n`;
    return new Uint8Array(Buffer.from(s.slice(0, p.length)));
  }
  throw new Error(`unknown gen: ${p.gen}`);
}

/** Random split points of `data` into 1..n pieces. */
function split(data: Uint8Array, seed: number): Uint8Array[] {
  const rnd = seededRandom(String(seed));
  const out: Uint8Array[] = [];
  let i = 0;
  while (i < data.length) {
    const n = 1 + Math.floor(rnd() * Math.min(data.length - i, rnd() < 0.5 ? 64 : 100_000));
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}

function reader(data: Uint8Array) {
  let at = 0;
  return (n: number) => {
    const out = data.subarray(at, at + n);
    at += out.length;
    return out;
  };
}

function viaStream(data: Uint8Array[], keys: A23Keys): Promise<Uint8Array> {
  return streamed(new ReadableStream<Uint8Array>({
    start(c) {
      for (const d of data) c.enqueue(d);
      c.close();
    },
  }).pipeThrough(decryptStream(keys)));
}

/** Every decoding path over one record; returns the plaintext of each (they must all agree). */
async function allPaths(data: Uint8Array, keys: A23Keys, seed: number): Promise<Uint8Array[]> {
  const pieces = split(data, seed);
  return [
    cat([...decodeBytes(data, new A23Decoder(keys))]),
    cat([...iterDecodeChunks(pieces, new A23Decoder(keys))]),
    cat([...iterDecodeCallable(reader(data), new A23Decoder(keys))]),
    await (async () => {
      const out: Uint8Array[] = [];
      for await (const c of aiterDecodeChunks(pieces, new A23Decoder(keys))) out.push(c);
      return cat(out);
    })(),
    await (async () => {
      const out: Uint8Array[] = [];
      const r = reader(data);
      for await (const c of aiterDecodeCallable(async (n) => r(n), new A23Decoder(keys))) out.push(c);
      return cat(out);
    })(),
    await viaStream(pieces, keys),
  ];
}

async function failure(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

const CLASSES: Record<string, new (...a: never[]) => Error> = { IntegrityError, DecryptionError, InvalidKeyError, InputSizeError };

describe("a23crypt vectors", () => {
  it("covers every manifest entry", () => {
    expect(Object.keys(manifest).length).toBe(14);
  });

  for (const [name, e] of Object.entries(manifest)) {
    if (e.expect === "success") {
      it(`${name}: decodes on every path, whole and split`, async () => {
        if (e.compress_level) await ready(); // the bytes API needs zstd loaded (the streams load it); pure JS without WebAssembly
        const data = file(e);
        const want = plaintextOf(e);
        expect(sha256(want)).toBe(e.plaintext!.sha256);
        expect(sha256(decrypt(data, keysOf(e)))).toBe(e.plaintext!.sha256);
        for (const [i, got] of (await allPaths(data, keysOf(e), name.length * 7919)).entries()) {
          expect({ path: i, sha: sha256(got) }).toEqual({ path: i, sha: e.plaintext!.sha256 });
        }
      });
      if (!e.decode_only) {
        it(`${name}: encodes again byte for byte from the same salt`, () => {
          const data = file(e);
          const enc = new A23Encoder(keysOf(e), { compressLevel: e.compress_level, _salt: hex(e.salt!) });
          expect(Buffer.from(encodeBytes([plaintextOf(e)], enc)).equals(Buffer.from(data))).toBe(true);
          // And through the iterators' re-chunking, from pieces of random sizes.
          const enc2 = new A23Encoder(keysOf(e), { _salt: hex(e.salt!) });
          expect(Buffer.from(encodeBytes(split(plaintextOf(e), 17), enc2)).equals(Buffer.from(data))).toBe(true);
        });
      }
    } else {
      it(`${name}: ${e.expect} "${e.message}" on every path`, async () => {
        const data = file(e);
        const errors = [await failure(() => decrypt(data, keysOf(e)))];
        for (const seed of [1, 2]) {
          const pieces = split(data, seed);
          errors.push(await failure(() => [...iterDecodeChunks(pieces, new A23Decoder(keysOf(e)))]));
          errors.push(await failure(() => viaStream(pieces, keysOf(e))));
        }
        for (const err of errors) {
          expect(err).toBeInstanceOf(CLASSES[e.expect]!);
          expect(err).toBeInstanceOf(AgeRTError);
          expect((err as Error).message).toContain(e.message!);
        }
      });
    }
  }
});

describe("a23crypt worked example (A23CRYPT.md §8)", () => {
  const s = new Uint8Array(32).fill(0x73);
  const c = new Uint8Array(32).fill(0x63);
  const rk = new Uint8Array(Buffer.from("rec_001"));
  const salt = Uint8Array.from({ length: 16 }, (_, i) => i);

  it("derives the subkeys and seed_0", () => {
    const k = new RecordKeys(s, c, rk, salt);
    expect(Buffer.from(k.serverSub).toString("hex")).toBe("8911c490ed986cb051f1a900310fa25be0445d111244aa2ea8cff4769501063f");
    expect(Buffer.from(k.clientSub).toString("hex")).toBe("e833aecf2566d8b3ba47a10819582f6bd3b63d11e83b9b2672c69de3995e93d4");
    expect(Buffer.from(k.seed(0)).toString("hex")).toBe("43ee19abb39d16f10a3950a4e14a84e8");
  });

  it("writes the 71-byte record of the empty plaintext", () => {
    const rec = encodeBytes([new Uint8Array(0)], new A23Encoder({ serverKey: s, clientKey: c, recordKey: rk }, { _salt: salt }));
    expect(Buffer.from(rec).toString("hex")).toBe(
      "01" + "00" + "00010000" + "00000007" + "7265635f303031" + "000102030405060708090a0b0c0d0e0f" +
        "00000022d8cfbd1078ee7a87ddf14ef07cdadf554f8c9cfd5fe21a97d991746b75582c2a683c",
    );
  });

  it("the noise step of the example: take 10, noise d2, take 6, noise 57", () => {
    const inner = hex("c5403d9e2f7ff34395a1af37b71431c5");
    const seed = hex("43ee19abb39d16f10a3950a4e14a84e8");
    const want = "c5403d9e2f7ff34395a1d2af37b71431c557";
    for (const loops of LOOPS) {
      expect(Buffer.from(noiseAdd(inner, seed, loops)).toString("hex")).toBe(want);
      expect(Buffer.from(noiseRemove(hex(want), seed, loops)).toString("hex")).toBe(Buffer.from(inner).toString("hex"));
    }
  });
});

describe("a23crypt noise known answers (A23CRYPT.md §5)", () => {
  it("the WebAssembly loop is there exactly where WebAssembly is", () => {
    expect(wasmNoise() !== null).toBe(HAS_WASM);
    expect(LOOPS.length).toBe(HAS_WASM ? 2 : 1);
  });

  const noise = JSON.parse(readFileSync(new URL("noise/manifest.json", DIR), "utf8")) as Record<
    string, { input: string; output: string; seed: string; output_length: number; output_sha256: string; input_sha256: string }
  >;
  for (const [name, k] of Object.entries(noise)) {
    it(`${name}: NoiseAdd gives the output, NoiseRemove the input (WASM and JS loops)`, () => {
      const input = new Uint8Array(readFileSync(new URL(`noise/${k.input}`, DIR)));
      const output = new Uint8Array(readFileSync(new URL(`noise/${k.output}`, DIR)));
      expect(sha256(input)).toBe(k.input_sha256);
      expect(sha256(output)).toBe(k.output_sha256);
      for (const loops of LOOPS) {
        const added = noiseAdd(input, hex(k.seed), loops);
        expect(added.length).toBe(k.output_length);
        expect(sha256(added)).toBe(k.output_sha256);
        expect(sha256(noiseRemove(output, hex(k.seed), loops))).toBe(k.input_sha256);
      }
    });
  }
});
