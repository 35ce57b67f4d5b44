// The worker pool in a browser (issue 14): headless Chromium (Debian's,
// driven by playwright-core) loads a blank page; a module worker
// (bench/browser-pool-worker.js) imports the shipped dist/browser/age-rt.js
// and runs encryptStream/decryptStream over the same 64 MiB (X25519, 1 MiB
// pieces) with a pool of 2 Web Workers and on its own thread, interleaved.
//
//   npm run build && npm run bench -- browser-pool
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { chromium } from "playwright-core";
import { MB, machineLine, writeSection } from "./harness.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--js-flags=--expose-gc"];
const SIZE = 64 * 1024 * 1024;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const BUNDLE = "dist/browser/age-rt.js";

if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install -y chromium)`);
if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);

const files: Record<string, Uint8Array | string> = {
  "/": "<!doctype html><title>age-rt pool bench</title>",
  "/age-rt.js": readFileSync(BUNDLE),
  "/age-rt-pool.js": readFileSync("dist/browser/age-rt-pool.js"),
  "/worker.js": readFileSync("bench/browser-pool-worker.js"),
};
const server = createServer((req, res) => {
  const body = files[new URL(req.url ?? "/", "http://localhost").pathname];
  if (body === undefined) return void res.writeHead(404).end();
  res.writeHead(200, { "content-type": req.url === "/" ? "text/html" : "text/javascript" }).end(body);
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const { port } = server.address() as { port: number };

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
let result: { userAgent: string; cores: number; medians: Record<string, number> };
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  const reply = await page.evaluate(
    ({ size, rounds }) =>
      new Promise<{ ok: boolean; result?: unknown; error?: string }>((resolve) => {
        const w = new Worker("/worker.js", { type: "module" });
        w.onmessage = (e) => resolve(e.data);
        w.onerror = (e) => resolve({ ok: false, error: e.message });
        w.postMessage({ size, rounds });
      }),
    { size: SIZE, rounds: ROUNDS },
  );
  if (!reply.ok) throw new Error(`browser worker: ${reply.error}`);
  result = reply.result as typeof result;
} finally {
  await browser.close();
  server.close();
}

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
