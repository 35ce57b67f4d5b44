// The demo page (web/) in headless Chromium: it decrypts a file made by the Go
// age CLI (X25519) and one made by our AgeEncoder (passphrase), encrypts to a
// recipient for Go age to decrypt, shows progress, and runs the live age-rt
// panel. The page runs a fresh browser bundle of the current source
// (scripts/bundle-browser.mjs --outdir), served by web/serve.mjs in-process.
//
// Needs /usr/bin/chromium and the age CLIs: required under CI=true (.ci/run
// installs them), skipped with a message otherwise.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { serve } from "../web/serve.mjs";
import { AgeAutoDecoder, AgeEncoder, decodeBytes, encodeBytes, generateHybridIdentity, identityToRecipient } from "../src/index.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync"];
const SCREENSHOT = "bench/.cache/browser-demo.png";

const missing = [CHROMIUM, "/usr/bin/age", "/usr/bin/age-keygen"].filter((p) => !existsSync(p));
if (missing.length > 0 && process.env.CI === "true") {
  throw new Error(`browser test: ${missing.join(", ")} missing under CI (.ci/run installs chromium and age)`);
}
if (missing.length > 0) console.warn(`browser test skipped: ${missing.join(", ")} not installed`);

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe.skipIf(missing.length > 0)("demo page in Chromium", () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  let stop: () => void;
  let identity: string;
  let recipient: string;
  let url: string;
  const pageErrors: string[] = [];
  const requested: string[] = []; // paths the demo page (and its workers) fetched

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "age-rt-browser-"));
    execFileSync(process.execPath, ["scripts/bundle-browser.mjs", "--outdir", join(dir, "bundle")], { stdio: "ignore" });
    const served = await serve({ port: 0, bundleDir: join(dir, "bundle") });
    url = served.url;
    stop = () => served.server.close();

    execFileSync("age-keygen", ["-o", join(dir, "key.txt")], { stdio: "ignore" });
    identity = readFileSync(join(dir, "key.txt"), "utf8").split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-1"))!;
    recipient = execFileSync("age-keygen", ["-y", join(dir, "key.txt")], { encoding: "utf8" }).trim();

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    page = await browser.newPage({ viewport: { width: 900, height: 1300 }, acceptDownloads: true });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") pageErrors.push(m.text()); });
    page.context().on("request", (r) => void requested.push(new URL(r.url()).pathname));
    await page.goto(url);
  });

  afterAll(async () => {
    await browser?.close();
    stop?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Clicks a file-form button and waits until the page shows the result (or fails on an error). */
  async function run(button: "#decrypt" | "#encrypt"): Promise<void> {
    await page.click(button);
    await page.waitForFunction(() => !document.querySelector("#result")!.hasAttribute("hidden") || document.querySelector("#status.error"));
    const error = await page.$eval("#status", (e) => (e.classList.contains("error") ? e.textContent : null));
    expect(error).toBeNull();
  }

  async function download(): Promise<Uint8Array> {
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
    return readFileSync((await dl.path())!);
  }

  it("decrypts a Go-age X25519 file, with progress and MB/s shown", async () => {
    const plain = randomBytes(3 * 2 ** 20 + 12345);
    writeFileSync(join(dir, "go.bin"), plain);
    execFileSync("age", ["-r", recipient, "-o", join(dir, "go.bin.age"), join(dir, "go.bin")]);

    await page.setInputFiles("#file", join(dir, "go.bin.age"));
    await page.fill("#key", identity);
    await run("#decrypt");

    expect(await page.textContent("#sha256")).toBe(sha256(plain));
    expect(await page.textContent("#result-format")).toBe("age v1");
    expect(await page.textContent("#engine")).toBe("WebAssembly (SIMD)"); // the CSP allows it: not the JS fallback
    expect(await page.textContent("#workers")).toMatch(/^a pool of \d+ Web Workers$/); // the file went through the worker pool
    expect(await page.$eval("#progress", (p: HTMLProgressElement) => p.value)).toBe(1);
    expect(await page.getAttribute("#progress", "data-phases")).toBe("payload");
    expect(Number(await page.getAttribute("#progress", "data-updates"))).toBeGreaterThanOrEqual(2);
    expect(await page.textContent("#rate")).toMatch(/^\d+(\.\d)? MB\/s$/);
    expect(sha256(await download())).toBe(sha256(plain)); // and the download link carries the same bytes
  });

  it("decrypts a passphrase file dropped on the page, showing scrypt progress", async () => {
    const plain = randomBytes(200_000);
    const file = encodeBytes([plain], AgeEncoder.fromPassphrase("correct horse", { workFactor: 12 }));
    // A drop as the browser delivers it: a DataTransfer holding a File.
    await page.evaluate((b64) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], "note.txt.age"));
      document.querySelector("#drop")!.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, Buffer.from(file).toString("base64"));
    expect(await page.textContent("#file-name")).toContain("note.txt.age");
    await page.fill("#key", "correct horse");
    await run("#decrypt");

    expect(await page.textContent("#sha256")).toBe(sha256(plain));
    expect(await page.getAttribute("#progress", "data-phases")).toBe("scrypt payload");
    expect(await page.getAttribute("#download", "download")).toBe("note.txt");
  });

  it("a wrong passphrase shows the library's typed error (names survive minification)", async () => {
    await page.fill("#key", "wrong horse");
    await page.click("#decrypt");
    await page.waitForSelector("#status.error");
    expect(await page.textContent("#status")).toMatch(/^NoIdentityMatchError: /);
    expect(await page.isHidden("#result")).toBe(true);
  });

  it("encrypts to an age1 recipient; Go age decrypts the download", async () => {
    const plain = randomBytes(100_000);
    writeFileSync(join(dir, "mine.bin"), plain);
    await page.setInputFiles("#file", join(dir, "mine.bin"));
    await page.fill("#key", recipient);
    expect(await page.isDisabled("#decrypt")).toBe(true); // a recipient cannot decrypt
    await run("#encrypt");

    writeFileSync(join(dir, "mine.bin.age"), await download());
    const out = execFileSync("age", ["-d", "-i", join(dir, "key.txt"), join(dir, "mine.bin.age")]);
    expect(sha256(out)).toBe(sha256(plain));
  });

  it("live age-rt: each message crosses as one chunk and is shown on arrival", async () => {
    await page.click(".settings summary");
    await page.fill("#work-factor", "12");
    await page.fill("#live-pass", "shared secret");
    await page.click("#live-open");
    const messages = ["hello", "wörld ✓", ""];
    for (const [i, m] of messages.entries()) {
      await page.fill("#live-msg", m);
      await page.click("#live-send");
      // Shown before the next message is sent: real time, not at the end of the stream.
      await page.waitForFunction((n) => document.querySelectorAll("#received li").length === n, i + 1);
    }
    await page.click("#live-close");
    await page.waitForFunction(() => /Stream ended/.test(document.querySelector("#live-status")!.textContent!));

    const received = await page.$$eval("#received li", (ls) => ls.map((l) => [l.textContent, l.className]));
    expect(received).toEqual([["hello", ""], ["wörld ✓", ""], ["", "empty"], ["", "empty final"]]);
    const wire = await page.$$eval("#wire li", (ls) => ls.map((l) => l.textContent!));
    expect(wire[0]).toMatch(/^header, \d+ B: github\.com\/parsimonit\/age-rt-encryption\/v0\.2$/);
    // A frame is 4 length bytes + ciphertext + 16-byte tag: "hello" → length 21.
    expect(wire.slice(1).map((w) => Number(/length (\d+)/.exec(w)![1]))).toEqual([21, 16 + 10, 16, 16]);
  });

  it("engines with WebAssembly never fetch the pure-JS fallback file, nor the post-quantum one for classic keys", () => {
    expect(requested).toContain("/age-rt.js");
    expect(requested).not.toContain("/age-rt-fallback.js");
    expect(requested).not.toContain("/age-rt-pq.js");
    expect(requested).not.toContain("/age-rt-random.js");
  });

  it("post-quantum: decrypts a hybrid file, fetching age-rt-pq.js on first use, and encrypts to age1pq1", async () => {
    const pqIdentity = generateHybridIdentity();
    const plain = randomBytes(150_000);
    writeFileSync(join(dir, "pq.bin.age"), encodeBytes([plain], AgeEncoder.fromRecipients([identityToRecipient(pqIdentity)])));
    await page.setInputFiles("#file", join(dir, "pq.bin.age"));
    await page.fill("#key", pqIdentity);
    await run("#decrypt");
    expect(await page.textContent("#sha256")).toBe(sha256(plain));
    expect(requested).toContain("/age-rt-pq.js");

    writeFileSync(join(dir, "pq-mine.bin"), plain);
    await page.setInputFiles("#file", join(dir, "pq-mine.bin"));
    await page.fill("#key", identityToRecipient(pqIdentity));
    await run("#encrypt");
    const file = await download();
    expect(Buffer.from(file).toString("latin1")).toContain("\n-> mlkem768x25519 ");
    expect(sha256(Buffer.concat([...decodeBytes(file, new AgeAutoDecoder({ identities: [pqIdentity] }))]))).toBe(sha256(plain));
  });

  it("without WebAssembly: a call before ready() asks for it; ready() fetches the fallback, which then works", async () => {
    const bare = await browser.newPage();
    try {
      await bare.addInitScript(() => void delete (globalThis as { WebAssembly?: unknown }).WebAssembly);
      const fetched: string[] = [];
      bare.on("request", (r) => void fetched.push(new URL(r.url()).pathname));
      await bare.goto(url);
      // A string, not a function: vitest would rewrite a function's import() for Node.
      const result = await bare.evaluate(`(async () => {
        const m = await import("/age-rt.js");
        const encode = () => m.encodeBytes([new TextEncoder().encode("no wasm here")], m.AgeEncoder.fromPassphrase("pw", { workFactor: 10 }));
        let before = "";
        try {
          encode();
        } catch (e) {
          before = e.name + " " + (e instanceof m.AgeRTError) + ": " + e.message;
        }
        await m.ready();
        const file = encode();
        const plain = new TextDecoder().decode([...m.decodeBytes(file, new m.AgeAutoDecoder("pw"))][0]);
        // An error thrown inside the fallback file (scrypt refusing 4 GiB) is the library's own class.
        let refused = "";
        try {
          m.AgeEncoder.fromPassphrase("pw", { workFactor: 22 }).getHeader();
        } catch (e) {
          refused = e.name + " " + (e instanceof m.UsageError);
        }
        return { before, plain, refused, wasm: typeof WebAssembly };
      })()`) as { before: string; plain: string; refused: string; wasm: string };
      expect(result.wasm).toBe("undefined");
      expect(result.before).toMatch(/^UsageError true: .*await ready\(\)/);
      expect(result.plain).toBe("no wasm here");
      expect(result.refused).toBe("UsageError true");
      expect(fetched).toContain("/age-rt-fallback.js");
    } finally {
      await bare.close();
    }
  });

  it("had no page errors; screenshot", async () => {
    mkdirSync("bench/.cache", { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
