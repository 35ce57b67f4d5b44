// Runs workerd (Cloudflare's Workers runtime, npm `workerd`) on the Workers
// of tests/runtimes/workerd/, as a Cloudflare user would deploy them: each
// Worker bundled by esbuild the way wrangler bundles (`import "age-rt"`
// resolved to the built package; a `.wasm` import left as a module of its
// own, which workerd hands the script as a compiled WebAssembly.Module), and
// tests/runtimes/workerd/config.capnp naming the modules, bindings and
// sockets. Sockets listen on 127.0.0.1 at ports chosen here.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build, type Plugin } from "esbuild";
import { freePort } from "./free-port.js";
import { repoRoot } from "./runtimes.js";

const SRC = join(repoRoot(), "tests", "runtimes", "workerd");
const WORKERS = ["readme-worker.js", "echo-worker.js", "scenario-worker.js"];
const SOCKETS = ["readme", "echo", "scenario", "scenario-noinit"] as const;
export type SocketName = (typeof SOCKETS)[number];

/** wrangler's treatment of `.wasm` imports: the file becomes a module of its own. */
function wasmModules(outdir: string): Plugin {
  return {
    name: "wasm-modules",
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, async (args) => {
        if (args.pluginData === "inner") return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "inner" });
        if (r.errors.length > 0) return { errors: r.errors };
        copyFileSync(r.path, join(outdir, basename(r.path)));
        return { path: `./${basename(r.path)}`, external: true };
      });
    },
  };
}

export interface Workerd {
  url: Record<SocketName, string>;
  /** What workerd printed (for failure messages). */
  log: () => string;
  /** workerd's process id (the workerd bench reads its CPU time). */
  pid: number;
  stop: () => Promise<void>;
}

/** Bundles the Workers, starts workerd and waits until every socket answers. */
export async function startWorkerd(bin: string, env: Record<string, string>): Promise<Workerd> {
  const dir = mkdtempSync(join(tmpdir(), "age-rt-workerd-"));
  const out = join(dir, "out");
  mkdirSync(out);
  await build({
    entryPoints: WORKERS.map((w) => join(SRC, w)),
    outdir: out,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"], // wrangler's
    plugins: [wasmModules(out)],
    logLevel: "warning",
  });
  copyFileSync(join(SRC, "config.capnp"), join(dir, "config.capnp"));

  const ports = await Promise.all(SOCKETS.map(() => freePort()));
  const args = ["serve", "config.capnp", ...SOCKETS.flatMap((s, i) => ["--socket-addr", `${s}=127.0.0.1:${ports[i]}`])];
  const child: ChildProcess = spawn(bin, args, { cwd: dir, env: { ...env, PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout!.setEncoding("utf8").on("data", (d) => (log += d));
  child.stderr!.setEncoding("utf8").on("data", (d) => (log += d));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = Object.fromEntries(SOCKETS.map((s, i) => [s, `http://127.0.0.1:${ports[i]}/`])) as Record<SocketName, string>;

  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  // workerd binds every socket before it serves any: one answering is enough.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited ${child.exitCode}:\n${log}`);
    try {
      await fetch(url.echo, { method: "POST", body: "up?" });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`workerd: not answering after 60 s:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { url, log: () => log, pid: child.pid!, stop };
}
