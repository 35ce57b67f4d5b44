// Mutation fuzzing (issue 5), part 3: a sample of mutants through the command
// line, `node dist/cli/age-rt.js -d`, the mutant on stdin (a pipe). Oracle
// (API.md "Command line"): exit 0 and exactly the plaintext on stdout, or a
// non-zero exit, one line on stderr starting "age-rt: error:" with no secret
// in it, and on stdout a prefix of the plaintext that ends on a chunk
// boundary (nothing unauthenticated is ever written); no hang (20 s bound).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  FUZZ_MAX_WORK_FACTOR, FUZZ_PASSPHRASE, chance, mutateArmored, mutateBinary, pickSeed, type Corpus, type Format,
} from "./fuzz.js";
import { seededRandom } from "./random.js";

export const CLI = "dist/cli/age-rt.js";
const CLI_TIMEOUT_MS = 20_000;

/**
 * Whether dist/cli/age-rt.js is a built CLI. Until issue 4 lands it is the
 * skeleton's three-line stub (`export {}`), which would exit 0 and print
 * nothing for every input.
 */
export function cliReady(): boolean {
  if (!existsSync(CLI) || statSync(CLI).size < 100) return false;
  return !/^\s*export \{\};?\s*$/m.test(readFileSync("src/cli/age-rt.ts", "utf8"));
}

export interface CliTally {
  cases: number;
  outcomes: Record<string, number>;
}

export async function cliFuzz(corpus: Corpus, cases: number, secrets: readonly string[]): Promise<CliTally> {
  const dir = mkdtempSync(join(tmpdir(), "age-rt-fuzz-cli-"));
  const keyFile = join(dir, "key.txt");
  writeFileSync(keyFile, `# fuzz identity\n${corpus.identity}\n`);
  const tally: CliTally = { cases: 0, outcomes: {} };
  try {
    for (let i = 0; i < cases; i++) {
      const rand = seededRandom(`cli:${i}`);
      const format: Format = i % 2 === 0 ? "age-rt" : "age";
      const seeds = corpus.seeds[format];
      const seed = pickSeed(rand, seeds);
      const armored = chance(rand, 0.2) && seed.file.length < 20_000;
      const mutant = armored ? mutateArmored(seed, seeds, rand) : mutateBinary(seed, seeds, rand);
      const args = [CLI, "-d", ...(seed.keys.identities ? ["-i", keyFile] : [])];
      const r = spawnSync(process.execPath, args, {
        input: mutant.bytes,
        timeout: CLI_TIMEOUT_MS,
        maxBuffer: 64 << 20,
        env: {
          ...process.env,
          AGE_PASSPHRASE: FUZZ_PASSPHRASE,
          AGE_PASSPHRASE_MAX_WORK_FACTOR: String(FUZZ_MAX_WORK_FACTOR),
        },
      });
      const where = `cli case ${i} (seed ${seed.name}, ops [${mutant.ops.join(", ")}])`;
      if (r.error || r.signal) throw new Error(`${where}: did not exit normally: ${r.error?.message ?? r.signal}`);
      const out = new Uint8Array(r.stdout);
      const err = r.stderr.toString("utf8");
      if (r.status === 0) {
        if (Buffer.compare(out, seed.plaintext) !== 0) throw new Error(`${where}: exit 0 but stdout is not the plaintext (${out.length} bytes)`);
        if (err.includes("age-rt: error")) throw new Error(`${where}: exit 0 with an error on stderr: ${err}`);
        tally.outcomes.plaintext = (tally.outcomes.plaintext ?? 0) + 1;
      } else {
        const lines = err.trimEnd().split("\n");
        if (lines.length !== 1 || !lines[0]!.startsWith("age-rt: error:")) throw new Error(`${where}: exit ${r.status}, stderr is not one "age-rt: error:" line:\n${err}`);
        for (const s of secrets) if (err.includes(s)) throw new Error(`${where}: stderr contains a secret: ${err}`);
        let prefix = 0;
        let ok = out.length === 0;
        for (const c of seed.chunks) {
          prefix += c.length;
          if (prefix === out.length) ok = true;
        }
        if (!ok || Buffer.compare(out, seed.plaintext.subarray(0, out.length)) !== 0) {
          throw new Error(`${where}: exit ${r.status} but stdout (${out.length} bytes) is not a chunk-boundary prefix of the plaintext`);
        }
        const kind = lines[0]!.slice("age-rt: error:".length).trim().split(/[:(]/)[0]!.slice(0, 40);
        tally.outcomes[`error: ${kind}`] = (tally.outcomes[`error: ${kind}`] ?? 0) + 1;
      }
      tally.cases++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tally;
}
