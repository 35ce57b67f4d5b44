// Cloudflare Workers, for real: workerd (npm `workerd`, the runtime under
// Cloudflare Workers) serves the Workers of tests/runtimes/workerd/ on
// 127.0.0.1, configured as a user deploys them (tests/helpers/workerd.ts),
// and this test drives them with fetch:
// - the shared runtime scenario (tests/runtimes/cases.ts) in a Worker that
//   hands the precompiled module to init(), on the WebAssembly core;
// - the same in a Worker that does not: workerd refuses to compile bytes, so
//   the pure-JS path serves, and ready() rejects pointing to init();
// - the README's own Worker (request body → decryptStream → response) on a
//   16 MiB file, timed against a Worker that echoes the body; a tampered
//   chunk ends the response before any of its bytes are sent.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgeEncoder, encodeBytes, generateIdentity, identityToRecipient } from "../src/index.js";
import { checkScenario, scenarioCases, type ScenarioOutput } from "./runtimes/cases.js";
import { available, findWorkerd } from "./helpers/runtimes.js";
import { startWorkerd, type Workerd } from "./helpers/workerd.js";
import { recordRun } from "./helpers/where-it-runs.js";
import { ensureBuilt } from "./helpers/cli.js";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const MiB = 2 ** 20;

const rt = findWorkerd();
const ok = available("workerd test", rt === null ? ["workerd"] : [], "npm devDependency `workerd`");

async function scenario(url: string, cases: ReturnType<typeof scenarioCases>): Promise<ScenarioOutput> {
  const res = await fetch(url, { method: "POST", body: JSON.stringify({ cases: cases.map((c) => c.spec) }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`Worker answered ${res.status}: ${text}`);
  return JSON.parse(text) as ScenarioOutput;
}

/** POSTs `body` and reads the whole response; the bytes and the seconds it took. */
async function roundTrip(url: string, body: Uint8Array): Promise<{ bytes: Uint8Array; seconds: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { method: "POST", body: body as Uint8Array<ArrayBuffer> });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { bytes, seconds: (performance.now() - t0) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

describe.skipIf(!ok)("workerd (Cloudflare Workers runtime)", () => {
  let wd: Workerd;
  const identity = generateIdentity();

  beforeAll(async () => {
    ensureBuilt();
    wd = await startWorkerd(rt!.bin, { AGE_IDENTITY: identity });
  }, 120_000);

  afterAll(async () => {
    await wd?.stop();
  });

  it("init(module): the scenario runs on the WebAssembly core", async () => {
    const cases = scenarioCases({ throughputSize: 0 }); // timed from outside below: workerd's clock stands still within a request
    const out = await scenario(wd.url.scenario, cases);
    checkScenario(cases, out);
    expect(out.userAgent).toBe("Cloudflare-Workers");
    expect(out.wasmInstances).toBeGreaterThan(0);
    expect(out.ready).toBe("resolved");
  }, 120_000);

  it("without init(): workerd refuses to compile bytes; the pure-JS path gives the same results and ready() says why", async () => {
    const cases = scenarioCases({ throughputSize: 0 });
    const out = await scenario(wd.url["scenario-noinit"], cases);
    checkScenario(cases, out);
    expect(out.webAssembly).toBe("object");
    expect(out.wasmInstances).toBe(0);
    expect(out.ready).toMatch(/^AgeRTError true: ready\(\): .*init\(\).*\(cause: CompileError: .*disallowed by embedder\)$/);
  }, 180_000);

  it("the README's Worker decrypts a 16 MiB request body; timed against an echo Worker", async () => {
    const plain = randomBytes(16 * MiB);
    const file = encodeBytes([plain], AgeEncoder.fromRecipients([identityToRecipient(identity)]));
    const got = await roundTrip(wd.url.readme, file);
    expect(got.bytes.length).toBe(plain.length);
    expect(sha256(got.bytes)).toBe(sha256(plain));

    const readme: number[] = [];
    const echo: number[] = [];
    for (let r = 0; r < 3; r++) {
      const e = await roundTrip(wd.url.echo, file);
      expect(e.bytes.length).toBe(file.length);
      echo.push(e.seconds);
      readme.push((await roundTrip(wd.url.readme, file)).seconds);
    }
    const mbps = (s: number) => plain.length / MiB / s;
    const ratio = median(echo) / median(readme);
    console.log(`workerd ${rt!.version}: README Worker ${mbps(median(readme)).toFixed(0)} MB/s, echo Worker ${mbps(median(echo)).toFixed(0)} MB/s (ratio ${ratio.toFixed(2)}), medians of 3, HTTP from Node on 127.0.0.1`);
    recordRun({ runtime: "workerd", version: rt!.version, path: "WebAssembly", mbps: mbps(median(readme)), what: "16 MiB through the README Worker over HTTP" });
  }, 180_000);

  it("the README's Worker: a tampered chunk ends the response; none of its bytes reach the client", async () => {
    const plain = randomBytes(5 * 65536 + 1000);
    const file = encodeBytes([plain], AgeEncoder.fromRecipients([identityToRecipient(identity)]));
    const bad = file.slice();
    bad[bad.length - (1000 + 16) - 65552 + 100] ^= 1; // in the fifth chunk (of six; the sixth holds 1000 bytes)
    const res = await fetch(wd.url.readme, { method: "POST", body: bad as Uint8Array<ArrayBuffer> });
    const received: Uint8Array[] = [];
    const reader = res.body!.getReader();
    const failed = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return false;
        received.push(value);
      }
    })().catch(() => true);
    expect(failed).toBe(true); // the client sees a broken response, not a complete one
    const got = Buffer.concat(received);
    expect(got.length).toBeLessThanOrEqual(4 * 65536); // at most the four chunks before the tampered one
    expect(sha256(got)).toBe(sha256(plain.subarray(0, got.length)));
  }, 60_000);
});
