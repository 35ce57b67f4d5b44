// Three browser engines, one test: Chromium (Blink/V8), Firefox ESR
// (Gecko/SpiderMonkey) and WebKitGTK (WebKit/JavaScriptCore, Safari's
// engine), each driven through its own automation (tests/helpers/webdriver.ts).
// Per engine:
// - the demo page (web/, served with its strict CSP): decrypts a Go-age
//   X25519 file and a passphrase file (scrypt progress shown), shows the
//   typed error for a wrong passphrase, encrypts a file Go age decrypts, and
//   runs the live age-rt panel;
// - a Web Worker decrypting a 16 MiB Go-age file (MB/s logged and recorded
//   for the README) and a passphrase file (scrypt, work factor 12), on the
//   WebAssembly core;
// - the same under a CSP without 'wasm-unsafe-eval': Chromium and Firefox
//   refuse to compile, and the pure-JS path gives the same bytes (the demo
//   page says so). WebKitGTK 2.50 does not apply that CSP rule to
//   WebAssembly (it refuses eval() under the same CSP, yet compiles): there
//   the test checks that it still runs on the WebAssembly core;
// - in a Worker without WebAssembly at all (as Safari's Lockdown Mode
//   presents itself): the pure-JS path, same bytes, in every engine;
// - crypt-io (AES-256-GCM with the lane GHASH, XChaCha20-Poly1305) in a
//   Worker: the runtime scenario's crypt-io cases, on the WebAssembly core.
// tests/browser.test.ts goes deeper into the demo page in Chromium (playwright).
//
// Needs Debian's chromium + chromium-driver, firefox-esr, webkit2gtk-driver
// and xvfb, and the age CLIs: required under CI=true (.ci/run installs them),
// a loud skip otherwise.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "esbuild";
import { serve } from "../web/serve.mjs";
import { AgeEncoder, encodeBytes } from "../src/index.js";
import { available } from "./helpers/runtimes.js";
import { chromiumDriver, firefoxDriver, MINIBROWSER, webkitDriver, type Driver } from "./helpers/webdriver.js";
import { recordRun } from "./helpers/where-it-runs.js";
import { checkScenario, cryptIoCases, type ScenarioOutput } from "./runtimes/cases.js";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const MiB = 2 ** 20;

interface Engine {
  name: string;
  needs: string[];
  hint: string;
  start: () => Promise<Driver>;
  /** Whether a CSP without 'wasm-unsafe-eval' stops WebAssembly compiling (see above). */
  cspRefusesWasm: boolean;
}

const ENGINES: Engine[] = [
  { name: "Chromium", needs: ["/usr/bin/chromium", "/usr/bin/chromedriver"], hint: "apt-get install chromium chromium-driver", start: chromiumDriver, cspRefusesWasm: true },
  { name: "Firefox ESR", needs: ["/usr/bin/firefox-esr"], hint: "apt-get install firefox-esr", start: () => firefoxDriver(), cspRefusesWasm: true },
  {
    name: "WebKitGTK", needs: ["/usr/bin/WebKitWebDriver", MINIBROWSER, "/usr/bin/Xvfb"], hint: "apt-get install webkit2gtk-driver xvfb",
    start: webkitDriver, cspRefusesWasm: false,
  },
];
const AGE = ["/usr/bin/age", "/usr/bin/age-keygen"];

/** The fixtures every engine gets, made once: Go-age X25519 files, a passphrase file. */
interface Fixtures {
  dir: string;
  identity: string;
  recipient: string;
  big: Uint8Array; // 16 MiB plaintext
  small: Uint8Array; // 3 MiB plaintext
  pass: Uint8Array; // passphrase file's plaintext
  files: Record<string, [Uint8Array, string]>;
}

function makeFixtures(): Fixtures {
  const dir = mkdtempSync(join(tmpdir(), "age-rt-browsers-"));
  execFileSync("age-keygen", ["-o", join(dir, "key.txt")], { stdio: "ignore" });
  const identity = readFileSync(join(dir, "key.txt"), "utf8").split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-1"))!;
  const recipient = execFileSync("age-keygen", ["-y", join(dir, "key.txt")], { encoding: "utf8" }).trim();
  const goEncrypt = (plain: Uint8Array, name: string) => {
    writeFileSync(join(dir, name), plain);
    execFileSync("age", ["-r", recipient, "-o", join(dir, `${name}.age`), join(dir, name)]);
    return readFileSync(join(dir, `${name}.age`));
  };
  const big = randomBytes(16 * MiB);
  const small = randomBytes(3 * MiB + 12345);
  const pass = randomBytes(200_000);
  const bin = "application/octet-stream";
  const files: Record<string, [Uint8Array, string]> = {
    "/fixture/big.age": [goEncrypt(big, "big"), bin],
    "/fixture/small.age": [goEncrypt(small, "small"), bin],
    "/fixture/pass.age": [encodeBytes([pass], AgeEncoder.fromPassphrase("correct horse", { workFactor: 12 })), bin],
    "/test/decrypt-worker.js": [readFileSync("tests/browsers/decrypt-worker.js"), "text/javascript"],
    "/test/demo-page.js": [readFileSync("tests/browsers/demo-page.js"), "text/javascript"],
    "/test/scenario.mjs": [readFileSync("tests/runtimes/scenario.mjs"), "text/javascript"],
    "/test/crypt-io-worker.js": [readFileSync("tests/browsers/crypt-io-worker.js"), "text/javascript"],
  };
  return { dir, identity, recipient, big, small, pass, files };
}

interface WorkerResult {
  webAssembly: string;
  sha256: string;
  mbps: number;
  passSha256: string;
  scryptMs: number;
  ready: string;
  wasmInstances: number;
  fetched: string[];
  userAgent: string;
}

/** Runs the module Worker `script` in the page at `url`: posts it `arg`, returns its reply's value (or throws its error). */
async function inModuleWorker<T>(d: Driver, url: string, script: string, arg: unknown): Promise<T> {
  await d.navigate(url);
  return d.run<T>(`
    const w = new Worker(arguments[0], { type: "module" });
    const reply = await new Promise((resolve) => {
      w.onmessage = (e) => resolve(e.data);
      w.onerror = (e) => resolve({ ok: false, error: "worker error: " + e.message });
      w.postMessage(arguments[1]);
    });
    w.terminate();
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;`, script, arg);
}

/** Runs tests/browsers/decrypt-worker.js in a module Worker of the page at `url`. */
function inWorker(d: Driver, url: string, fx: Fixtures, withoutWebAssembly = false): Promise<WorkerResult> {
  return inModuleWorker(d, url, "/test/decrypt-worker.js", { identity: fx.identity, passphrase: "correct horse", rounds: 2, withoutWebAssembly });
}

/**
 * age-rt and age-rt/crypt-io as a bundler hands them to a page that imports
 * both (esbuild over the built entries): one copy of the shared code, so the
 * main entry's streams take crypt-io's decoders.
 */
async function cryptIoBundle(): Promise<Uint8Array> {
  const r = await build({
    stdin: { contents: `export * as age from "./dist/index.js"; export * as cryptIo from "./dist/crypt-io.js";`, resolveDir: ".", loader: "js" },
    bundle: true, format: "esm", platform: "browser", write: false, logLevel: "warning",
  });
  return r.outputFiles[0]!.contents;
}

type CryptIoWorkerOutput = ScenarioOutput & { simd: boolean; mixed: { decoder: string; encoder: string } };

/** Runs tests/browsers/crypt-io-worker.js on the given cases in a module Worker of the page at `url`. */
function cryptIoInWorker(d: Driver, url: string, cases: ReturnType<typeof cryptIoCases>): Promise<CryptIoWorkerOutput> {
  return inModuleWorker(d, url, "/test/crypt-io-worker.js", { cases: cases.map((c) => c.spec) });
}

/** Calls one function of tests/browsers/demo-page.js in the page. */
function demo<T>(d: Driver, fn: string, ...args: unknown[]): Promise<T> {
  return d.run<T>(`const m = await import("/test/demo-page.js"); return m[arguments[0]](...arguments[1]);`, fn, args);
}


describe.each(ENGINES)("$name", (engine) => {
  const missing = [...engine.needs, ...AGE].filter((p) => !existsSync(p));
  const ok = available(`browser test (${engine.name})`, missing, `${engine.hint}; age`);

  describe.skipIf(!ok)("", () => {
    let fx: Fixtures;
    let d: Driver;
    let wasmUrl: string;
    let noWasmUrl: string;
    const stops: Array<() => void> = [];

    beforeAll(async () => {
      fx = makeFixtures();
      fx.files["/test/crypt-io.js"] = [await cryptIoBundle(), "text/javascript"];
      execFileSync(process.execPath, ["scripts/bundle-browser.mjs", "--outdir", join(fx.dir, "bundle")], { stdio: "ignore" });
      for (const wasm of [true, false]) {
        const s = await serve({ port: 0, bundleDir: join(fx.dir, "bundle"), wasm, extra: fx.files, sampleSeconds: 1 });
        stops.push(() => s.server.close());
        if (wasm) wasmUrl = s.url;
        else noWasmUrl = s.url;
      }
      d = await engine.start();
    }, 180_000);

    afterAll(async () => {
      await d?.quit();
      for (const stop of stops) stop();
      if (fx) rmSync(fx.dir, { recursive: true, force: true });
    });

    it("demo page: decrypts Go-age X25519 and passphrase files, shows a typed error, encrypts for Go age, live age-rt", async () => {
      await d.navigate(wasmUrl);
      // X25519, made by Go age.
      expect(await demo(d, "chooseFile", "/fixture/small.age", "small.bin.age")).toContain("small.bin.age");
      expect(await demo(d, "setKey", fx.identity)).toEqual({ decrypt: true, encrypt: false });
      const x = await demo<Record<string, unknown>>(d, "submit", "decrypt");
      expect(x.error).toBeUndefined();
      expect(x.sha256).toBe(sha256(fx.small));
      expect(x.downloadSha256).toBe(sha256(fx.small));
      expect(x.format).toBe("age v1");
      expect(x.engine).toBe("WebAssembly (SIMD)");
      expect(x.progress).toBe(1);
      expect(x.phases).toBe("payload");
      expect(x.updates).toBeGreaterThanOrEqual(2);
      expect(x.rate).toMatch(/^\d+(\.\d)? MB\/s$/);

      // Passphrase: scrypt progress, then the payload.
      await demo(d, "chooseFile", "/fixture/pass.age", "note.txt.age");
      await demo(d, "setKey", "correct horse");
      const p = await demo<Record<string, unknown>>(d, "submit", "decrypt");
      expect(p.sha256).toBe(sha256(fx.pass));
      expect(p.phases).toBe("scrypt payload");
      expect(p.downloadName).toBe("note.txt");

      // A wrong passphrase: the library's typed error, by name (minified bundle).
      await demo(d, "setKey", "wrong horse");
      const w = await demo<Record<string, unknown>>(d, "submit", "decrypt");
      expect(w.error).toMatch(/^NoIdentityMatchError: /);
      expect(w.resultHidden).toBe(true);

      // Encrypt to the Go-age recipient; Go age decrypts what the page offers for download.
      await demo(d, "chooseFile", "/fixture/pass.age", "blob.bin"); // any bytes will do as plaintext
      expect(await demo(d, "setKey", fx.recipient)).toEqual({ decrypt: false, encrypt: true });
      const e = await demo<Record<string, unknown>>(d, "submit", "encrypt", { download: true });
      writeFileSync(join(fx.dir, "from-page.age"), Buffer.from(e.download as string, "base64"));
      const out = execFileSync("age", ["-d", "-i", join(fx.dir, "key.txt"), join(fx.dir, "from-page.age")]);
      expect(sha256(out)).toBe(sha256(fx.files["/fixture/pass.age"]![0]));

      // Live age-rt: each message one chunk, shown on arrival.
      const live = await demo<{ received: string[][]; wire: string[] }>(d, "live", "shared secret", ["hello", "wörld ✓", ""]);
      expect(live.received).toEqual([["hello", ""], ["wörld ✓", ""], ["", "empty"], ["", "empty final"]]);
      expect(live.wire.slice(1).map((l) => Number(/length (\d+)/.exec(l)![1]))).toEqual([21, 16 + 10, 16, 16]);
    }, 240_000);

    it("Web Worker: 16 MiB Go-age file and a scrypt file on the WebAssembly core", async () => {
      const r = await inWorker(d, wasmUrl, fx);
      expect(r.sha256).toBe(sha256(fx.big));
      expect(r.passSha256).toBe(sha256(fx.pass));
      expect(r.ready).toBe("resolved");
      expect(r.wasmInstances).toBeGreaterThan(0);
      expect(r.fetched).not.toContain("/age-rt-fallback.js");
      console.log(`${engine.name} (${d.browserVersion}): 16 MiB decrypt in a Worker ${r.mbps.toFixed(0)} MB/s, scrypt 2^12 ${r.scryptMs.toFixed(0)} ms (WebAssembly)`);
      recordRun({ runtime: engine.name, version: d.browserVersion.replace(/^\S+ /, ""), path: "WebAssembly", mbps: r.mbps, what: "16 MiB X25519 decrypt in a Web Worker" });
    }, 240_000);

    /** Checks a Worker run that had to use the pure-JS path; records its MB/s. */
    function expectPureJs(r: WorkerResult, what: string) {
      expect(r.sha256).toBe(sha256(fx.big));
      expect(r.passSha256).toBe(sha256(fx.pass));
      expect(r.wasmInstances).toBe(0);
      expect(r.fetched).toContain("/age-rt-fallback.js"); // the pure-JS code, fetched only now
      console.log(`${engine.name}: 16 MiB decrypt in a Worker ${r.mbps.toFixed(0)} MB/s, scrypt 2^12 ${r.scryptMs.toFixed(0)} ms (pure JS: ${what})`);
      recordRun({ runtime: engine.name, version: d.browserVersion.replace(/^\S+ /, ""), path: "pure JS", mbps: r.mbps, what: `16 MiB X25519 decrypt in a Web Worker, ${what}` });
    }

    it(`CSP without 'wasm-unsafe-eval': ${engine.cspRefusesWasm ? "WebAssembly refused, the pure-JS path gives the same bytes" : "this engine still compiles WebAssembly"}`, async () => {
      const r = await inWorker(d, noWasmUrl, fx);
      if (engine.cspRefusesWasm) {
        expect(r.ready).toMatch(/^AgeRTError true: /); // compiling was refused, and ready() says so
        expectPureJs(r, "CSP without wasm-unsafe-eval");
      } else {
        expect(r.sha256).toBe(sha256(fx.big));
        expect(r.ready).toBe("resolved");
        expect(r.wasmInstances).toBeGreaterThan(0);
      }

      // The demo page says which engine ran.
      await d.navigate(noWasmUrl);
      await demo(d, "chooseFile", "/fixture/small.age", "small.bin.age");
      await demo(d, "setKey", fx.identity);
      const x = await demo<Record<string, unknown>>(d, "submit", "decrypt");
      expect(x.sha256).toBe(sha256(fx.small));
      expect(x.engine).toBe(engine.cspRefusesWasm ? "pure JavaScript (WebAssembly refused)" : "WebAssembly (SIMD)");
    }, 240_000);

    it("crypt-io in a Worker: AES-256-GCM (lane GHASH) and XChaCha20-Poly1305 streams, both ways, on the WebAssembly core; the prebuilt bundle refuses its coders", async () => {
      const cases = cryptIoCases();
      const out = await cryptIoInWorker(d, wasmUrl, cases);
      checkScenario(cases, out);
      expect(out.wasmInstances).toBeGreaterThan(0);
      expect(out.simd).toBe(true); // so the core that ran is the SIMD build, with the lane GHASH
      // The prebuilt bundle refuses the other build's decoder and encoder with its own typed error.
      expect(out.mixed).toEqual({ decoder: "UsageError true", encoder: "UsageError true" });
    }, 240_000);

    it("a Worker without WebAssembly (as in Lockdown Mode): the pure-JS path gives the same bytes", async () => {
      const r = await inWorker(d, wasmUrl, fx, true);
      expect(r.webAssembly).toBe("undefined");
      expect(r.ready).toBe("resolved"); // nothing to compile: ready() only loads the pure-JS code
      expectPureJs(r, "no WebAssembly");
    }, 240_000);
  });
});
