// Starts a pool worker on the host at hand (API.md "Several cores"): a module
// Worker from a Blob URL where the global `Worker` exists (browsers, Deno,
// Bun), Node's worker_threads otherwise. The main entry imports no Node
// built-ins: worker_threads is looked up at run time, with
// process.getBuiltinModule (Node ≥ 20.16), so no bundler sees it.
//
// Both run the same source text: poolWorkerMain (worker-main.ts), wrapped
// in a line that connects it to the host's message port.
import { keepFreedHeap } from "./keep-freed-heap.js";
import { poolWorkerMain } from "./worker-main.js";

/** What the pool needs of a started worker, whatever the host. */
export interface PoolThread {
  post(msg: unknown, transfer?: ArrayBuffer[]): void;
  /** Lets an idle worker not keep Node's event loop alive (a no-op elsewhere). */
  ref(active: boolean): void;
  terminate(): void;
}

/** What a started worker reports: its messages, and its death (error or exit) once. */
export interface ThreadEvents {
  message(msg: any): void;
  died(reason: string): void;
}

interface NodeWorker {
  postMessage(msg: unknown, transfer?: ArrayBuffer[]): void;
  on(event: string, fn: (arg: any) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}
type NodeWorkerClass = new (src: string, opts: { eval: true; resourceLimits?: { maxYoungGenerationSizeMb?: number } }) => NodeWorker;

/** Just under glibc's largest dynamic mmap threshold (32 MiB); 16 MiB still left ~10 000 page faults per 128 MiB. */
const POOL_KEPT_HEAP = (32 << 20) - (64 << 10);

const BODY = `(${poolWorkerMain.toString()})`;

/** Node-only jobs the workers started from now on also serve (message type → function source). */
const nodeExtensions = new Map<string, string>();

/**
 * Makes Node workers started from now on answer messages of type `type`
 * with `fn(msg, worker, ...helpers)` (worker-main.ts, WorkerCore): the Node
 * host's own jobs, such as file runs (file-runs.ts), which read files with
 * node:fs. `fn` and `helpers` are started from their source text, so each
 * must be self-contained like poolWorkerMain. The module that defines it
 * registers it; a program that never imports that module carries none of it.
 */
export function addNodeWorkerExtension<H extends ((...args: any[]) => unknown)[]>(
  type: string,
  fn: (msg: any, worker: any, ...helpers: H) => number,
  ...helpers: H
): void {
  nodeExtensions.set(type, `(m, w) => (${fn})(m, w${helpers.map((h) => `, (${h})`).join("")})`);
}

/** Node's worker_threads Worker class, or null when this is not Node (or it hides its built-ins). */
function nodeWorkerClass(): NodeWorkerClass | null {
  const proc = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => any } }).process;
  if (typeof proc?.versions?.node !== "string" || typeof proc.getBuiltinModule !== "function") return null;
  return (proc.getBuiltinModule("node:worker_threads")?.Worker as NodeWorkerClass | undefined) ?? null;
}

/** Whether this host can start pool workers. */
export function canStartThreads(): boolean {
  // Bun and Deno define `process` too, and their global Worker is the one they document.
  return typeof (globalThis as { Worker?: unknown }).Worker === "function" || nodeWorkerClass() !== null;
}

/** Starts one worker; throws when the host cannot. */
export function startThread(events: ThreadEvents): PoolThread {
  const WebWorker = (globalThis as { Worker?: typeof Worker }).Worker;
  const NodeWorkerClass = typeof WebWorker === "function" ? null : nodeWorkerClass();
  if (NodeWorkerClass !== null) return startNode(NodeWorkerClass, events);
  if (typeof WebWorker !== "function") throw new Error("this host has no Worker and no worker_threads");
  return startWeb(WebWorker, events);
}

function startNode(NodeWorkerClass: NodeWorkerClass, events: ThreadEvents): PoolThread {
  keepFreedHeap(POOL_KEPT_HEAP); // runs are fresh ~1 MiB buffers: reuse their memory (keep-freed-heap.ts)
  // process.getBuiltinModule, as above (written with brackets: the edge-runtime bundle test looks for Node globals in the text).
  const ext = [...nodeExtensions].map(([type, fn]) => `${JSON.stringify(type)}: (${fn})`).join(", ");
  const src = `const p = process["getBuiltinModule"]("node:worker_threads").parentPort; ${BODY}((m, t) => p.postMessage(m, t), (f) => p.on("message", f), { ${ext} });`;
  // A worker allocates almost nothing in JavaScript (runs travel as transferred buffers, the work is in
  // WebAssembly memory): a small young generation keeps its resident memory down.
  const w = new NodeWorkerClass(src, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
  let dead = false;
  const die = (reason: string) => {
    if (dead) return;
    dead = true;
    events.died(reason);
  };
  w.on("message", (m) => events.message(m));
  w.on("error", (e: Error) => die(`a pool worker failed: ${e?.message ?? e}`));
  w.on("exit", (code: number) => die(`a pool worker exited (code ${code})`));
  w.unref();
  return {
    post: (m, t) => w.postMessage(m, t),
    ref: (active) => (active ? w.ref() : w.unref()),
    terminate: () => void w.terminate(),
  };
}

function startWeb(WebWorker: typeof Worker, events: ThreadEvents): PoolThread {
  const src = `${BODY}((m, t) => self.postMessage(m, t ?? []), (f) => { self.onmessage = (e) => f(e.data); });`;
  const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
  let w: Worker;
  try {
    w = new WebWorker(url, { type: "module" });
  } finally {
    // The worker has fetched (or is fetching) its script; Chromium and Firefox keep it once the load started.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  w.onmessage = (e) => events.message(e.data);
  w.onerror = (e) => {
    e.preventDefault?.();
    events.died(`a pool worker failed: ${e.message ?? "error"}`);
  };
  return {
    post: (m, t) => w.postMessage(m, t ?? []),
    ref: () => {},
    terminate: () => w.terminate(),
  };
}
