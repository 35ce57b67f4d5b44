// The worker pool in a browser (issue 14): headless Chromium (Debian's,
// driven by playwright-core) loads a blank page; a module worker
// (bench/browser-pool-worker.js) imports the shipped dist/browser/age-rt.js
// and runs encryptStream/decryptStream over the same 64 MiB (X25519, 1 MiB
// pieces) with a pool of 2 Web Workers and on its own thread, interleaved.
//
//   npm run build && npm run bench -- browser-pool
import { existsSync, readFileSync } from "node:fs";
import { runInChromiumWorker } from "./chromium-worker.js";
import { MB, machineLine, writeSection } from "./harness.js";
const SIZE = 64 * 1024 * 1024;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const BUNDLE = "dist/browser/age-rt.js";

if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);

const files: Record<string, Uint8Array | string> = {
  "/": "<!doctype html><title>age-rt pool bench</title>",
  "/age-rt.js": readFileSync(BUNDLE),
  "/age-rt-pool.js": readFileSync("dist/browser/age-rt-pool.js"),
  "/worker.js": readFileSync("bench/browser-pool-worker.js"),
};
const result = await runInChromiumWorker<{ userAgent: string; cores: number; medians: Record<string, number> }>(files, { size: SIZE, rounds: ROUNDS });

const m = result.medians;
const mbps = (ms: number) => SIZE / MB / (ms / 1000);
const row = (op: string) => {
  const one = m[`${op}, one worker`]!;
  const two = m[`${op}, pool of 2`]!;
  return `| ${op}Stream | ${mbps(one).toFixed(0)} | ${mbps(two).toFixed(0)} | **${(one / two).toFixed(2)}×** |`;
};
const chrome = /Chrome\/([\d.]+)/.exec(result.userAgent)?.[1] ?? result.userAgent;
const md = `## Browser: a pool of 2 Web Workers against one, 64 MiB each way (Chromium)

\`npm run build && npm run bench -- browser-pool\` — headless Chromium ${chrome} (Debian, navigator.hardwareConcurrency ${result.cores}),
one module Worker importing the shipped \`${BUNDLE}\` (which fetches \`age-rt-pool.js\` when the pool is first used);
the same 64 MiB, X25519, fed 1 MiB pieces through encryptStream/decryptStream, with \`{ pool }\` (2 workers) and without,
${ROUNDS} interleaved rounds after a warm-up, each after a full garbage collection, medians.
${await machineLine()}.

| API | one worker MB/s | pool of 2 MB/s | speed-up |
|---|---:|---:|---:|
${row("decrypt")}
${row("encrypt")}
`;
console.log(md);
writeSection("browser-pool", md);
