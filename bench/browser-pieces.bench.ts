// Small pieces in the browser: bench/pieces.bench.ts's streaming cases in a
// Web Worker of headless Chromium (bench/browser-pieces-worker.js), with the
// shipped bundle. Node's WHATWG streams are written in JavaScript; Chromium's
// are Blink's, so the floors (what the pieces cost before any work) differ,
// and this is where decryptStream/encryptStream mostly run.
//
//   npm run build && npm run bench -- browser-pieces
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { runInChromiumWorker } from "./chromium-worker.js";
import { writeSection } from "./harness.js";

const SIZE = 32 * 2 ** 20;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const PIECES = [1024, 4096, 16384, 65536];
const BUNDLE = "dist/browser/age-rt.js";
if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);

const loadBefore = loadavg()[0]!;
const files = { "/": "<!doctype html><title>age-rt pieces bench</title>", "/age-rt.js": readFileSync(BUNDLE), "/worker.js": readFileSync("bench/browser-pieces-worker.js") };
const r = await runInChromiumWorker<{ userAgent: string; apis: string[]; medians: Record<string, number> }>(files, { size: SIZE, rounds: ROUNDS, pieces: PIECES });

const mibps = (name: string) => SIZE / 2 ** 20 / (r.medians[name]! / 1000);
const rows = r.apis.map((api) => {
  const base = mibps(`${api} 65536`);
  return `| ${api} | ${PIECES.map((p) => `${mibps(`${api} ${p}`).toFixed(0)} (${(mibps(`${api} ${p}`) / base).toFixed(2)}×)`).join(" | ")} |`;
});
const chrome = /Chrome\/([\d.]+)/.exec(r.userAgent)?.[1] ?? r.userAgent;
const avx512 = /\bavx512f\b/.test(readFileSync("/proc/cpuinfo", "utf8")) ? "present" : "absent";
const md = `## Small pieces in Chromium: 32 MiB (X25519, age v1) fed in 1–64 KiB pieces

\`npm run build && npm run bench -- browser-pieces\` — headless Chromium ${chrome} (Debian), one module Worker
importing the shipped \`${BUNDLE}\`; ${cpus().length} cores (${cpus()[0]?.model ?? "?"}, avx512f ${avx512}), 1-minute load
average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}. Medians of ${ROUNDS} interleaved rounds after a warm-up, each case after a
full garbage collection; MiB/s, and in parentheses the ratio to the same API fed 64 KiB pieces. The rows
are those of the Node section (Small pieces): \`echo\`, \`pipeTo alone\` and \`read() alone\` are what the pieces
cost the browser's own streams before any work.

| API | 1 KiB | 4 KiB | 16 KiB | 64 KiB |
|---|---:|---:|---:|---:|
${rows.join("\n")}
`;
console.log(md);
writeSection("browser-pieces", md);
