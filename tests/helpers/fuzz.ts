// Mutation fuzzing of whole files (issue 5), part 1: a reproducible corpus of
// valid age v1 and age-rt v0.2 files, their layout (header lines, nonce,
// length prefixes, chunk bodies, tags), and mutation operators aimed at each
// region. Part 2 (fuzz-oracle.ts) feeds the mutants to every decoding path and
// judges the outcome.
//
// Everything is seeded: the corpus is built with crypto.getRandomValues
// replaced by a seeded generator (so file keys, nonces, salts and identities
// are the same on every run), and each case draws its mutations from
// seededRandom(`<format>:<case index>`), so a failing case is replayed from
// its index alone (AGE_RT_FUZZ_CASE, see tests/fuzz/mutations.test.ts).
import { vi } from "vitest";
import {
  AgeEncoder, AgeRTEncoder, armor, encodeBytes, generateHybridIdentity, generateIdentity, identityToRecipient, type AnyEncoder,
} from "../../src/index.js";
import { encodeBase64 } from "../../src/format/base64.js";
import { seededRandom } from "./random.js";

export type Rand = () => number;
export type Format = "age" | "age-rt";

/** The fuzz run's size: a short run inside `npm test`, a long one for `npm run fuzz`. */
export const FUZZ_FULL = process.env.AGE_RT_FUZZ === "full";

/** A passphrase distinctive enough to be searched for in error messages. */
export const FUZZ_PASSPHRASE = "fuzz-Passphrase:never-echo-7Qx";
/** The largest scrypt work factor the fuzz decoders accept: a mutated work factor costs at most 2^4. */
export const FUZZ_MAX_WORK_FACTOR = 4;

export const CS = 65536;
const SEALED = CS + 16;

// ---------------------------------------------------------------- randomness

export const int = (rand: Rand, n: number): number => Math.floor(rand() * n);
export const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[int(rand, xs.length)]!;
export const chance = (rand: Rand, p: number): boolean => rand() < p;

/** Runs fn with crypto.getRandomValues drawing from seededRandom(seed): deterministic keys and nonces. */
export function withSeededRandomness<T>(seed: string, fn: () => T): T {
  const rand = seededRandom(seed);
  const spy = vi.spyOn(crypto, "getRandomValues").mockImplementation(<A extends ArrayBufferView | null>(a: A): A => {
    const u = new Uint8Array(a!.buffer, a!.byteOffset, a!.byteLength);
    for (let i = 0; i < u.length; i++) u[i] = int(rand, 256);
    return a;
  });
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

// ---------------------------------------------------------------- corpus

export interface Keys {
  passphrase?: string;
  identities?: string[];
}

export interface Seed {
  name: string;
  format: Format;
  /** The binary file (for armored seeds: the file inside the armor). */
  file: Uint8Array;
  /** The plaintext chunks as the decoders release them (age-rt: each chunk, the final one included). */
  chunks: Uint8Array[];
  /** Their concatenation. */
  plaintext: Uint8Array;
  keys: Keys;
  /** age-rt: the maxchunk of the version line (65536 for age v1). */
  maxChunk: number;
  /** Relative frequency of the seed among the cases of its format (X25519 seeds cost ~6× more to decode). */
  weight: number;
}

function pattern(n: number, salt: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 131 + salt * 29 + (i >>> 7)) & 0xff;
  return out;
}

/** Encodes age-rt chunks one by one; the last is marked final unless `emptyFinal` (then an empty final chunk follows, as the iterators do). */
function encodeRT(enc: AgeRTEncoder, chunks: Uint8Array[], emptyFinal: boolean): { file: Uint8Array; released: Uint8Array[] } {
  const parts = [enc.getHeader()];
  const released = emptyFinal ? [...chunks, new Uint8Array(0)] : chunks;
  released.forEach((c, i) => parts.push(enc.encodeChunk(c, i === released.length - 1)));
  return { file: concat(...parts), released };
}

/** Chunks of an age v1 plaintext as AgeDecoder releases them: 64 KiB each, the last one short or full (one empty chunk for an empty payload). */
function ageChunks(plaintext: Uint8Array): Uint8Array[] {
  if (plaintext.length === 0) return [new Uint8Array(0)];
  const out: Uint8Array[] = [];
  for (let i = 0; i < plaintext.length; i += CS) out.push(plaintext.subarray(i, i + CS));
  return out;
}

function seedRT(name: string, enc: () => AgeRTEncoder, sizes: number[], emptyFinal: boolean, keys: Keys, weight: number): Seed {
  return withSeededRandomness(`seed:${name}`, () => {
    const e = enc();
    const chunks = sizes.map((n, i) => pattern(n, i + name.length));
    const { file, released } = encodeRT(e, chunks, emptyFinal);
    return { name, format: "age-rt", file, chunks: released, plaintext: concat(...released), keys, maxChunk: e.maxChunkSize, weight };
  });
}

function seedAge(name: string, enc: () => AnyEncoder, size: number, keys: Keys, weight: number): Seed {
  return withSeededRandomness(`seed:${name}`, () => {
    const plaintext = pattern(size, name.length);
    const file = encodeBytes([plaintext], enc());
    return { name, format: "age", file, chunks: ageChunks(plaintext), plaintext, keys, maxChunk: CS, weight };
  });
}

export interface Corpus {
  identity: string;
  /** An identity no file is encrypted to (decoders given only it see "no match"). */
  spareIdentity: string;
  seeds: Record<Format, Seed[]>;
  /** The post-quantum hybrid identity of the `pq` seeds. */
  pqIdentity: string;
  /** Files to a post-quantum hybrid recipient (mlkem768x25519 stanzas of 1.5 kB each). */
  pqSeeds: Record<Format, Seed[]>;
}

let corpus: Corpus | null = null;

/**
 * The seed files. Passphrase files use work factor 1 or 2 (a derivation then
 * costs ~0.5 ms, mostly instantiating the scrypt module), X25519 files one or
 * two recipients. Sizes put chunk boundaries in reach of the mutators: several
 * age-rt chunks including empty ones and a maxchunk of 64, age v1 files of one,
 * two and three 64 KiB chunks with short and full final chunks.
 */
export function buildCorpus(): Corpus {
  if (corpus !== null) return corpus;
  const [identity, spareIdentity, pqIdentity, pqSpare] = withSeededRandomness("identities", () => [
    generateIdentity(), generateIdentity(), generateHybridIdentity(), generateHybridIdentity(),
  ]);
  const rcpt = identityToRecipient(identity!);
  const spare = identityToRecipient(spareIdentity!);
  const pqRcpt = identityToRecipient(pqIdentity!);
  const pqSpareRcpt = identityToRecipient(pqSpare!);
  const pq: Keys = { identities: [pqIdentity!] };
  const pass: Keys = { passphrase: FUZZ_PASSPHRASE };
  const x: Keys = { identities: [identity!] };
  const rtPass = (wf: number, maxChunkSize?: number) => () => AgeRTEncoder.fromPassphrase(FUZZ_PASSPHRASE, { workFactor: wf, maxChunkSize });
  const agePass = (wf: number) => () => AgeEncoder.fromPassphrase(FUZZ_PASSPHRASE, { workFactor: wf });
  corpus = {
    identity: identity!,
    spareIdentity: spareIdentity!,
    seeds: {
      "age-rt": [
        seedRT("rt-pass-wf1", rtPass(1), [5, 0, 300, 1000, 17], true, pass, 4),
        seedRT("rt-pass-wf2-maxchunk64", rtPass(2, 64), [64, 0, 10, 64, 3], false, pass, 4),
        seedRT("rt-pass-wf1-one-final", rtPass(1), [40], false, pass, 1),
        seedRT("rt-pass-wf1-empty", rtPass(1), [], true, pass, 1),
        seedRT("rt-pass-wf1-maxchunk100000", rtPass(1, 100_000), [70_000, 1, 0], true, pass, 1),
        seedRT("rt-x25519", () => AgeRTEncoder.fromRecipients([rcpt]), [100, 2000, 0, 33], true, x, 1),
        seedRT("rt-x25519-2rcpt", () => AgeRTEncoder.fromRecipients([spare, rcpt], { maxChunkSize: 32 }), [32, 1, 32], false, x, 1),
      ],
      age: [
        seedAge("age-pass-wf1-small", agePass(1), 1000, pass, 4),
        seedAge("age-pass-wf1-3chunks", agePass(1), 2 * CS + 100, pass, 3),
        seedAge("age-pass-wf2-one-full", agePass(2), CS, pass, 1),
        seedAge("age-pass-wf1-empty", agePass(1), 0, pass, 1),
        seedAge("age-pass-wf1-2full", agePass(1), 2 * CS, pass, 1),
        seedAge("age-x25519-2chunks", () => AgeEncoder.fromRecipients([rcpt]), CS + 1, x, 1),
        seedAge("age-x25519-2rcpt", () => AgeEncoder.fromRecipients([spare, rcpt]), 77, x, 1),
      ],
    },
    pqIdentity: pqIdentity!,
    pqSeeds: {
      "age-rt": [
        seedRT("rt-pq", () => AgeRTEncoder.fromRecipients([pqRcpt]), [100, 0, 2000, 33], true, pq, 2),
        seedRT("rt-pq-2rcpt", () => AgeRTEncoder.fromRecipients([pqSpareRcpt, pqRcpt], { maxChunkSize: 32 }), [32, 1, 32], false, pq, 1),
      ],
      age: [
        seedAge("age-pq-2chunks", () => AgeEncoder.fromRecipients([pqRcpt]), CS + 1, pq, 2),
        seedAge("age-pq-2rcpt", () => AgeEncoder.fromRecipients([pqRcpt, pqSpareRcpt]), 77, pq, 1),
        seedAge("age-pq-empty", () => AgeEncoder.fromRecipients([pqRcpt]), 0, pq, 1),
      ],
    },
  };
  return corpus;
}

/** A seed drawn by weight. */
export function pickSeed(rand: Rand, seeds: readonly Seed[]): Seed {
  let r = rand() * seeds.reduce((n, s) => n + s.weight, 0);
  for (const s of seeds) if ((r -= s.weight) < 0) return s;
  return seeds[seeds.length - 1]!;
}

// ---------------------------------------------------------------- layout

export interface Span {
  start: number;
  end: number;
}

export interface Chunk {
  /** Start of the frame (the length prefix for age-rt, the ciphertext for age v1). */
  start: number;
  /** Start of the ciphertext. */
  body: number;
  /** Start of the 16-byte tag. */
  tag: number;
  end: number;
}

export interface Layout {
  /** Header lines, each with its LF: version, stanza lines, body lines, MAC line. */
  lines: Span[];
  /** The MAC line (the last of `lines`). */
  mac: Span;
  nonce: Span;
  chunks: Chunk[];
}

/** The layout of a valid file of the corpus. */
export function layoutOf(file: Uint8Array, format: Format): Layout {
  const lines: Span[] = [];
  let at = 0;
  for (;;) {
    const lf = file.indexOf(0x0a, at);
    if (lf < 0) throw new Error("layoutOf: no MAC line");
    lines.push({ start: at, end: lf + 1 });
    const isMac = file[at] === 0x2d && file[at + 1] === 0x2d && file[at + 2] === 0x2d;
    at = lf + 1;
    if (isMac) break;
  }
  const nonce = { start: at, end: at + 16 };
  const chunks: Chunk[] = [];
  at = nonce.end;
  while (at < file.length) {
    if (format === "age") {
      const end = Math.min(at + SEALED, file.length);
      chunks.push({ start: at, body: at, tag: end - 16, end });
      at = end;
    } else {
      const len = new DataView(file.buffer, file.byteOffset + at, 4).getUint32(0);
      chunks.push({ start: at, body: at + 4, tag: at + 4 + len - 16, end: at + 4 + len });
      at += 4 + len;
    }
  }
  return { lines, mac: lines[lines.length - 1]!, nonce, chunks };
}

// ---------------------------------------------------------------- byte edits

/** A fresh Uint8Array (not a Buffer, whose slice() is a view: mutants must never write into a seed). */
export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

export function splice(file: Uint8Array, start: number, deleteCount: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concat(file.subarray(0, start), insert, file.subarray(start + deleteCount));
}

function randomBytes(rand: Rand, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(rand, 256);
  return out;
}

const ascii = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
const latin1 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");

// ---------------------------------------------------------------- mutation operators

export interface MutationContext {
  rand: Rand;
  seed: Seed;
  /** The other seeds of the same format (for chunks spliced from other files). */
  others: readonly Seed[];
}

/** Returns the mutant, or null when the operator does not apply to this file (another is drawn). */
export type Operator = (file: Uint8Array, ctx: MutationContext) => Uint8Array | null;

type Region = "version" | "stanzas" | "mac" | "nonce" | "prefix" | "body" | "tag" | "anywhere";
const REGIONS: readonly Region[] = ["version", "stanzas", "mac", "nonce", "prefix", "body", "tag", "anywhere"];

/** A span of the file in the region (null if the file has none, e.g. no length prefix in age v1). */
function regionSpan(file: Uint8Array, lay: Layout, region: Region, rand: Rand): Span | null {
  const chunk = lay.chunks.length > 0 ? pick(rand, lay.chunks) : null;
  switch (region) {
    case "version": return lay.lines[0]!;
    case "stanzas": return lay.lines.length > 2 ? { start: lay.lines[1]!.start, end: lay.mac.start } : null;
    case "mac": return lay.mac;
    case "nonce": return lay.nonce;
    case "prefix": return chunk && chunk.body > chunk.start ? { start: chunk.start, end: chunk.body } : null;
    case "body": return chunk && chunk.tag > chunk.body ? { start: chunk.body, end: chunk.tag } : null;
    case "tag": return chunk ? { start: chunk.tag, end: chunk.end } : null;
    case "anywhere": return { start: 0, end: file.length };
  }
}

/** Wraps a region-aimed edit: the operator's name records the region drawn. */
function inRegion(edit: (file: Uint8Array, span: Span, rand: Rand) => Uint8Array | null): Operator {
  return (file, ctx) => {
    const lay = layoutOf(ctx.seed.file, ctx.seed.format);
    const span = regionSpan(file, lay, pick(ctx.rand, REGIONS), ctx.rand);
    if (span === null || span.end > file.length || span.end <= span.start) return null;
    return edit(file, span, ctx.rand);
  };
}

const at = (span: Span, rand: Rand) => span.start + int(rand, span.end - span.start);

const bitFlip: Operator = inRegion((file, span, rand) => {
  const out = file.slice();
  out[at(span, rand)]! ^= 1 << int(rand, 8);
  return out;
});

const byteSet: Operator = inRegion((file, span, rand) => {
  const out = file.slice();
  out[at(span, rand)] = pick(rand, [0x00, 0x0a, 0x0d, 0x20, 0x2d, 0x3d, 0x7f, 0x80, 0xff, int(rand, 256)]);
  return out;
});

const insertBytes: Operator = inRegion((file, span, rand) =>
  splice(file, span.start + int(rand, span.end - span.start + 1), 0, randomBytes(rand, 1 + int(rand, 4))));

const deleteBytes: Operator = inRegion((file, span, rand) => splice(file, at(span, rand), 1 + int(rand, 4)));

/** Truncation anywhere inside a region. */
const truncate: Operator = inRegion((file, span, rand) => file.subarray(0, at(span, rand)));

/** Truncation at a structural boundary: after a header line, the nonce, a length prefix, a chunk body, a chunk, or one byte before/after. */
const truncateAtBoundary: Operator = (file, { seed, rand }) => {
  const lay = layoutOf(seed.file, seed.format);
  const points = [
    ...lay.lines.map((l) => l.end), lay.mac.end - 1, lay.nonce.end,
    ...lay.chunks.flatMap((c) => [c.body, c.tag, c.end - 1, c.end]),
  ];
  const p = pick(rand, points) + pick(rand, [0, 0, 0, -1, 1]);
  if (p < 0 || p >= file.length) return null;
  return file.subarray(0, p);
};

function frames(file: Uint8Array, lay: Layout): Uint8Array[] {
  return lay.chunks.map((c) => file.subarray(c.start, c.end));
}

function withFrames(file: Uint8Array, lay: Layout, list: Uint8Array[]): Uint8Array {
  return concat(file.subarray(0, lay.nonce.end), ...list);
}

const chunkSwap: Operator = (file, { seed, rand }) => {
  const lay = layoutOf(seed.file, seed.format);
  if (lay.chunks.length < 2) return null;
  const f = frames(file, lay);
  const i = int(rand, f.length);
  const j = (i + 1 + int(rand, f.length - 1)) % f.length;
  [f[i], f[j]] = [f[j]!, f[i]!];
  return withFrames(file, lay, f);
};

const chunkDuplicate: Operator = (file, { seed, rand }) => {
  const lay = layoutOf(seed.file, seed.format);
  const f = frames(file, lay);
  if (f.length === 0) return null;
  const i = int(rand, f.length);
  f.splice(chance(rand, 0.5) ? i : f.length, 0, f[i]!); // in place, or appended after the final chunk
  return withFrames(file, lay, f);
};

const chunkDrop: Operator = (file, { seed, rand }) => {
  const lay = layoutOf(seed.file, seed.format);
  const f = frames(file, lay);
  if (f.length === 0) return null;
  f.splice(int(rand, f.length), 1);
  return withFrames(file, lay, f);
};

const chunkMoveLast: Operator = (file, { seed, rand }) => {
  const lay = layoutOf(seed.file, seed.format);
  const f = frames(file, lay);
  if (f.length < 2) return null;
  const [c] = f.splice(int(rand, f.length - 1), 1);
  f.push(c!);
  return withFrames(file, lay, f);
};

/** A chunk from another file of the same format (another key) put in place of one of ours. */
const chunkFromOtherFile: Operator = (file, { seed, rand, others }) => {
  const lay = layoutOf(seed.file, seed.format);
  const other = pick(rand, others);
  if (other === seed || lay.chunks.length === 0) return null;
  const olay = layoutOf(other.file, other.format);
  const f = frames(file, lay);
  const of = frames(other.file, olay);
  const i = int(rand, Math.min(f.length, of.length));
  f[i] = of[i]!;
  return withFrames(file, lay, f);
};

/** age-rt: rewrites a length prefix to a boundary value. */
const lengthRewrite: Operator = (file, { seed, rand }) => {
  if (seed.format !== "age-rt") return null;
  const lay = layoutOf(seed.file, seed.format);
  if (lay.chunks.length === 0) return null;
  const c = pick(rand, lay.chunks);
  const len = c.end - c.body;
  const value = pick(rand, [0, 15, 16, 17, len - 1, len + 1, seed.maxChunk + 16, seed.maxChunk + 17, 2 ** 31, 2 ** 32 - 1, int(rand, 2 ** 32)]);
  if (value < 0 || c.start + 4 > file.length) return null;
  const out = file.slice();
  new DataView(out.buffer).setUint32(c.start, value >>> 0);
  return out;
};

const appendTrailing: Operator = (file, { seed, rand }) => {
  const lay = layoutOf(seed.file, seed.format);
  const last = lay.chunks.at(-1);
  const tails = [new Uint8Array([0]), ascii("\n"), randomBytes(rand, 1 + int(rand, 40))];
  if (last) tails.push(file.subarray(last.start, last.end));
  return concat(file, pick(rand, tails));
};

// Header edits, on the text of the header lines.

function headerText(file: Uint8Array, seed: Seed): { lines: string[]; rest: Uint8Array } {
  const lay = layoutOf(seed.file, seed.format);
  const lines = lay.lines.map((l) => latin1(file.subarray(l.start, l.end - 1)));
  return { lines, rest: file.subarray(lay.mac.end) };
}

function withHeader(lines: string[], rest: Uint8Array, eol: string[] = []): Uint8Array {
  return concat(ascii(lines.map((l, i) => l + (eol[i] ?? "\n")).join("")), rest);
}

/** Indices of stanza lines ("-> …"), and of the body lines that follow each. */
function stanzaLines(lines: string[]): number[] {
  return lines.flatMap((l, i) => (l.startsWith("-> ") ? [i] : []));
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Same length, same decoded bytes where they are defined, different unused low bits when the length leaves some. */
function nonCanonical(s: string, rand: Rand): string {
  if (s.length === 0) return "=";
  const last = s[s.length - 1]!;
  const v = B64.indexOf(last);
  const unusedBits = s.length % 4 === 2 ? 4 : s.length % 4 === 3 ? 2 : 0;
  const choices = [s + "=", s + "==", s.replace(/\+/g, "-").replace(/\//g, "_"), s.slice(0, -1) + "-", s + "A"];
  if (unusedBits > 0 && v >= 0) choices.push(s.slice(0, -1) + B64[(v & ~((1 << unusedBits) - 1)) | (1 + int(rand, (1 << unusedBits) - 1))]!);
  return pick(rand, choices);
}

const WORK_FACTORS = ["30", "1073741824", "31", "99999999999999999999", "0", "01", "-1", "+2", "2.0", "0x2", "22", "23", "5", "3", "4", "", " 2"];
const VERSIONS = [
  "age-encryption.org/v1", "github.com/parsimonit/age-rt-encryption/v0.2", "age-encryption.org/v2", "age-encryption.org/V1",
  " age-encryption.org/v1", "age-encryption.org/v1 ", "github.com/parsimonit/age-rt-encryption/v0.1",
  ...["0", "01", "1", "15", "16", "64", "65536", "100000", "16777216", "16777217", "99999999999", "-1", "", "1e3", "65536 ", "0x40"]
    .map((n) => `github.com/parsimonit/age-rt-encryption/v0.2?maxchunk=${n}`),
  "github.com/parsimonit/age-rt-encryption/v0.2?maxchunk=64&x=1", "github.com/parsimonit/age-rt-encryption/v0.2?MAXCHUNK=64",
];

const STRAY_STANZAS = (rand: Rand): string[][] => {
  const b64 = (n: number) => encodeBase64(randomBytes(rand, n));
  return [
    [`-> X25519 ${b64(32)}`, b64(32)],
    [`-> X25519 ${"A".repeat(43)}`, b64(32)], // the all-zero share: a low-order point
    [`-> scrypt ${b64(16)} 2`, b64(32)],
    [`-> scrypt ${b64(16)} 30`, b64(32)],
    ["-> unknown-type arg1 arg2", ""],
    ["-> grease-x !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", b64(48).slice(0, 64), ""],
    ["-> X25519", ""],
    ["->", ""],
    ["-> ", ""],
    [`-> ssh-ed25519 ${b64(4)} ${b64(32)}`, b64(32)],
  ];
};

const headerEdit: Operator = (file, { seed, rand }) => {
  const { lines, rest } = headerText(file, seed);
  const stanzas = stanzaLines(lines);
  const li = int(rand, lines.length);
  const kind = int(rand, 12);
  switch (kind) {
    case 0: { // CRLF line ending on one line, or on all of them
      const eol = lines.map(() => "\n");
      if (chance(rand, 0.5)) eol[li] = "\r\n";
      else eol.fill("\r\n");
      return withHeader(lines, rest, eol);
    }
    case 1: { // an extra space somewhere on a line
      const l = lines[li]!;
      const p = pick(rand, [0, l.length, l.indexOf(" ") + 1, int(rand, l.length + 1)]);
      lines[li] = l.slice(0, p) + " " + l.slice(p);
      return withHeader(lines, rest);
    }
    case 2: { // a non-canonical base64 field: a stanza argument, a body line, or the MAC
      const s = pick(rand, stanzas.length > 0 ? stanzas : [0]);
      if (lines[s]!.startsWith("-> ") && chance(rand, 0.4)) {
        const args = lines[s]!.slice(3).split(" ");
        if (args.length > 1) {
          const a = 1 + int(rand, args.length - 1);
          args[a] = nonCanonical(args[a]!, rand);
          lines[s] = "-> " + args.join(" ");
          return withHeader(lines, rest);
        }
      }
      if (chance(rand, 0.5) && s + 1 < lines.length - 1) {
        lines[s + 1] = nonCanonical(lines[s + 1]!, rand);
      } else {
        lines[lines.length - 1] = "--- " + nonCanonical(lines[lines.length - 1]!.slice(4), rand);
      }
      return withHeader(lines, rest);
    }
    case 3: { // the scrypt work factor
      const s = stanzas.find((i) => lines[i]!.startsWith("-> scrypt "));
      if (s === undefined) return null;
      const args = lines[s]!.split(" ");
      args[args.length - 1] = pick(rand, WORK_FACTORS);
      lines[s] = args.join(" ");
      return withHeader(lines, rest);
    }
    case 4: { // a stray stanza before, between or after ours
      const insertAt = pick(rand, [...stanzas, lines.length - 1]);
      lines.splice(insertAt, 0, ...pick(rand, STRAY_STANZAS(rand)));
      return withHeader(lines, rest);
    }
    case 5: { // a stanza duplicated, dropped or moved
      if (stanzas.length === 0) return null;
      const s = pick(rand, stanzas);
      const end = stanzas.find((i) => i > s) ?? lines.length - 1;
      const block = lines.slice(s, end);
      const op = int(rand, 3);
      if (op === 0) lines.splice(end, 0, ...block);
      else if (op === 1) lines.splice(s, end - s);
      else {
        lines.splice(s, end - s);
        lines.splice(lines.length - 1, 0, ...block);
      }
      return withHeader(lines, rest);
    }
    case 6: { // a body line re-wrapped: split, joined with the next, or padded to 64/65 columns
      if (stanzas.length === 0) return null;
      const b = pick(rand, stanzas) + 1;
      if (b >= lines.length - 1) return null; // an earlier edit left a "-> " line with no body line after it
      const l = lines[b]!;
      const op = int(rand, 3);
      if (op === 0 && l.length > 1) lines.splice(b, 1, l.slice(0, l.length >> 1), l.slice(l.length >> 1));
      else if (op === 1 && b + 1 < lines.length - 1) lines.splice(b, 2, l + lines[b + 1]!);
      else lines[b] = (l + "A".repeat(65)).slice(0, pick(rand, [64, 65]));
      return withHeader(lines, rest);
    }
    case 7: // the version line
      lines[0] = pick(rand, VERSIONS);
      return withHeader(lines, rest);
    case 8: { // the MAC line
      const mac = lines[lines.length - 1]!.slice(4);
      lines[lines.length - 1] = pick(rand, ["---", "--- ", "---" + mac, "---  " + mac, "--- " + mac.slice(1), "--- " + mac + "A",
        "--- " + mac.toLowerCase(), "---- " + mac, "-- " + mac, "--- " + mac + " ", "--- " + encodeBase64(randomBytes(rand, 32))]);
      return withHeader(lines, rest);
    }
    case 9: // an empty line, or a line of noise
      lines.splice(1 + int(rand, lines.length - 1), 0, pick(rand, ["", " ", "--", "-> ", "AAAA", "---"]));
      return withHeader(lines, rest);
    case 10: { // a stanza argument dropped, added or emptied
      if (stanzas.length === 0) return null;
      const s = pick(rand, stanzas);
      const args = lines[s]!.slice(3).split(" ");
      const op = int(rand, 3);
      if (op === 0 && args.length > 1) args.pop();
      else if (op === 1) args.push(pick(rand, ["AAAA", "x", encodeBase64(randomBytes(rand, 16))]));
      else args.splice(1 + int(rand, args.length), 0, "");
      lines[s] = "-> " + args.join(" ");
      return withHeader(lines, rest);
    }
    default: { // the stanza type renamed
      if (stanzas.length === 0) return null;
      const s = pick(rand, stanzas);
      const args = lines[s]!.slice(3).split(" ");
      args[0] = pick(rand, ["x25519", "X25519 ", "Scrypt", "scrypt", "X25519", "age1", "-"]);
      lines[s] = "-> " + args.join(" ");
      return withHeader(lines, rest);
    }
  }
};

export const BINARY_OPERATORS: Record<string, Operator> = {
  bitFlip, byteSet, insertBytes, deleteBytes, truncate, truncateAtBoundary, chunkSwap, chunkDuplicate, chunkDrop,
  chunkMoveLast, chunkFromOtherFile, lengthRewrite, appendTrailing, headerEdit,
};

/** Relative frequencies: every family often, header edits and byte edits most. */
const BINARY_WEIGHTS: Record<string, number> = {
  bitFlip: 4, byteSet: 2, insertBytes: 2, deleteBytes: 2, truncate: 3, truncateAtBoundary: 2, chunkSwap: 1, chunkDuplicate: 1,
  chunkDrop: 1, chunkMoveLast: 1, chunkFromOtherFile: 1, lengthRewrite: 2, appendTrailing: 1, headerEdit: 5,
};

function weighted(rand: Rand, weights: Record<string, number>): string {
  const entries = Object.entries(weights);
  let r = rand() * entries.reduce((n, [, w]) => n + w, 0);
  for (const [name, w] of entries) if ((r -= w) < 0) return name;
  return entries[entries.length - 1]![0];
}

export interface Mutant {
  /** The operators applied, in order. */
  ops: string[];
  bytes: Uint8Array;
}

/** One to three operators applied in turn (each aimed at the seed's layout; later ones may miss after a length change, which is fine). */
export function mutateBinary(seed: Seed, others: readonly Seed[], rand: Rand): Mutant {
  const ops: string[] = [];
  let bytes = seed.file;
  const count = chance(rand, 0.75) ? 1 : 2 + int(rand, 2);
  for (let tries = 0; ops.length < count && tries < 50; tries++) {
    const name = weighted(rand, BINARY_WEIGHTS);
    const out = BINARY_OPERATORS[name]!(bytes, { rand, seed, others });
    if (out === null) continue;
    ops.push(name);
    bytes = out;
  }
  return { ops, bytes };
}

// Armored text: edits of the armor itself, or a binary mutant re-armored.

const ARMOR_CHARS = ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r \t-");

export const ARMOR_OPERATORS: Record<string, (text: Uint8Array, rand: Rand) => Uint8Array | null> = {
  armorBitFlip: (t, rand) => {
    const out = t.slice();
    out[int(rand, t.length)]! ^= 1 << int(rand, 8);
    return out;
  },
  armorInsert: (t, rand) => splice(t, int(rand, t.length + 1), 0, new Uint8Array([pick(rand, [...ARMOR_CHARS])])),
  armorDelete: (t, rand) => splice(t, int(rand, t.length), 1 + int(rand, 3)),
  armorTruncate: (t, rand) => t.subarray(0, int(rand, t.length)),
  // Valid variants: CRLF throughout, whitespace before the begin line and after the end line.
  armorCRLF: (t) => ascii(latin1(t).replaceAll("\n", "\r\n")),
  armorOuterSpace: (t, rand) => concat(ascii(pick(rand, ["", " ", "\n\n", "\t \r\n"])), t, ascii(pick(rand, ["", " ", "\n", "\r\n\t "]))),
  // Invalid variants.
  armorOneCRLF: (t, rand) => {
    const s = latin1(t).split("\n");
    const i = int(rand, Math.max(1, s.length - 1));
    s[i] = s[i] + "\r";
    return ascii(s.join("\n"));
  },
  armorRewrap: (t, rand) => {
    const s = latin1(t).split("\n");
    const data = s.slice(1, -2).join("");
    const cols = pick(rand, [60, 63, 65, 76, 1 << 12]);
    const wrapped = data.match(new RegExp(`.{1,${cols}}`, "g")) ?? [];
    return ascii([s[0], ...wrapped, ...s.slice(-2)].join("\n"));
  },
  armorPadding: (t) => {
    const s = latin1(t);
    return s.includes("=") ? ascii(s.replace(/=+/, "")) : ascii(s.replace(/\n-----END/, "==\n-----END"));
  },
  armorMarkers: (t, rand) => {
    const s = latin1(t);
    return ascii(pick(rand, [
      s.replace("BEGIN AGE", "BEGIN age"), s.replace("-----END AGE ENCRYPTED FILE-----", "-----END AGE ENCRYPTED FILE----"),
      s.replace("-----BEGIN", "----BEGIN"), s.replace("FILE-----\n", "FILE----- \n"), s + "-----BEGIN AGE ENCRYPTED FILE-----\n",
      s.replace(/\n-----END[^\n]*\n$/, "\n"), "garbage\n" + s,
    ]));
  },
};

export function mutateArmored(seed: Seed, others: readonly Seed[], rand: Rand): Mutant {
  if (chance(rand, 0.4)) {
    // A binary mutant inside valid armor: the inner decoder's paths, reached through the armor.
    const inner = mutateBinary(seed, others, rand);
    return { ops: inner.ops.map((o) => `armored(${o})`), bytes: ascii(armor.encode(inner.bytes)) };
  }
  let text: Uint8Array = ascii(armor.encode(seed.file));
  const ops: string[] = [];
  const count = chance(rand, 0.8) ? 1 : 2;
  for (let tries = 0; ops.length < count && tries < 20; tries++) {
    const name = pick(rand, Object.keys(ARMOR_OPERATORS));
    const out = ARMOR_OPERATORS[name]!(text, rand);
    if (out === null) continue;
    ops.push(name);
    text = out;
  }
  return { ops, bytes: text };
}

/**
 * The mutations that know nothing of a format's layout: a flipped bit, a byte
 * inserted, bytes deleted, the file cut short, bytes appended. The stream
 * formats' fuzz tests (crypt-io, a23crypt) start their operator tables with
 * these, in this order (a case's number picks its operator by position).
 */
export const BYTE_OPERATORS: Record<string, (f: Uint8Array, rand: Rand) => Uint8Array> = {
  bitFlip: (f, rand) => {
    const out = f.slice();
    out[int(rand, f.length)]! ^= 1 << int(rand, 8);
    return out;
  },
  insertByte: (f, rand) => splice(f, int(rand, f.length + 1), 0, Uint8Array.of(int(rand, 256))),
  deleteBytes: (f, rand) => splice(f, int(rand, f.length), 1 + int(rand, 20)),
  truncate: (f, rand) => f.subarray(0, int(rand, f.length)),
  append: (f, rand) => concat(f, Uint8Array.from({ length: 1 + int(rand, 40) }, () => int(rand, 256))),
};

/** BYTE_OPERATORS in the shape of a format's operator table, whose operators also take the seed. */
export function byteOperators<S>(): Record<string, (s: S, f: Uint8Array, rand: Rand) => Uint8Array> {
  return Object.fromEntries(Object.entries(BYTE_OPERATORS).map(([name, op]) => [name, (_s: S, f: Uint8Array, rand: Rand) => op(f, rand)]));
}
