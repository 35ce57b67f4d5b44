// An age plugin as a child process (C2SP age-plugin, "State machines"):
// age-plugin-NAME from PATH, started with --age-plugin=STATE_MACHINE in the
// temporary directory (plugins must not depend on the working directory),
// spoken to over its standard input and output. Its standard error is kept
// (the last lines) to explain a failure.
//
// Never a hang: a plugin that exits, closes its output or sends nonsense
// fails the pending receive at once, and one that stays silent longer than
// `timeoutMs` is killed. The clock stops while the client itself is busy
// (e.g. waiting for the user to type a PIN the plugin asked for).
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { PluginError } from "../errors.js";
import { encodeStanza } from "../format/header.js";
import type { Stanza } from "../format/stanza.js";
import { StanzaReader } from "../format/stanza-reader.js";
import type { PluginChannel } from "../plugin/protocol.js";

/** Default silence allowed from a plugin: long enough for a hardware key's touch or PIN pad. */
export const DEFAULT_PLUGIN_TIMEOUT_MS = 5 * 60 * 1000;
const STDERR_KEEP = 4096;

export interface PluginProcessOptions {
  /** Longest silence from the plugin before it is killed (ms, default 5 minutes). */
  timeoutMs?: number;
  /** Called once when the plugin has been silent for 5 s (a hint to touch a key). */
  onWait?: (plugin: string) => void;
}

export class PluginProcess implements PluginChannel {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly reader = new StanzaReader();
  private readonly queue: Stanza[] = [];
  private failure: PluginError | null = null;
  private waiter: { resolve: (s: Stanza) => void; reject: (e: Error) => void } | null = null;
  private stderr = "";
  private timer: NodeJS.Timeout | null = null;
  private waitTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly timeoutMs: number;

  constructor(readonly plugin: string, stateMachine: "recipient-v1" | "identity-v1", private readonly opts: PluginProcessOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
    // Required here, not imported: node:child_process (with node:net and node:dgram) is then loaded only when a plugin runs.
    const { spawn } = createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process");
    this.child = spawn(`age-plugin-${plugin}`, [`--age-plugin=${stateMachine}`], { cwd: tmpdir(), stdio: ["pipe", "pipe", "pipe"] });
    this.child.on("error", (e: NodeJS.ErrnoException) => {
      this.fail(e.code === "ENOENT" ? `age-plugin-${plugin} not found in PATH` : `could not start age-plugin-${plugin}: ${e.code ?? e.message}`);
    });
    this.child.stdin.on("error", () => undefined); // an early exit is reported by "exit"/"close"
    this.child.stdout.on("data", (data: Buffer) => {
      if (this.failure) return;
      try {
        this.queue.push(...this.reader.push(data));
      } catch (e) {
        this.fail(`sent a malformed message: ${(e as Error).message}`);
        return;
      }
      this.deliver();
    });
    this.child.stderr.on("data", (data: Buffer) => {
      this.stderr = (this.stderr + data.toString("utf8")).slice(-STDERR_KEEP);
    });
    this.child.on("close", (code, signal) => {
      if (this.closed) return;
      const why = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      this.fail(`${why} before finishing the protocol${this.stderrTail()}`);
    });
  }

  private stderrTail(): string {
    const line = this.stderr.trim().split("\n").filter((l) => l.trim() !== "").at(-1);
    return line ? ` (its last error output: ${JSON.stringify(line.slice(0, 300))})` : "";
  }

  private fail(message: string): void {
    if (this.failure !== null || this.closed) return;
    this.failure = new PluginError(this.plugin, message);
    this.stopTimers();
    this.child.kill("SIGKILL");
    if (this.waiter) {
      this.waiter.reject(this.failure);
      this.waiter = null;
    }
  }

  private deliver(): void {
    if (this.waiter && this.queue.length > 0) {
      const w = this.waiter;
      this.waiter = null;
      this.stopTimers();
      w.resolve(this.queue.shift()!);
    }
  }

  private stopTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.timer = this.waitTimer = null;
  }

  async send(stanzas: readonly Stanza[]): Promise<void> {
    if (this.failure) throw this.failure;
    const text = stanzas.map(encodeStanza).join("");
    await new Promise<void>((resolve) => this.child.stdin.write(text, () => resolve()));
    if (this.failure) throw this.failure;
  }

  receive(): Promise<Stanza> {
    if (this.queue.length > 0) return Promise.resolve(this.queue.shift()!);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Stanza>((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.timer = setTimeout(() => this.fail(`no answer for ${Math.round(this.timeoutMs / 1000)} s`), this.timeoutMs);
      if (this.opts.onWait) this.waitTimer = setTimeout(() => this.opts.onWait!(this.plugin), 5000);
    });
  }

  /** Ends the conversation: closes the pipes, lets the plugin exit (killed if it lingers). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopTimers();
    this.child.stdin.end();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => this.child.kill("SIGKILL"), 2000);
      this.child.once("close", () => {
        clearTimeout(kill);
        resolve();
      });
      this.child.kill("SIGINT");
    });
  }
}
