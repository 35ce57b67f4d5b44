// The runtimes the README names, for real: Node, Deno (no permissions at
// all), Bun and Node with --jitless (V8 without a JIT has no WebAssembly) each run the
// shared scenario (tests/runtimes/scenario.mjs, cases in tests/runtimes/cases.ts)
// against the built package, as a child process. workerd has its own file
// (tests/workerd.test.ts), QuickJS too (tests/quickjs.test.ts).
//
// Deno and Bun come from their npm packages (devDependencies); a missing one
// fails under CI=true and is a loud skip elsewhere (tests/helpers/runtimes.ts).
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkScenario, scenarioCases, throughputOf, type ScenarioOutput } from "./runtimes/cases.js";
import { available, findBun, findDeno, type Runtime } from "./helpers/runtimes.js";
import { recordRun } from "./helpers/where-it-runs.js";
import { ensureBuilt } from "./helpers/cli.js";

const HOST = "tests/runtimes/host-main.mjs";

/** Runs the scenario in a runtime started as `bin ...args HOST`; its parsed output. */
function runIn(bin: string, args: string[], input: unknown): Promise<ScenarioOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args, HOST], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.stdin.on("error", () => {}); // a runtime that dies early: reported by "close" with its stderr
    child.on("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith("SCENARIO "));
      if (code !== 0 || line === undefined) return reject(new Error(`${bin} exited ${code}:\n${stderr}\n${stdout.slice(0, 2000)}`));
      resolve(JSON.parse(line.slice("SCENARIO ".length)) as ScenarioOutput);
    });
    child.stdin.end(JSON.stringify(input));
  });
}

interface Target {
  name: string;
  find: () => Runtime | null;
  args: string[];
  hint: string;
  /** Whether this runtime has WebAssembly (and so must run the library on it). */
  wasm: boolean;
  /** Plaintext of the timed decrypt: the JIT-less interpreter gets less. */
  size: number;
}

const TARGETS: Target[] = [
  // Node as the package's users run it: the same scenario, on the WebAssembly core.
  { name: "Node", find: () => ({ bin: process.execPath, version: process.versions.node }), args: [], hint: "", wasm: true, size: 16 * 2 ** 20 },
  // No --allow-* flag: importing local modules (bare names through package.json
  // and node_modules), stdin and crypto need none; --no-prompt makes any other access fail.
  { name: "Deno", find: findDeno, args: ["run", "--no-prompt", "--no-lock"], hint: "npm devDependency `deno`", wasm: true, size: 16 * 2 ** 20 },
  { name: "Bun", find: findBun, args: ["run"], hint: "npm devDependency `bun`", wasm: true, size: 16 * 2 ** 20 },
  {
    name: "Node --jitless",
    find: () => ({ bin: process.execPath, version: process.versions.node }),
    args: ["--jitless", "--no-warnings"],
    hint: "",
    wasm: false,
    size: 2 ** 20,
  },
];

describe.each(TARGETS)("$name", (t) => {
  const rt = t.find();
  const ok = available(t.name, rt === null ? [t.name] : [], t.hint);

  it.skipIf(!ok)("runs the scenario from the built package", async () => {
    ensureBuilt();
    const cases = scenarioCases({ throughputSize: t.size, rounds: t.wasm ? 3 : 1 });
    const out = await runIn(rt!.bin, t.args, { cases: cases.map((c) => c.spec) });
    checkScenario(cases, out);
    if (t.wasm) {
      expect(out.webAssembly).toBe("object");
      expect(out.wasmInstances).toBeGreaterThan(0); // the library ran on its WebAssembly core
    } else {
      expect(out.webAssembly).toBe("undefined"); // no WebAssembly here: the pure-JS path did it all
      expect(out.wasmInstances).toBe(0);
    }
    expect(out.ready).toBe("resolved");
    const mbps = throughputOf(out);
    const what = `${t.size / 2 ** 20} MiB X25519 decrypt`;
    console.log(`${t.name} ${rt!.version}: ${what} ${mbps?.toFixed(0)} MB/s (${t.wasm ? "WebAssembly" : "pure JS"})`);
    recordRun({ runtime: t.name, version: rt!.version, path: t.wasm ? "WebAssembly" : "pure JS", mbps, what });
  }, 240_000);
});
