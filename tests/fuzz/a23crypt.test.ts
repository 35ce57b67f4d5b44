// Mutation fuzzing of a23crypt records (issue 17): valid records
// (A23CRYPT.md) of several chunk layouts — empty, one byte, short chunks in
// the middle as a pipe's reads give them, a full 64 KiB chunk and more —
// uncompressed and zstd-compressed, are mutated — bit flips, byte insertions
// and deletions, truncations, appended bytes, frames swapped, duplicated,
// dropped or taken from another record, header field edits (version, flags,
// chunk_size, rk_len, record_key, salt), length prefixes set to 0, ± 1,
// 131072, 131073 and 2^32 − 1, splices from another record — and decoded on
// the push path, from blobs of random sizes, and in rotation by decodeBytes,
// the callable and async iterators and decryptStream. Same oracle as the
// other groups (tests/helpers/fuzz-oracle.ts): the original plaintext
// exactly, or a DecodeError (IntegrityError / DecryptionError) after
// releasing only whole original chunks, in order; every path agrees;
// bytesWanted never above 131072 + 4; sticky errors.
//
// The decoder may release two chunks in one piece (the last feed completes
// the next-to-last and the final chunk): released bytes are cut back into
// the seed's chunks before judging, and must fall on its chunk boundaries.
//
//   npm test            a short run
//   npm run fuzz        AGE_RT_FUZZ=full: 100 000 cases, written to bench/results/fuzz-a23crypt.md
//   AGE_RT_FUZZ_CASE=a23crypt:1234 npx vitest run tests/fuzz/a23crypt.test.ts   replays one case
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A23Decoder, A23Encoder, ready, type A23Keys } from "../../src/a23crypt/index.js";
import { ALWAYS, OracleViolation, ROTATING, Tally, judge, runFormatCase, runPath, type Operator, type Outcome } from "../helpers/fuzz-oracle.js";
import { FUZZ_FULL, byteOperators, chance, concat, int, pick, splice, type Rand } from "../helpers/fuzz.js";
import { seededRandom } from "../helpers/random.js";

const CASES = FUZZ_FULL ? 100_000 : 1000;
const CASE_LIMIT_MS = 5000;
const BOUND = 131072 + 4;
const only = process.env.AGE_RT_FUZZ_CASE?.match(/^a23crypt:(\d+)$/);

interface A23Seed {
  name: string;
  file: Uint8Array;
  chunks: Uint8Array[];
  keys: A23Keys;
  level: number;
}

const HEADER_FIXED = 10;
const rkLenOf = (s: A23Seed) => s.keys.recordKey.length;
const headerSize = (s: A23Seed) => HEADER_FIXED + rkLenOf(s) + 16;

/** Text-like bytes (compressible) or random ones. */
function plain(n: number, rand: Rand, text: boolean): Uint8Array {
  if (!text) return Uint8Array.from({ length: n }, () => int(rand, 256));
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = 97 + ((i * 7 + int(rand, 3)) % 26);
  return out;
}

/** The seed records: chunk layouts × zstd levels 0, 1, 3, 19; a record key and both keys per seed. */
function buildSeeds(): A23Seed[] {
  const rand = seededRandom("a23crypt-seeds");
  const layouts: [string, number[]][] = [
    ["empty", [0]], ["1", [1]], ["16", [16]], ["3 short", [100, 2000, 37]], ["5 × 1000 + 0", [1000, 1000, 1000, 1000, 1000, 0]],
    ["4096", [4096]], ["64K + 1", [65536, 1]],
  ];
  const seeds: A23Seed[] = [];
  for (const level of [0, 1, 3, 19]) {
    for (const [name, sizes] of layouts) {
      if (level > 0 && name === "64K + 1") continue; // one large compressed seed is enough
      const keys: A23Keys = {
        serverKey: Uint8Array.from({ length: 32 }, () => int(rand, 256)),
        clientKey: Uint8Array.from({ length: 32 }, () => int(rand, 256)),
        recordKey: Uint8Array.from({ length: 1 + int(rand, 12) }, () => int(rand, 256)),
      };
      const chunks = sizes.map((n) => plain(n, rand, level > 0 || chance(rand, 0.5)));
      const enc = new A23Encoder(keys, { compressLevel: level, _salt: Uint8Array.from({ length: 16 }, () => int(rand, 256)) });
      const frames = chunks.map((c, i) => enc.encodeChunk(c, i === chunks.length - 1));
      seeds.push({ name: `level ${level} ${name}`, file: concat(enc.getHeader(), ...frames), chunks, keys, level });
    }
  }
  return seeds;
}

let seeds: A23Seed[] = [];
let secrets: string[] = [];

/** [offset of each frame's length prefix, ..., end] in a (valid) seed record. */
function frames(s: A23Seed, f: Uint8Array): number[] {
  const out: number[] = [];
  const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
  let at = headerSize(s);
  while (at + 4 <= f.length) {
    out.push(at);
    at += 4 + v.getUint32(at);
  }
  out.push(Math.min(at, f.length));
  return out;
}

const OPERATORS: Record<string, Operator<A23Seed>> = {
  ...byteOperators<A23Seed>(),
  swapFrames: (s, f, rand) => {
    const at = frames(s, f);
    if (at.length < 3) return null;
    const i = int(rand, at.length - 2);
    if (at.length - 1 < i + 2) return null;
    const a = f.subarray(at[i]!, at[i + 1]), b = f.subarray(at[i + 1]!, at[i + 2]);
    return concat(f.subarray(0, at[i]!), b, a, f.subarray(at[i + 2]!));
  },
  duplicateFrame: (s, f, rand) => {
    const at = frames(s, f);
    if (at.length < 2) return null;
    const i = int(rand, at.length - 1);
    return splice(f, at[i]!, 0, f.slice(at[i]!, at[i + 1]));
  },
  dropFrame: (s, f, rand) => {
    const at = frames(s, f);
    if (at.length < 2) return null;
    const i = int(rand, at.length - 1);
    return splice(f, at[i]!, at[i + 1]! - at[i]!);
  },
  frameFromOther: (s, f, rand) => {
    const at = frames(s, f);
    const other = pick(rand, seeds);
    const oat = frames(other, other.file);
    if (at.length < 2 || oat.length < 2) return null;
    const i = int(rand, at.length - 1);
    const j = chance(rand, 0.5) ? Math.min(i, oat.length - 2) : int(rand, oat.length - 1); // the same position, or any
    return concat(f.subarray(0, at[i]!), other.file.subarray(oat[j]!, oat[j + 1]), f.subarray(at[i + 1]!));
  },
  headerField: (s, f, rand) => {
    const out = f.slice();
    const at = pick(rand, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, HEADER_FIXED + int(rand, rkLenOf(s))]);
    out[at] = pick(rand, [0, 1, 2, 3, 0x20, 0x80, 0xff, out[at]! ^ 1, out[at]! + 1]);
    return out;
  },
  salt: (s, f, rand) => {
    const out = f.slice();
    out[HEADER_FIXED + rkLenOf(s) + int(rand, 16)]! ^= 1 << int(rand, 8);
    return out;
  },
  lengthPrefix: (s, f, rand) => {
    const at = frames(s, f);
    if (at.length < 2) return null;
    const i = at[int(rand, at.length - 1)]!;
    const out = f.slice();
    const v = new DataView(out.buffer);
    const len = v.getUint32(i);
    v.setUint32(i, pick(rand, [0, len - 1, len + 1, 15, 16, 131072, 131073, 2 ** 32 - 1, int(rand, 2 ** 32)]) >>> 0);
    return out;
  },
  spliceOther: (_s, f, rand) => {
    const other = pick(rand, seeds).file;
    const cut = int(rand, f.length + 1);
    return concat(f.subarray(0, cut), other.subarray(int(rand, other.length + 1)));
  },
};

/**
 * Cuts the released pieces back into the seed's chunks: each piece must be
 * one chunk or a run of whole chunks (the decoder's last feed releases two).
 */
function rechunked(seed: A23Seed, o: Outcome): Outcome {
  const flat = concat(...o.released);
  if (o.complete && o.error === null) {
    // Finished: exactly the plaintext, or the judge below sees a wrong chunk list.
    const whole = concat(...seed.chunks);
    return { ...o, released: flat.length === whole.length && Buffer.compare(flat, whole) === 0 ? seed.chunks : [flat] };
  }
  const released: Uint8Array[] = [];
  let at = 0;
  for (const c of seed.chunks) {
    if (at + c.length > flat.length || (c.length === 0 && at === flat.length)) break;
    released.push(flat.subarray(at, at + c.length));
    at += c.length;
  }
  if (at !== flat.length) throw new OracleViolation(`released ${flat.length} bytes, not on a chunk boundary of the original`);
  return { ...o, released };
}

const tally = new Tally();

async function runCase(index: number): Promise<void> {
  const rand = seededRandom(`a23crypt:${index}`);
  const seed = pick(rand, seeds);
  await runFormatCase({
    group: "a23crypt", seed, operators: OPERATORS, limitMs: CASE_LIMIT_MS,
    seedGroup: seed.level > 0 ? "compressed" : "uncompressed",
    label: async (path, bytes) => judge(seed, rechunked(seed, await runPath(path, bytes, new A23Decoder(seed.keys), BOUND, rand)), secrets),
  }, index, rand, tally);
}

describe(`a23crypt mutation fuzzing (${FUZZ_FULL ? "full" : "short"} run)`, () => {
  beforeAll(async () => {
    await ready(); // zstd, for the compressed seeds
    seeds = buildSeeds();
    secrets = seeds.flatMap((s) => [s.keys.serverKey, s.keys.clientKey].map((k) => Buffer.from(k).toString("hex")));
  });

  it(`a23crypt: ${only ? `case ${only[1]}` : `${CASES} cases`}`, async () => {
    if (only) return runCase(Number(only[1]));
    for (let i = 0; i < CASES; i++) await runCase(i);
    expect(tally.cases).toBe(CASES);
    for (const label of ["plaintext", "IntegrityError", "DecryptionError"]) {
      expect(tally.byOutcome.get(label) ?? 0, `no case ended in ${label}`).toBeGreaterThan(0);
    }
  }, FUZZ_FULL ? 4 * 3600_000 : 120_000);
});

afterAll(() => {
  if (only || tally.cases === 0) return;
  console.log(`fuzz a23crypt (${FUZZ_FULL ? "full" : "short"}): ${tally.cases} cases, ${tally.decodes} decodes, slowest ${tally.maxCaseMs.toFixed(0)} ms`);
  if (FUZZ_FULL) writeSection();
});


function writeSection(): void {
  writeFileSync("bench/results/fuzz-a23crypt.md", `## fuzz: a23crypt

\`npm run fuzz\` (AGE_RT_FUZZ=full vitest run tests/fuzz; this group is tests/fuzz/a23crypt.test.ts), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Seeds: ${seeds.length} records (chunk layouts: empty, 1 byte, 16 bytes, three short chunks, five 1000-byte chunks and an
empty final one, 4096 bytes, 64 KiB + 1; uncompressed and at zstd levels 1, 3 and 19), each with its own keys, record key
and salt. Each case is one mutant decoded ${ALWAYS.length + 1} ways (${ALWAYS.join(", ")}, and one of ${ROTATING.join(", ")} in rotation).
Same oracle as the other groups: the original plaintext exactly, or a DecodeError after whole original chunks, in order;
all paths agree; bytesWanted never above ${BOUND}; sticky errors; no key in a message; each case under ${CASE_LIMIT_MS} ms.
Replay case *i* with \`AGE_RT_FUZZ_CASE=a23crypt:<i>\`.

${tally.tables("seeds")}`);
}
