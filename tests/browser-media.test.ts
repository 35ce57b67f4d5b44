// The demo page's seek panel in headless Chromium (issue 15): a Service
// Worker plays the server's age-encrypted sample (a generated WAV clip in a
// <video> element) by answering the element's range requests from a
// rangeSource. Seeking to the middle plays, and the server's log of the
// byte ranges it sent shows that only the chunks around the middle were
// fetched after the seek, and nothing of the stretch between the start and
// the middle.
//
// Needs /usr/bin/chromium: required under CI=true (.ci/run installs it),
// skipped with a message otherwise. Runs a fresh browser bundle of the
// current source (scripts/bundle-browser.mjs --outdir); the server encrypts
// the sample with dist/ (built by `npm test`, or here when stale).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { serve } from "../web/serve.mjs";
import { ensureBuilt } from "./helpers/cli.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update",
  "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
];
const CS = 65536;
const SEALED = CS + 16;
const WAV_HEADER = 44;
const BYTES_PER_SECOND = 44100 * 4;

const missing = existsSync(CHROMIUM) ? [] : [CHROMIUM];
if (missing.length > 0 && process.env.CI === "true") throw new Error(`browser test: ${CHROMIUM} missing under CI (.ci/run installs chromium)`);
if (missing.length > 0) console.warn(`browser media test skipped: ${CHROMIUM} not installed`);

describe.skipIf(missing.length > 0)("demo page: seeking in an encrypted clip through a Service Worker", () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  let served: Awaited<ReturnType<typeof serve>>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureBuilt(); // the server encrypts its sample with dist/index.js
    dir = mkdtempSync(join(tmpdir(), "age-rt-browser-media-"));
    execFileSync(process.execPath, ["scripts/bundle-browser.mjs", "--outdir", join(dir, "bundle")], { stdio: "ignore" });
    served = await serve({ port: 0, bundleDir: join(dir, "bundle") });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    page = await browser.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") pageErrors.push(m.text()); });
    await page.goto(served.url);
  });

  afterAll(async () => {
    await browser?.close();
    served?.server.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The chunk holding plaintext byte `p`, and the file offsets of chunks. */
  const chunkOf = (p: number) => Math.floor(p / CS);
  const payloadStart = () => served.sample.bytes.length - (Math.ceil(served.sample.plainSize / CS) * 16 + served.sample.plainSize);
  const chunkAt = (k: number) => payloadStart() + k * SEALED;

  it("a wrong passphrase is refused by the worker with the library's typed error", async () => {
    await page.fill("#media-key", "not the passphrase");
    await page.click("#media-open");
    await page.waitForSelector("#media-status.error");
    expect(await page.textContent("#media-status")).toMatch(/^NoIdentityMatchError: /);
  });

  it("opens with the passphrase: the header and the last chunk are all that is fetched", async () => {
    expect(served.mediaLog).toEqual([[0, 16384, 206]]); // the wrong passphrase cost the header read only
    await page.fill("#media-key", served.sample.passphrase);
    await page.click("#media-open");
    await page.waitForFunction(() => /^Opened/.test(document.querySelector("#media-status")!.textContent!));
    expect(Number(await page.getAttribute("#media", "data-size"))).toBe(served.sample.plainSize);
    // Only the opening requests so far may be counted (metadata loading may have begun): the first two.
    const [, probe, last] = served.mediaLog;
    expect(probe).toEqual([0, 16384, 206]);
    expect(last![0]).toBe(chunkAt(Math.ceil(served.sample.plainSize / CS) - 1));
    expect(last![1]).toBe(served.sample.bytes.length);
  });

  it("seeking to the middle plays, and only the chunks around the middle were fetched", async () => {
    const duration = await page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>("#media")!;
      return v.readyState >= 1 && Number.isFinite(v.duration) ? v.duration : 0;
    }).then((h) => h.jsonValue());
    expect(duration).toBeCloseTo((served.sample.plainSize - WAV_HEADER) / BYTES_PER_SECOND, 1);
    const before = served.mediaLog.length;
    const middle = duration / 2;
    await page.evaluate(async (t) => {
      const v = document.querySelector<HTMLVideoElement>("#media")!;
      v.currentTime = t;
      await v.play();
    }, middle);
    // It plays: time moves on from the middle.
    await page.waitForFunction((t) => {
      const v = document.querySelector<HTMLVideoElement>("#media")!;
      return !v.paused && v.currentTime > t + 1;
    }, middle, { timeout: 20_000 });
    const position = await page.$eval("#media", (v: HTMLVideoElement) => v.currentTime);
    expect(position).toBeGreaterThan(middle + 1);
    await page.$eval("#media", (v: HTMLVideoElement) => v.pause());

    const beforeSeek = served.mediaLog.slice(0, before);
    const afterSeek = served.mediaLog.slice(before);
    expect(afterSeek.length).toBeGreaterThan(0);
    const middleChunk = chunkOf(WAV_HEADER + Math.floor(middle * BYTES_PER_SECOND));
    // Every range sent after the seek starts at the chunk holding the middle (or the one before it, where
    // the player's request begins a little early) — or is a re-read of the clip's own header at the start.
    for (const [start, end] of afterSeek) {
      expect(start >= chunkAt(middleChunk - 1) || end <= chunkAt(2), JSON.stringify(afterSeek)).toBe(true);
    }
    // Before the seek, the player read the start only (its preload), so a stretch of several MiB between
    // what it read there and the middle was never fetched at all.
    // (beforeSeek[2] is the last chunk, read at open; the others are the header reads and the player's.)
    const startEnd = Math.max(...beforeSeek.filter((_, i) => i !== 2).map(([, e]) => e));
    expect(startEnd, JSON.stringify(beforeSeek)).toBeLessThan(chunkAt(middleChunk - 1) - 4 * 1024 * 1024);
    // (That a stream fetches each byte once is tests/random-access.http.test.ts's; a player may re-read.)
    console.log(`media ranges sent (file ${served.sample.bytes.length} B, middle chunk ${middleChunk} at ${chunkAt(middleChunk)}): ${JSON.stringify(served.mediaLog)}`);
    const total = served.mediaLog.reduce((n, [s, e]) => n + (e - s), 0);
    expect(total).toBeLessThan(served.sample.bytes.length / 2);
    // The page lists the worker's requests as they happened.
    expect(await page.$$eval("#media-fetches li", (ls) => ls.length)).toBe(served.mediaLog.length);
  });

  it("had no page errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
