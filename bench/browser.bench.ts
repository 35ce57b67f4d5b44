// The first use this project is for: a web page decrypting a large age file
// in a Web Worker. Headless Chromium (Debian's, driven by playwright-core)
// loads a blank page from a local server; a module worker
// (bench/browser-worker.js) imports the shipped bundle dist/browser/age-rt.js
// and typage (npm age-encryption, bundled here for the browser), and both
// encrypt and decrypt the same 64 MiB (X25519), interleaved, in that worker.
//
//   npm run build && npm run bench -- browser
import { existsSync, readFileSync } from "node:fs";
import { build } from "esbuild";
import { runInChromiumWorker } from "./chromium-worker.js";
import { MB, writeSection } from "./harness.js";
const SIZE = 64 * 1024 * 1024;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const BUNDLE = "dist/browser/age-rt.js";

if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);

const typage = await build({
  stdin: { contents: 'export * from "age-encryption";', resolveDir: process.cwd(), loader: "js" },
  bundle: true, format: "esm", platform: "browser", minify: true, write: false, logLevel: "warning",
});

const files: Record<string, Uint8Array | string> = {
  "/": "<!doctype html><title>age-rt browser bench</title>",
  "/age-rt.js": readFileSync(BUNDLE),
  "/typage.js": typage.outputFiles[0]!.contents,
  "/worker.js": readFileSync("bench/browser-worker.js"),
};
const result = await runInChromiumWorker<{ userAgent: string; medians: Record<string, number> }>(files, { size: SIZE, rounds: ROUNDS });

const m = result.medians;
const mbps = (ms: number) => SIZE / MB / (ms / 1000);
const row = (op: string) => {
  const o = mbps(m[`age-rt ${op}`]!);
  const t = mbps(m[`typage ${op}`]!);
  return `| ${op} | ${o.toFixed(0)} | ${t.toFixed(0)} | ${(o / t).toFixed(1)}× |`;
};
const chrome = /Chrome\/([\d.]+)/.exec(result.userAgent)?.[1] ?? result.userAgent;
const md = `## Browser: encrypt and decrypt 64 MiB in a Web Worker (Chromium)

\`npm run build && npm run bench -- browser\` — headless Chromium ${chrome} (Debian), one module
Worker importing the shipped \`${BUNDLE}\` and typage (\`age-encryption\`, bundled by esbuild for the
browser); the same 64 MiB, X25519, ${ROUNDS} interleaved rounds after a warm-up, each run after a full garbage
collection, medians. Ours decrypts
into one contiguous array, as typage's \`decrypt()\` returns.

| operation | age-rt MB/s | typage MB/s | age-rt / typage |
|---|---:|---:|---:|
${row("encrypt")}
${row("decrypt")}
`;
console.log(md);
writeSection("browser", md);
