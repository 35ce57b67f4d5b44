// One small browser driver for the three engines of tests/browsers.test.ts,
// over the W3C WebDriver commands every engine's own automation speaks:
// - Chromium: chromedriver (Debian `chromium-driver`), WebDriver over HTTP;
// - WebKitGTK: WebKitWebDriver (Debian `webkit2gtk-driver`) driving
//   MiniBrowser, WebDriver over HTTP, on an Xvfb display (it needs one);
// - Firefox ESR: Marionette, Firefox's built-in automation server (the
//   protocol geckodriver translates WebDriver into; geckodriver is not in
//   Debian), whose commands are the WebDriver ones ("WebDriver:Navigate"…)
//   as length-prefixed JSON over TCP.
// The tests need only: open a URL, run an async script, quit.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

export interface Driver {
  /** Engine name and version as the browser reports them. */
  readonly browserVersion: string;
  navigate(url: string): Promise<void>;
  /**
   * Runs `body` (a function body) as an async script with `args`; it gets
   * them as `arguments[0..]` and resolves with what its promise resolves to.
   * JSON values only.
   */
  run<T>(body: string, ...args: unknown[]): Promise<T>;
  quit(): Promise<void>;
}

/** Wraps an async function body for WebDriver's "Execute Async Script". */
function asyncScript(body: string): string {
  return `const done = arguments[arguments.length - 1];
const args = Array.prototype.slice.call(arguments, 0, -1);
(async function () { ${body} }).apply(null, args).then(
  (v) => done({ ok: true, value: v === undefined ? null : v }),
  (e) => done({ ok: false, error: String(e && e.stack || e) }));`;
}

function unwrap<T>(r: { ok: boolean; value?: T; error?: string }): T {
  if (!r.ok) throw new Error(`in the browser: ${r.error}`);
  return r.value as T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A child process whose output is kept for error messages. */
function start(bin: string, args: string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; log: () => string } {
  const child = spawn(bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.setEncoding("utf8").on("data", (d) => (log = (log + d).slice(-20_000)));
  child.stderr!.setEncoding("utf8").on("data", (d) => (log = (log + d).slice(-20_000)));
  return { child, log: () => log };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 5000);
  await gone;
  clearTimeout(t);
}

/** An Xvfb display for engines that need one; resolves with its DISPLAY value. */
export async function startXvfb(): Promise<{ display: string; stop: () => Promise<void> }> {
  // -displayfd: Xvfb picks a free display number and writes it to fd 1.
  const child = spawn("Xvfb", ["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.setEncoding("utf8").on("data", (d) => (err += d));
  const display = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(`:${out.trim()}`);
    });
    child.once("exit", (code) => reject(new Error(`Xvfb exited ${code}: ${err}`)));
  });
  return { display, stop: () => stopChild(child) };
}

// ---- WebDriver over HTTP (chromedriver, WebKitWebDriver) ----

async function httpDriver(
  server: { child: ChildProcess; log: () => string }, port: number, capabilities: object, cleanup: () => Promise<void>,
): Promise<Driver> {
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { value: { error?: string; message?: string } & Record<string, unknown> };
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}\n${server.log()}`);
    return json.value;
  };
  // Wait for the driver to listen.
  for (let i = 0; ; i++) {
    try {
      await call("GET", "/status");
      break;
    } catch (e) {
      if (i > 200 || server.child.exitCode !== null) throw new Error(`WebDriver server not up: ${e}\n${server.log()}`);
      await sleep(100);
    }
  }
  const session = (await call("POST", "/session", { capabilities: { alwaysMatch: capabilities } })) as {
    sessionId: string; capabilities: { browserName: string; browserVersion: string };
  };
  const s = `/session/${session.sessionId}`;
  await call("POST", `${s}/timeouts`, { script: 600_000, pageLoad: 120_000 });
  return {
    browserVersion: `${session.capabilities.browserName} ${session.capabilities.browserVersion}`,
    navigate: async (url) => void (await call("POST", `${s}/url`, { url })),
    run: async <T>(body: string, ...args: unknown[]) =>
      unwrap<T>((await call("POST", `${s}/execute/async`, { script: asyncScript(body), args })) as never),
    quit: async () => {
      await call("DELETE", s).catch(() => {});
      await stopChild(server.child);
      await cleanup();
    },
  };
}

/** Chromium through chromedriver, headless. */
export async function chromiumDriver(): Promise<Driver> {
  const port = await freePort();
  const server = start("chromedriver", [`--port=${port}`]);
  return httpDriver(server, port, {
    browserName: "chrome",
    "goog:chromeOptions": {
      binary: "/usr/bin/chromium",
      args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
    },
  }, async () => {});
}

export const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/** WebKitGTK's MiniBrowser through WebKitWebDriver, on an Xvfb display. */
export async function webkitDriver(): Promise<Driver> {
  const x = await startXvfb();
  const port = await freePort();
  const server = start("WebKitWebDriver", [`--port=${port}`], { ...process.env, DISPLAY: x.display });
  return httpDriver(server, port, {
    browserName: "MiniBrowser",
    "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
  }, x.stop);
}

// ---- Marionette (Firefox) ----

/** A Marionette connection: length-prefixed JSON, `[0, id, command, params]` → `[1, id, error, result]`. */
class Marionette {
  private buf = Buffer.alloc(0);
  private id = 0;
  private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private hello: Promise<void>;

  constructor(private readonly socket: Socket) {
    let greeted: () => void;
    this.hello = new Promise((r) => (greeted = r));
    socket.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const colon = this.buf.indexOf(0x3a); // ":" after the decimal byte length
        if (colon < 0) return;
        const len = Number(this.buf.subarray(0, colon).toString("latin1"));
        if (this.buf.length < colon + 1 + len) return;
        const msg = JSON.parse(this.buf.subarray(colon + 1, colon + 1 + len).toString("utf8"));
        this.buf = this.buf.subarray(colon + 1 + len);
        if (!Array.isArray(msg)) {
          greeted!(); // {"applicationType":"gecko","marionetteProtocol":3}
          continue;
        }
        const [, id, error, result] = msg as [number, number, { error: string; message: string } | null, unknown];
        const w = this.waiting.get(id);
        this.waiting.delete(id);
        if (error) w?.reject(new Error(`Marionette: ${error.error}: ${error.message}`));
        else w?.resolve(result);
      }
    });
    socket.on("close", () => {
      for (const w of this.waiting.values()) w.reject(new Error("Marionette connection closed"));
      this.waiting.clear();
    });
  }

  async send<T>(command: string, params: object = {}): Promise<T> {
    await this.hello;
    const id = ++this.id;
    const body = Buffer.from(JSON.stringify([0, id, command, params]), "utf8");
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(`${body.length}:`);
      this.socket.write(body);
    });
  }
}

/** Firefox ESR, headless, through its Marionette server. */
export async function firefoxDriver(bin = "firefox-esr"): Promise<Driver> {
  const profile = mkdtempSync(join(tmpdir(), "age-rt-firefox-"));
  // Port 0: Firefox picks one and writes it to MarionetteActivePort in the profile.
  writeFileSync(join(profile, "user.js"), [
    'user_pref("marionette.port", 0);',
    'user_pref("browser.shell.checkDefaultBrowser", false);',
    'user_pref("datareporting.policy.dataSubmissionEnabled", false);',
    'user_pref("app.update.disabledForTesting", true);',
    'user_pref("browser.startup.homepage_override.mstone", "ignore");',
    'user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);',
  ].join("\n") + "\n");
  const server = start(bin, ["--headless", "--marionette", "--no-remote", "--profile", profile], { ...process.env, MOZ_HEADLESS: "1" });
  const portFile = join(profile, "MarionetteActivePort");
  let port = 0;
  for (let i = 0; !port; i++) {
    if (existsSync(portFile)) port = Number(readFileSync(portFile, "utf8").trim());
    if (!port) {
      if (i > 600 || server.child.exitCode !== null) throw new Error(`Firefox's Marionette did not start:\n${server.log()}`);
      await sleep(100);
    }
  }
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const m = new Marionette(socket);
  const session = await m.send<{ capabilities: { browserName: string; browserVersion: string } }>("WebDriver:NewSession", { strictFileInteractability: true });
  await m.send("WebDriver:SetTimeouts", { script: 600_000, pageLoad: 120_000 });
  return {
    browserVersion: `${session.capabilities.browserName} ${session.capabilities.browserVersion}`,
    navigate: async (url) => void (await m.send("WebDriver:Navigate", { url })),
    run: async <T>(body: string, ...args: unknown[]) =>
      unwrap<T>((await m.send<{ value: { ok: boolean; value?: T; error?: string } }>("WebDriver:ExecuteAsyncScript", { script: asyncScript(body), args })).value),
    quit: async () => {
      await m.send("Marionette:Quit").catch(() => {});
      socket.destroy();
      await stopChild(server.child);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
