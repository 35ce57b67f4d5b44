// Helpers for tests/cli.test.ts: run the built CLI (dist/cli/*.js) as a
// child process, and drive it through a real pseudo-terminal (a python3
// pty, so /dev/tty is that terminal and prompts can be answered).
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const AGE_RT = join(ROOT, "dist", "cli", "age-rt.js");
export const AGE_RT_KEYGEN = join(ROOT, "dist", "cli", "age-rt-keygen.js");

/** The newest modification time of the files under a directory. */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestUnder(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ (npm run build:ts) when the CLI is missing or older than anything in src/. */
export function ensureBuilt(): void {
  const newest = newestUnder(join(ROOT, "src"));
  if (existsSync(AGE_RT) && existsSync(AGE_RT_KEYGEN) && statSync(AGE_RT).mtimeMs >= newest) return;
  const r = spawnSync("npm", ["run", "build:ts"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build:ts failed:\n${r.stdout}\n${r.stderr}`);
}

/** The environment without any passphrase variables, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith("AGE_PASSPHRASE")) delete env[k];
  return { ...env, ...extra };
}

export interface RunResult {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a command to completion in its own session (detached, so it has no
 * controlling terminal: /dev/tty cannot be opened, as in a cron job).
 */
export function run(cmd: string, args: string[], opts: { input?: Uint8Array | string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? cleanEnv(), cwd: opts.cwd, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }));
    child.stdin.on("error", () => undefined); // the child may exit before reading it all
    child.stdin.end(opts.input ?? "");
  });
}

export const ageRt = (args: string[], opts?: Parameters<typeof run>[2]) => run(process.execPath, [AGE_RT, ...args], opts);
export const ageRtKeygen = (args: string[], opts?: Parameters<typeof run>[2]) => run(process.execPath, [AGE_RT_KEYGEN, ...args], opts);

// The pty driver: forks the command on a new pseudo-terminal (its controlling
// terminal), answers each expected prompt in turn, and reports everything the
// terminal showed and the exit status as JSON.
const PTY_DRIVER = String.raw`
import json, os, pty, select, sys, time
spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvpe(spec["argv"][0], spec["argv"], spec["env"])
seen = b""
steps = list(spec["steps"])
deadline = time.time() + spec["timeout"]
status = None
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            break
        seen += data
    if steps and steps[0]["expect"].encode() in seen[spec.get("_pos", 0):]:
        step = steps.pop(0)
        spec["_pos"] = seen.rfind(step["expect"].encode()) + len(step["expect"])
        time.sleep(0.05)
        os.write(fd, step["send"].encode())
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        # Drain what is left on the terminal.
        while True:
            r, _, _ = select.select([fd], [], [], 0.1)
            if not r: break
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data: break
            seen += data
        break
if status is None:
    try:
        _, status = os.waitpid(pid, 0 if time.time() < deadline else os.WNOHANG)
    except ChildProcessError:
        pass
if status is None:
    os.kill(pid, 9)
    print(json.dumps({"status": None, "output": seen.decode("utf-8", "replace"), "timeout": True}))
else:
    print(json.dumps({"status": os.waitstatus_to_exitcode(status), "output": seen.decode("utf-8", "replace"), "timeout": False}))
`;

export interface PtyResult {
  status: number | null;
  /** Everything the terminal displayed (prompts, echoes, stderr). */
  output: string;
  timeout: boolean;
}

/**
 * Runs `argv` (through sh -c when it is a single string, e.g. to pipe data
 * into the command while its terminal is the pty) on a pseudo-terminal,
 * sending each step's `send` once its `expect` text has appeared.
 */
export function runOnPty(argv: string[], steps: Array<{ expect: string; send: string }>, opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeout?: number } = {}): PtyResult {
  const spec = { argv, steps, env: opts.env ?? cleanEnv(), cwd: opts.cwd ?? process.cwd(), timeout: opts.timeout ?? 30 };
  const r: SpawnSyncReturns<string> = spawnSync("python3", ["-c", PTY_DRIVER, JSON.stringify(spec)], { encoding: "utf8", timeout: (spec.timeout + 10) * 1000 });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PtyResult;
}
