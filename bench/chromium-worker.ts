// What the browser benches share: a local server for a few files, headless
// Chromium (Debian's, driven by playwright-core) on a blank page, and one
// module Worker (/worker.js) that gets `message` and answers once with
// { ok, result } or { ok: false, error }. Every worker may import
// /common.js (bench/browser-common.js: test data and the timing loop).
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
// --expose-gc lets the worker collect garbage before each timed run (see bench/harness.ts, interleaved).
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--js-flags=--expose-gc"];

/** Serves `files` (path → body; "/" is the page), runs /worker.js with `message`, returns its result. */
export async function runInChromiumWorker<T>(bench: Record<string, Uint8Array | string>, message: unknown): Promise<T> {
  const files: Record<string, Uint8Array | string> = { "/common.js": readFileSync("bench/browser-common.js"), ...bench };
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install -y chromium)`);
  const server = createServer((req, res) => {
    const body = files[new URL(req.url ?? "/", "http://localhost").pathname];
    if (body === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": req.url === "/" ? "text/html" : "text/javascript" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const reply = await page.evaluate(
      (msg) =>
        new Promise<{ ok: boolean; result?: unknown; error?: string }>((resolve) => {
          const w = new Worker("/worker.js", { type: "module" });
          w.onmessage = (e) => resolve(e.data);
          w.onerror = (e) => resolve({ ok: false, error: e.message });
          w.postMessage(msg);
        }),
      message,
    );
    if (!reply.ok) throw new Error(`browser worker: ${reply.error}`);
    return reply.result as T;
  } finally {
    await browser.close();
    server.close();
  }
}
