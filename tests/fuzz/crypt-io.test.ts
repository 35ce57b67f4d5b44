// Mutation fuzzing of crypt-io streams (issue 16): valid streams of every
// algorithm and both versions (CRYPT-IO.md), sizes around chunk boundaries,
// are mutated — bit flips, byte insertions and deletions, truncations,
// appended bytes, chunk swaps, duplicated and dropped chunks, header field
// edits (version, algorithm, chunk size, reserved bytes, v1 prefix, v2 salt),
// splices from another stream — and decoded on the push path, from blobs of
// random sizes, and in rotation by decodeBytes, the callable and async
// iterators and decryptStream. Same oracle as the age groups
// (tests/helpers/fuzz-oracle.ts): the original plaintext exactly, or a
// DecodeError after releasing only a prefix of the original chunks; every
// path agrees; bytesWanted never above the largest frame; sticky errors.
//
//   npm test            a short run
//   npm run fuzz        AGE_RT_FUZZ=full: 100 000 cases, written to bench/results/fuzz-crypt-io.md
//   AGE_RT_FUZZ_CASE=crypt-io:1234 npx vitest run tests/fuzz/crypt-io.test.ts   replays one case
import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { CryptIoDecoder, CryptIoEncoder, type CryptIoAlgorithm } from "../../src/crypt-io/index.js";
import { iterEncodeChunks } from "../../src/index.js";
import { ALWAYS, ROTATING, Tally, judge, runFormatCase, runPath, type Operator } from "../helpers/fuzz-oracle.js";
import { FUZZ_FULL, byteOperators, chance, concat, int, pick, splice, type Rand } from "../helpers/fuzz.js";
import { seededRandom } from "../helpers/random.js";

const CASES = FUZZ_FULL ? 100_000 : 1500;
const CASE_LIMIT_MS = 5000;
const only = process.env.AGE_RT_FUZZ_CASE?.match(/^crypt-io:(\d+)$/);

interface CioSeed {
  name: string;
  file: Uint8Array;
  chunks: Uint8Array[];
  key: Uint8Array;
  version: 1 | 2;
  log2: number;
}

/** The seed streams: every algorithm and version, sizes 0, 1, chunk - 1, chunk, chunk + 1 and 3.5 chunks. */
function buildSeeds(): CioSeed[] {
  const rand = seededRandom("crypt-io-seeds");
  const seeds: CioSeed[] = [];
  const algs: CryptIoAlgorithm[] = ["chacha20-poly1305", "aes-256-gcm", "xchacha20-poly1305"];
  for (const algorithm of algs) {
    for (const version of [1, 2] as const) {
      if (version === 1 && algorithm === "xchacha20-poly1305") continue;
      for (const log2 of [10, 12]) {
        const size = 2 ** log2;
        for (const n of log2 === 10 ? [0, 1, size - 1, size, size + 1, 3.5 * size] : [2.5 * size]) {
          // A key per seed: a splice that yields another seed's valid stream must not decode under this seed's key.
          const key = Uint8Array.from({ length: 32 }, () => int(rand, 256));
          const plain = Uint8Array.from({ length: n }, () => int(rand, 256));
          const fixed = Uint8Array.from({ length: version === 1 ? 7 : 32 }, () => int(rand, 256));
          const enc = CryptIoEncoder.create(key, { algorithm, version, chunkSizeLog2: log2, _fixedRandom: fixed });
          const file = concat(...iterEncodeChunks([plain], enc));
          const chunks: Uint8Array[] = [];
          for (let i = 0; i + size <= n; i += size) chunks.push(plain.subarray(i, i + size));
          chunks.push(plain.subarray(Math.floor(n / size) * size)); // the final chunk, empty after an exact multiple
          seeds.push({ name: `${algorithm} v${version} 2^${log2} ${n}`, file, chunks, key, version, log2 });
        }
      }
    }
  }
  return seeds;
}

const seeds = buildSeeds();
const SECRETS = seeds.map((s) => Buffer.from(s.key).toString("hex"));

const OPERATORS: Record<string, Operator<CioSeed>> = {
  ...byteOperators<CioSeed>(),
  swapChunks: (s, f, rand) => {
    const [start, frame, n] = layout(s, f);
    if (n < 2) return null;
    const i = int(rand, n - 1);
    const a = f.subarray(start + i * frame, start + (i + 1) * frame), b = f.subarray(start + (i + 1) * frame, start + (i + 2) * frame);
    return concat(f.subarray(0, start + i * frame), b, a, f.subarray(start + i * frame + a.length + b.length));
  },
  duplicateChunk: (s, f, rand) => {
    const [start, frame, n] = layout(s, f);
    if (n < 1) return null;
    const i = int(rand, n);
    return splice(f, start + i * frame, 0, f.slice(start + i * frame, start + (i + 1) * frame));
  },
  dropChunk: (s, f, rand) => {
    const [start, frame, n] = layout(s, f);
    if (n < 1) return null;
    return splice(f, start + int(rand, n) * frame, frame);
  },
  headerField: (_s, f, rand) => {
    const out = f.slice();
    const at = pick(rand, [8, 9, 10, 11, 15, 16, 20, 22, 23]);
    out[at] = pick(rand, [0, 1, 2, 3, 9, 10, 11, 24, 25, 255, out[at]! ^ 1]);
    return out;
  },
  salt: (s, f, rand) => {
    if (s.version !== 2 || f.length < 56) return null;
    const out = f.slice();
    out[24 + int(rand, 32)]! ^= 1 << int(rand, 8);
    return out;
  },
  spliceOther: (_s, f, rand) => {
    const other = pick(rand, seeds).file;
    const cut = int(rand, f.length + 1);
    return concat(f.subarray(0, cut), other.subarray(int(rand, other.length + 1)));
  },
};

/** [start of the first chunk, frame size, whole frames before the final chunk] for the seed's layout. */
function layout(s: CioSeed, f: Uint8Array): [number, number, number] {
  const start = s.version === 2 ? 56 : 24;
  const frame = 2 ** s.log2 + 16;
  return [start, frame, Math.max(0, Math.floor((f.length - start - 1) / frame))];
}

const tally = new Tally();

async function runCase(index: number): Promise<void> {
  const rand = seededRandom(`crypt-io:${index}`);
  const seed = pick(rand, seeds);
  let cap: number | undefined; // drawn once the mutations are: a decoder capped below the seed's chunk size refuses the header
  await runFormatCase({
    group: "crypt-io", seed, operators: OPERATORS, limitMs: CASE_LIMIT_MS,
    seedGroup: seed.name.split(" ").slice(0, 2).join(" "),
    label: async (path, bytes) => {
      cap ??= chance(rand, 0.1) ? 10 : 24;
      return judge(seed, await runPath(path, bytes, new CryptIoDecoder(seed.key, { maxChunkSizeLog2: cap }), 2 ** cap + 16, rand), SECRETS);
    },
  }, index, rand, tally);
}

describe(`crypt-io mutation fuzzing (${FUZZ_FULL ? "full" : "short"} run)`, () => {
  it(`crypt-io: ${only ? `case ${only[1]}` : `${CASES} cases`}`, async () => {
    if (only) return runCase(Number(only[1]));
    for (let i = 0; i < CASES; i++) await runCase(i);
    expect(tally.cases).toBe(CASES);
    for (const label of ["plaintext", "HeaderParseError", "ChunkAuthenticationError", "StreamTruncatedError"]) {
      expect(tally.byOutcome.get(label) ?? 0, `no case ended in ${label}`).toBeGreaterThan(0);
    }
  }, FUZZ_FULL ? 4 * 3600_000 : 120_000);
});

afterAll(() => {
  if (only || tally.cases === 0) return;
  console.log(`fuzz crypt-io (${FUZZ_FULL ? "full" : "short"}): ${tally.cases} cases, ${tally.decodes} decodes, slowest ${tally.maxCaseMs.toFixed(0)} ms`);
  if (FUZZ_FULL) writeSection();
});


function writeSection(): void {
  writeFileSync("bench/results/fuzz-crypt-io.md", `## fuzz: crypt-io

\`npm run fuzz\` (AGE_RT_FUZZ=full vitest run tests/fuzz; this group is tests/fuzz/crypt-io.test.ts), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Seeds: ${seeds.length} streams (ChaCha20-Poly1305 and AES-256-GCM in v1 and v2, XChaCha20-Poly1305 in v2; chunk_size_log2 10 with
0, 1, chunk − 1, chunk, chunk + 1 and 3.5 chunks of plaintext, and 12 with 2.5 chunks). Each case is one mutant decoded
${ALWAYS.length + 1} ways (${ALWAYS.join(", ")}, and one of ${ROTATING.join(", ")} in rotation); one case in ten uses a decoder
capped at chunk_size_log2 10. Same oracle as the age groups: the original plaintext exactly, or a DecodeError after a
prefix of the original chunks; all paths agree; bytesWanted never above the cap's frame; sticky errors; each case under ${CASE_LIMIT_MS} ms.
Replay case *i* with \`AGE_RT_FUZZ_CASE=crypt-io:<i>\`.

${tally.tables("seed group")}`);
}
