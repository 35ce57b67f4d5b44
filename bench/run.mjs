// Runs the side-by-side benchmarks. Each bench/*.bench.ts imports the library
// from src/ (so internals can be measured too); esbuild bundles it with the
// WASM inlined, exactly as the published build does, and this script runs it.
// Each benchmark prints its table and writes bench/results/<name>.md; this
// script then gathers those sections into bench/RESULTS.md.
//
//   npm run bench              all benchmarks
//   npm run bench -- aead      only the ones whose name contains "aead"
import { build } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";

const filter = process.argv[2] ?? "";
// Run a second time with glibc's malloc asking for transparent huge pages
// (bench/codec.bench.ts says why; glibc ignores the tunable where unknown).
const HUGE_PAGES_TOO = new Set(["codec"]);
const names = readdirSync("bench").filter((f) => f.endsWith(".bench.ts")).map((f) => f.slice(0, -".bench.ts".length)).sort();
mkdirSync("bench/.cache", { recursive: true });
for (const name of names.filter((n) => n.includes(filter))) {
  const outfile = `bench/.cache/${name}.mjs`;
  await build({
    entryPoints: [`bench/${name}.bench.ts`], outfile, bundle: true, format: "esm", platform: "node",
    target: "node20", packages: "external", loader: { ".wasm": "binary" }, logLevel: "warning",
  });
  console.log(`\n## ${name}\n`);
  // A child process per benchmark: peak memory figures are then its own.
  execFileSync(process.execPath, ["--expose-gc", outfile], { stdio: "inherit" });
  if (HUGE_PAGES_TOO.has(name)) {
    console.log(`\n## ${name}, with huge pages\n`);
    const env = { ...process.env, GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" };
    execFileSync(process.execPath, ["--expose-gc", outfile], { stdio: "inherit", env });
  }
}

const header = `# Benchmark results

Measured on this project's machine (2 cores, Node ${process.version}) by \`npm run bench\`
(each section names its own command). Peers run in the same process, interleaved;
figures are medians of repeated runs; ratios are ours / theirs in throughput
(higher is better) unless the row says otherwise.
`;
const sections = readdirSync("bench/results").filter((f) => f.endsWith(".md")).sort()
  .map((f) => readFileSync(`bench/results/${f}`, "utf8").trim());
writeFileSync("bench/RESULTS.md", [header, ...sections].join("\n\n") + "\n");
console.log("\nwrote bench/RESULTS.md");
