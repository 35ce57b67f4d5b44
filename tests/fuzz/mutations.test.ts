// Mutation fuzzing of whole files (issue 5): valid age v1 and age-rt files
// (tests/helpers/fuzz.ts) are mutated in every region — bit flips, byte
// insertions and deletions, truncations, chunk swaps, duplicated and dropped
// chunks, length-prefix rewrites, header line edits, armor edits — and each
// mutant goes through the push decoders (byte-exact), blobs of random sizes,
// and in rotation decodeBytes, the callable and async iterators and
// decryptStream. The oracle (tests/helpers/fuzz-oracle.ts): the original
// plaintext exactly, or a DecodeError subclass after releasing only a prefix
// of the original chunks; every path of a case agrees; each case ends within
// CASE_LIMIT_MS.
//
//   npm test                 a short run (seconds), part of the unit tests
// A fourth group mutates files to a post-quantum hybrid recipient (their
// 1.5 kB mlkem768x25519 stanzas included).
//
//   npm run fuzz             AGE_RT_FUZZ=full: ≥ 100 000 cases per format (25 000 armored, 25 000 post-quantum),
//                            figures written to bench/results/fuzz.md
//   AGE_RT_FUZZ_CASE=age-rt:1234 npx vitest run tests/fuzz   replays one case
import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  ALWAYS, OracleViolation, ROTATING, Tally, decoderKind, decoderOptions, describeError, judge, makeDecoder, pushPath, runPath, wantedBound,
  type PathName,
} from "../helpers/fuzz-oracle.js";
import {
  FUZZ_FULL, FUZZ_PASSPHRASE, buildCorpus, chance, mutateArmored, mutateBinary, pickSeed, type Format, type Seed,
} from "../helpers/fuzz.js";
import { seededRandom } from "../helpers/random.js";
import { loadVectors } from "../helpers/cctv.js";
import { AgeAutoDecoder, ArmorError } from "../../src/index.js";
import { cliFuzz, cliReady, type CliTally } from "../helpers/fuzz-cli.js";

type Group = Format | "armored" | "pq";
const CASES: Record<Group, number> = FUZZ_FULL
  ? { age: 100_000, "age-rt": 100_000, armored: 25_000, pq: 25_000 }
  : { age: 1200, "age-rt": 1500, armored: 300, pq: 200 };
const CLI_CASES = FUZZ_FULL ? 600 : 16;
/** A case (all its paths) must end within this, even on a loaded machine; the slowest is reported. */
const CASE_LIMIT_MS = 5000;

const only = process.env.AGE_RT_FUZZ_CASE?.match(/^(age|age-rt|armored|pq):(\d+)$/);
/** AGE_RT_FUZZ_GROUPS=pq (comma-separated) runs only those groups; a full run then writes bench/results/fuzz-<groups>.md. */
const GROUPS = process.env.AGE_RT_FUZZ_GROUPS?.split(",") ?? null;
const corpus = buildCorpus();
const SECRETS = [
  FUZZ_PASSPHRASE, corpus.identity, corpus.identity.toLowerCase(), corpus.identity.slice(16, 40),
  corpus.pqIdentity, corpus.pqIdentity.toLowerCase(), corpus.pqIdentity.slice(19, 43),
];
const tallies = new Map<Group, Tally>();
let cliTally: CliTally | null = null;

/** Armor is decoded one character per feed on the push path: armored cases use the seeds below 20 KB. */
const small = (seeds: readonly Seed[]) => seeds.filter((s) => s.file.length < 20_000);

async function runCase(group: Group, index: number, tally: Tally): Promise<void> {
  const rand = seededRandom(`${group}:${index}`);
  const armored = group === "armored";
  const format: Format = armored || group === "pq" ? (chance(rand, 0.5) ? "age" : "age-rt") : group;
  const seeds = group === "pq" ? corpus.pqSeeds[format] : armored ? small(corpus.seeds[format]) : corpus.seeds[format];
  const seed = pickSeed(rand, seeds);
  const mutant = armored ? mutateArmored(seed, seeds, rand) : mutateBinary(seed, seeds, rand);
  const opts = decoderOptions(seed, corpus.spareIdentity, rand);
  const kind = decoderKind(armored, rand);
  const paths: PathName[] = [...ALWAYS, ROTATING[index % ROTATING.length]!];
  const labels = new Map<PathName, string>();
  const t0 = performance.now();
  for (const path of paths) {
    const where = () =>
      `case ${group}:${index} (replay: AGE_RT_FUZZ_CASE=${group}:${index}), seed ${seed.name}, ops [${mutant.ops.join(", ")}], ` +
      `${kind} decoder, path ${path}, ${mutant.bytes.length} bytes`;
    try {
      const outcome = await runPath(path, mutant.bytes, makeDecoder(seed, kind, opts), wantedBound(opts), rand);
      labels.set(path, judge(seed, outcome, SECRETS));
    } catch (e) {
      if (e instanceof OracleViolation) throw new Error(`${where()}: ${e.message}`);
      throw new Error(`${where()}: the test harness threw ${describeError(e)}`, { cause: e });
    }
    tally.add(tally.byPath, path);
  }
  const ms = performance.now() - t0;
  // Every path saw the same file with the same decoder: the same outcome (the push path may stop early instead of throwing truncation).
  const iterLabels = new Set([...labels].filter(([p]) => p !== "push").map(([, l]) => l));
  const push = labels.get("push")!;
  const agree = iterLabels.size === 1 && (push === "unfinished" ? !iterLabels.has("plaintext") : iterLabels.has(push));
  if (!agree && armored && armorOrderOnly(labels)) {
    // Allowed: a blob path judges all the text it is given before releasing
    // any, so an armor error late in a blob preempts an earlier error of the
    // file inside, which the per-character push path meets first. (Within
    // one armor line the push path waits for the line: CCTV armor_headers.)
    // Both are DecodeErrors; nothing unauthenticated is released either way.
    tally.add(tally.byOutcome, "(armor error order differs by path)");
  } else if (!agree) {
    throw new Error(`case ${group}:${index}, seed ${seed.name}, ops [${mutant.ops.join(", ")}], ${kind}: paths disagree: ${JSON.stringify(Object.fromEntries(labels))}`);
  }
  if (ms > CASE_LIMIT_MS) throw new Error(`case ${group}:${index} (ops [${mutant.ops.join(", ")}]) took ${ms.toFixed(0)} ms, over ${CASE_LIMIT_MS} ms`);
  tally.cases++;
  tally.decodes += paths.length;
  tally.totalMs += ms;
  tally.maxCaseMs = Math.max(tally.maxCaseMs, ms);
  for (const op of mutant.ops) tally.add(tally.byOperator, op);
  tally.add(tally.byOutcome, labels.get(ROTATING[index % ROTATING.length]!)!);
  tally.add(tally.bySeed, seed.name);
}

/** The paths disagree only in that some report an ArmorError where the others report another DecodeError. */
function armorOrderOnly(labels: Map<PathName, string>): boolean {
  const set = new Set([...labels.values()].filter((l) => l !== "unfinished"));
  return set.has("ArmorError") && !set.has("plaintext") && set.size === 2;
}

describe(`mutation fuzzing (${FUZZ_FULL ? "full" : "short"} run)`, () => {
  for (const group of ["age-rt", "age", "armored", "pq"] as const) {
    it.skipIf((only && only[1] !== group) || (GROUPS !== null && !GROUPS.includes(group)))(`${group}: ${only ? `case ${only[2]}` : `${CASES[group]} cases`}`, async () => {
      const tally = new Tally();
      tallies.set(group, tally);
      if (only) return runCase(group, Number(only[2]), tally);
      for (let i = 0; i < CASES[group]; i++) await runCase(group, i, tally);
      expect(tally.cases).toBe(CASES[group]);
      // The mutants reach every outcome, not only header failures.
      for (const label of ["plaintext", "HeaderParseError", "HeaderMacError", "ChunkAuthenticationError", "StreamTruncatedError"]) {
        expect(tally.byOutcome.get(label) ?? 0, `${group}: no case ended in ${label}`).toBeGreaterThan(0);
      }
      if (group === "armored") expect(tally.byOutcome.get("ArmorError") ?? 0).toBeGreaterThan(0);
      if (group === "pq") expect(tally.byOutcome.get("NoIdentityMatchError") ?? 0, "pq: no case reached the KEM's rejection").toBeGreaterThan(0);
    }, FUZZ_FULL ? 4 * 3600_000 : 120_000);
  }

  // Armor releases quartets before their line is judged whole; an error the
  // inner decoder finds in them waits for the line, so a bad line is an ArmorError.
  it("CCTV armor_headers through the per-character push API is an ArmorError", () => {
    const v = loadVectors().find((x) => x.name === "armor_headers")!;
    const o = pushPath(v.body, new AgeAutoDecoder({ identities: [corpus.spareIdentity] }), 1 << 20);
    expect(o.error).toBeInstanceOf(ArmorError);
  });

  it.skipIf(!cliReady() || only || GROUPS !== null)(`the CLI (node dist/cli/age-rt.js -d): ${CLI_CASES} mutants from a pipe`, async () => {
    cliTally = await cliFuzz(corpus, CLI_CASES, SECRETS);
    expect(cliTally.cases).toBe(CLI_CASES);
  }, FUZZ_FULL ? 3600_000 : 120_000);
});

afterAll(() => {
  if (only || tallies.size === 0) return;
  const summary = [...tallies].map(([g, t]) => `${g}: ${t.cases} cases, ${t.decodes} decodes, slowest ${t.maxCaseMs.toFixed(0)} ms`);
  if (cliTally) summary.push(`cli: ${cliTally.cases} cases`);
  console.log(`fuzz (${FUZZ_FULL ? "full" : "short"}): ${summary.join("; ")}`);
  if (FUZZ_FULL) writeSection();
});

const fmt = (n: number) => n.toLocaleString("en-US");

function table(title: string, maps: [Group, Map<string, number>][]): string {
  const keys = [...new Set(maps.flatMap(([, m]) => [...m.keys()]))].sort();
  const rows = keys.map((k) => `| ${k} | ${maps.map(([, m]) => fmt(m.get(k) ?? 0)).join(" | ")} |`);
  return [`| ${title} | ${maps.map(([g]) => g).join(" | ")} |`, `|---|${maps.map(() => "---:").join("|")}|`, ...rows].join("\n");
}

function writeSection(): void {
  const groups = [...tallies];
  const totals = groups.map(([g, t]) =>
    `| ${g} | ${fmt(t.cases)} | ${fmt(t.decodes)} | ${(t.totalMs / 1000).toFixed(0)} | ${(t.totalMs / t.cases).toFixed(2)} | ${t.maxCaseMs.toFixed(0)} |`);
  const cli = cliTally
    ? `The CLI (\`node dist/cli/age-rt.js -d\`, the mutant on stdin): ${fmt(cliTally.cases)} cases — ` +
      Object.entries(cliTally.outcomes).map(([k, v]) => `${k}: ${fmt(v)}`).join(", ") +
      `; every failure was one \`age-rt: error:\` line on stderr, stdout a prefix of the plaintext.`
    : "The CLI was not fuzzed in this run: `dist/cli/age-rt.js` was not a built CLI (see tests/helpers/fuzz-cli.ts).";
  const name = GROUPS === null ? "fuzz" : `fuzz-${GROUPS.join("-")}`;
  writeFileSync(`bench/results/${name}.md`, `## ${name}

\`${GROUPS === null ? "npm run fuzz" : `AGE_RT_FUZZ_GROUPS=${GROUPS.join(",")} npm run fuzz`}\` (AGE_RT_FUZZ=full vitest run tests/fuzz), Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Seeded: case *i* of a group is replayed with \`AGE_RT_FUZZ_CASE=<group>:<i>\`.
Each case is one mutant of a valid file decoded ${ALWAYS.length + 1} ways (${ALWAYS.join(", ")}, and one of ${ROTATING.join(", ")} in rotation),
all with the same decoder kind (the format's own or AgeAutoDecoder) and options.
Oracle: the original plaintext exactly, or a DecodeError subclass after a prefix of the original chunks; all paths agree;
no secret in any message; bytesWanted never above the largest allowed frame; sticky errors; each case under ${CASE_LIMIT_MS} ms.

| group | cases | decodes | time (s) | ms / case | slowest case (ms) |
|---|---:|---:|---:|---:|---:|
${totals.join("\n")}

Outcomes (by case; all paths of a case agree):

${table("outcome", groups.map(([g, t]) => [g, t.byOutcome]))}

"(armor error order differs by path)": an armored case whose paths all failed, the per-character push path with
the error of the file inside and the blob paths with ArmorError (a blob path judges all its text before releasing
any); nothing unauthenticated was released either way.

Operators applied (a case applies one to three):

${table("operator", groups.map(([g, t]) => [g, t.byOperator]))}

Seeds:

${table("seed", groups.map(([g, t]) => [g, t.bySeed]))}

${cli}
`);
}
