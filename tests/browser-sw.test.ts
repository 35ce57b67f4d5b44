// The lazily loaded files of the ESM browser bundle inside a Service Worker,
// in headless Chromium. Service Workers may not call import() (HTML spec),
// so age-rt.js cannot fetch age-rt-pq.js or age-rt-ssh.js there on first
// use; instead the worker imports them statically and each file registers
// itself with age-rt.js as it loads (src/lazy/registry.ts). Checked:
// - with the static imports, a post-quantum file made by typage and an
//   ssh-ed25519 file made by Go age decrypt inside the worker, through
//   decryptStream and through the synchronous decodeBytes (the code is
//   there already, so nothing needs to wait), and a file the worker
//   encrypts to a post-quantum recipient decrypts with typage;
// - without them, the same decryption is refused with the UsageError that
//   says to import the file statically (so it was the static import that
//   made it work, not an import() that happened to be allowed).
// Runs a fresh browser bundle of the current source (scripts/bundle-browser.mjs
// --outdir), served by web/serve.mjs with the worker script added.
//
// Needs /usr/bin/chromium, the age CLIs and ssh-keygen: required under CI=true
// (.ci/run installs them), skipped with a message otherwise.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decrypter, Encrypter, generateHybridIdentity as typageGenerateHybrid, identityToRecipient as typageIdentityToRecipient } from "age-encryption";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { serve } from "../web/serve.mjs";
import { generateHybridIdentity, identityToRecipient } from "../src/index.js";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync"];
const NEEDS = [CHROMIUM, "/usr/bin/age", "/usr/bin/ssh-keygen"];

const missing = NEEDS.filter((p) => !existsSync(p));
if (missing.length > 0 && process.env.CI === "true") {
  throw new Error(`Service Worker test: ${missing.join(", ")} missing under CI (.ci/run installs chromium, age and openssh-client)`);
}
if (missing.length > 0) console.warn(`Service Worker test skipped: ${missing.join(", ")} not installed`);

const JS = "text/javascript; charset=utf-8";
const STATIC_IMPORTS = 'import "./age-rt-pq.js";\nimport "./age-rt-tag.js";\nimport "./age-rt-ssh.js";\nimport "./age-rt-random.js";\nimport "./age-rt-fallback.js";';
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

interface Reply { error?: string; streamed?: string; sync?: string; file?: string }

describe.skipIf(missing.length > 0)("lazily loaded files in a Service Worker (Chromium)", () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  let stop: () => void;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "age-rt-browser-sw-"));
    execFileSync(process.execPath, ["scripts/bundle-browser.mjs", "--outdir", join(dir, "bundle")], { stdio: "ignore" });
    const sw = readFileSync("tests/browsers/lazy-sw.js", "utf8");
    if (!sw.includes("/* AGE_RT_STATIC_IMPORTS */")) throw new Error("lazy-sw.js lost its import marker");
    const served = await serve({
      port: 0, bundleDir: join(dir, "bundle"), sampleSeconds: 1,
      extra: {
        "/sw-static.js": [Buffer.from(sw.replace("/* AGE_RT_STATIC_IMPORTS */", STATIC_IMPORTS)), JS],
        "/sw-bare.js": [Buffer.from(sw), JS],
        "/blank.html": [Buffer.from("<!doctype html><title>Service Worker test</title>"), "text/html; charset=utf-8"],
      },
    });
    stop = () => served.server.close();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
    page = await browser.newPage();
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(new URL("/blank.html", served.url).href);
  });

  afterAll(async () => {
    await browser?.close();
    stop?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Registers `script` (a module Service Worker, its own scope), waits until it is active, and asks it `msg`. */
  const ask = (script: string, msg: Record<string, string>): Promise<Reply> =>
    page.evaluate(async ({ script, msg }) => {
      const reg = await navigator.serviceWorker.register(script, { type: "module", scope: `/${script.slice(1, -3)}/` });
      const worker = (reg.installing ?? reg.waiting ?? reg.active)!;
      if (worker.state !== "activated") {
        await new Promise<void>((resolve) => worker.addEventListener("statechange", () => worker.state === "activated" && resolve()));
      }
      const channel = new MessageChannel();
      const reply = new Promise<Reply>((resolve) => { channel.port1.onmessage = (e) => resolve(e.data as Reply); });
      worker.postMessage(msg, [channel.port2]);
      return reply;
    }, { script, msg });

  it("decrypts typage's post-quantum file inside the worker, streamed and synchronously", async () => {
    const identity = generateHybridIdentity();
    const plaintext = randomBytes(200_000);
    const e = new Encrypter();
    e.addRecipient(identityToRecipient(identity));
    const file = await e.encrypt(plaintext);
    expect(Buffer.from(file).toString("latin1")).toContain("\n-> mlkem768x25519 ");
    const r = await ask("/sw-static.js", { op: "decrypt", file: b64(file), identity });
    expect(r.error).toBeUndefined();
    expect(Buffer.from(unb64(r.streamed!)).equals(plaintext)).toBe(true);
    expect(Buffer.from(unb64(r.sync!)).equals(plaintext)).toBe(true);
  });

  it("encrypts to a post-quantum recipient inside the worker; typage decrypts it", async () => {
    const theirs = await typageGenerateHybrid();
    const plaintext = randomBytes(70_000);
    const r = await ask("/sw-static.js", { op: "encrypt", recipient: await typageIdentityToRecipient(theirs), plaintext: b64(plaintext) });
    expect(r.error).toBeUndefined();
    const d = new Decrypter();
    d.addIdentity(theirs);
    expect(Buffer.from(await d.decrypt(unb64(r.file!))).equals(plaintext)).toBe(true);
  });

  it("decrypts Go age's ssh-ed25519 file inside the worker", async () => {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "", "-f", join(dir, "id")], { stdio: "pipe" });
    const plaintext = randomBytes(1000);
    writeFileSync(join(dir, "plain"), plaintext);
    execFileSync("age", ["-R", join(dir, "id.pub"), "-o", join(dir, "ssh.age"), join(dir, "plain")]);
    const r = await ask("/sw-static.js", { op: "decrypt", file: b64(readFileSync(join(dir, "ssh.age"))), identity: readFileSync(join(dir, "id"), "utf8") });
    expect(r.error).toBeUndefined();
    expect(Buffer.from(unb64(r.streamed!)).equals(plaintext)).toBe(true);
    expect(Buffer.from(unb64(r.sync!)).equals(plaintext)).toBe(true);
  });

  it("without the static import, the worker's import() is refused and the error says what to do", async () => {
    const identity = generateHybridIdentity();
    const e = new Encrypter();
    e.addRecipient(identityToRecipient(identity));
    const file = await e.encrypt(new Uint8Array(10));
    const r = await ask("/sw-bare.js", { op: "decrypt", file: b64(file), identity });
    expect(r.error).toMatch(/^UsageError: cannot load \.\/age-rt-pq\.js \(.+\): .*a Service Worker must import it statically$/);
  });

  it("had no page errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
