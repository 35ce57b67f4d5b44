// The first use this project is for: a web page decrypting a large age file
// in a Web Worker. Headless Chromium (Debian's, driven by playwright-core)
// loads a blank page from a local server; a module worker
// (bench/browser-worker.js) imports the shipped bundle dist/browser/age-rt.js
// and typage (npm age-encryption, bundled here for the browser), and both
// encrypt and decrypt the same 64 MiB (X25519), interleaved, in that worker.
//
//   npm run build && npm run bench -- browser
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { MB, writeSection } from "./harness.js";

const CHROMIUM = "/usr/bin/chromium";
// --expose-gc lets the worker collect garbage before each timed run (see bench/harness.ts, interleaved).
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--js-flags=--expose-gc"];
const SIZE = 64 * 1024 * 1024;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const BUNDLE = "dist/browser/age-rt.js";

if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install -y chromium)`);
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
const server = createServer((req, res) => {
  const body = files[new URL(req.url ?? "/", "http://localhost").pathname];
  if (body === undefined) return void res.writeHead(404).end();
  res.writeHead(200, { "content-type": req.url === "/" ? "text/html" : "text/javascript" }).end(body);
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const { port } = server.address() as { port: number };

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
let result: { userAgent: string; medians: Record<string, number> };
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
