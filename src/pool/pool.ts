// The worker pool behind createWorkerPool (API.md "Several cores"): starts
// its workers on first use, sends each one the compiled WebAssembly module
// once, and hands out runs of chunks (jobs) to the least busy worker. A
// stream's payload key goes to a worker with the stream's first job there,
// and is dropped (wiped in the worker, here too) when the stream closes.
//
// Workers are unref'd while they have no job, so an idle pool does not keep
// Node's event loop alive. A worker that dies fails its jobs with a
// WorkerPoolError and is replaced on the next job; close() terminates every
// worker and fails whatever was pending the same way.
import { UsageError, WorkerPoolError } from "../errors.js";
import { coreBytes, coreModule, hasWebAssembly } from "../wasm/loader.js";
import { startThread, type PoolThread } from "./hosts.js";

/** One run for a worker: the chunks' bytes travel in `buf`, there and back, by transfer. */
export interface Job {
  op: "open" | "seal";
  /** STREAM counter of the run's first chunk. */
  counter: number;
  /** Chunks in the run. */
  n: number;
  /** age v1: the chunk size (plaintext); unused for frames. */
  size: number;
  /** age-rt frames: each chunk's plaintext length (seal) — null for age v1's equal chunks; open: frames are read from buf. */
  lens: number[] | null;
  /** Bytes of buf the run spans (frames). */
  bytes: number;
  buf: ArrayBuffer;
}

/** A finished job: the buffer back, and how many chunks were opened (or sealed). */
export interface JobResult {
  buf: ArrayBuffer;
  done: number;
}

interface Pending {
  resolve(r: JobResult): void;
  reject(e: unknown): void;
  thread: Thread;
  /** A stream's job (not a warm-up). */
  counted: boolean;
}

interface Thread {
  port: PoolThread;
  busy: number;
  /** Streams whose key this worker holds. */
  keys: Set<number>;
  dead: boolean;
  /** Resolves once the worker has answered a first message (it is running). */
  warm: boolean;
}

export class PoolCore {
  private readonly threadList: Thread[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly streamKeys = new Map<number, Uint8Array>();
  private nextJob = 1;
  /** Jobs the workers finished (tests check that a stream really used the pool). */
  jobsDone = 0;
  private nextStream = 1;
  private closed = false;

  constructor(readonly threads: number) {}

  /** Whether a worker has answered already (started, module instantiated). */
  get warm(): boolean {
    return this.threadList.some((t) => t.warm && !t.dead);
  }

  /** Workers started so far (none until a stream has a run's worth of input). */
  get started(): number {
    return this.threadList.length;
  }

  /** Starts the workers now rather than at the first job (the CLI overlaps it with reading the header). */
  start(): void {
    this.checkOpen();
    this.fill();
    // A no-op job answers once the worker has instantiated its module: that is when it is warm.
    for (const t of this.threadList) {
      if (!t.warm) void this.dispatch(t, { op: "seal", counter: 0, n: 0, size: 0, lens: [], bytes: 0, buf: new ArrayBuffer(0) }, -1).catch(() => {});
    }
  }

  /** Registers a stream's payload key (copied); returns the stream's id. */
  openStream(key: Uint8Array): number {
    this.checkOpen();
    const id = this.nextStream++;
    // A copy, whatever the view (a Node Buffer's slice() would share the caller's memory, and closeStream wipes it).
    this.streamKeys.set(id, new Uint8Array(key));
    return id;
  }

  /** Forgets a stream: its key is wiped here and in every worker that holds it. */
  closeStream(stream: number): void {
    this.streamKeys.get(stream)?.fill(0);
    this.streamKeys.delete(stream);
    for (const t of this.threadList) {
      if (t.keys.delete(stream) && !t.dead) t.port.post({ t: "drop", stream });
    }
  }

  /** Runs a job on the least busy worker. Rejects with WorkerPoolError if it dies or the pool closes. */
  run(stream: number, job: Job): Promise<JobResult> {
    this.checkOpen();
    this.fill();
    let best: Thread | null = null;
    for (const t of this.threadList) if (!t.dead && (best === null || t.busy < best.busy)) best = t;
    if (best === null) best = this.spawn();
    return this.dispatch(best, job, stream);
  }

  /**
   * @internal File runs (file-runs.ts, Node): every live worker claims runs
   * with `claim(k)` (k: its index among them) until none are left or the
   * caller says stop. One promise per worker: the runs it did, or a
   * WorkerPoolError if it dies or the pool closes.
   */
  claimEach(stream: number, claim: (k: number) => object): Promise<number>[] {
    this.checkOpen();
    this.fill();
    return this.threadList.filter((t) => !t.dead).map((t, k) => this.dispatch(t, null, stream, claim(k)).then((r) => r.done));
  }

  private dispatch(t: Thread, job: Job | null, stream: number, claim?: object): Promise<JobResult> {
    if (stream >= 0 && !t.keys.has(stream)) {
      const key = this.streamKeys.get(stream);
      if (key === undefined) return Promise.reject(new UsageError("a pooled stream was used after it closed"));
      t.keys.add(stream);
      t.port.post({ t: "key", stream, key });
    }
    const id = this.nextJob++;
    return new Promise<JobResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, thread: t, counted: stream >= 0 });
      if (t.busy++ === 0) t.port.ref(true);
      if (job !== null) t.port.post({ t: "job", id, stream, ...job }, [job.buf]);
      else t.port.post({ t: "claim", id, stream, ...claim });
    });
  }

  /** Starts workers until `threads` are alive (replacing dead ones). */
  private fill(): void {
    let alive = this.threadList.filter((t) => !t.dead).length;
    while (alive++ < this.threads) this.spawn();
  }

  private spawn(): Thread {
    const wasm = hasWebAssembly();
    const module = wasm ? coreModule() : null;
    const bytes = wasm && module === null ? coreBytes() : null;
    if (module === null && bytes === null) throw new WorkerPoolError("a worker pool needs the WebAssembly core, which this engine cannot run");
    const t: Thread = { port: null as unknown as PoolThread, busy: 0, keys: new Set(), dead: false, warm: false };
    try {
      t.port = startThread({
        message: (m) => this.answer(t, m),
        died: (reason) => this.bury(t, reason),
      });
    } catch (cause) {
      throw new WorkerPoolError(`cannot start a pool worker: ${(cause as Error)?.message ?? cause}`, { cause });
    }
    try {
      t.port.post({ t: "init", module });
    } catch {
      t.port.post({ t: "init", bytes }); // a host that cannot post compiled modules compiles the bytes again
    }
    // Replace a dead worker in place, so threads stays the count.
    const dead = this.threadList.findIndex((d) => d.dead);
    if (dead >= 0) this.threadList[dead] = t;
    else this.threadList.push(t);
    return t;
  }

  private answer(t: Thread, m: { t: string; id: number; buf?: ArrayBuffer; done?: number; message?: string }): void {
    t.warm = true;
    const p = this.pending.get(m.id);
    if (p === undefined) return;
    this.pending.delete(m.id);
    if (--t.busy === 0) t.port.ref(false);
    if (m.t === "done") {
      if (p.counted) this.jobsDone++;
      p.resolve({ buf: m.buf!, done: m.done! });
    }
    else p.reject(new WorkerPoolError(`a pool worker failed a job: ${m.message}`));
  }

  /** A worker died: its jobs fail, its keys are gone with it; the next job starts a new one. */
  private bury(t: Thread, reason: string): void {
    if (t.dead) return;
    t.dead = true;
    t.keys.clear();
    this.failJobs((p) => p.thread === t, reason);
  }

  private failJobs(which: (p: Pending) => boolean, reason: string): void {
    for (const [id, p] of [...this.pending]) {
      if (!which(p)) continue;
      this.pending.delete(id);
      p.thread.busy--;
      p.reject(new WorkerPoolError(reason));
    }
  }

  /** Terminates every worker; pending jobs reject with WorkerPoolError; keys are wiped. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const key of this.streamKeys.values()) key.fill(0);
    this.streamKeys.clear();
    for (const t of this.threadList) {
      t.dead = true;
      t.port.terminate();
    }
    this.failJobs(() => true, "the worker pool was closed while this stream was running");
    this.threadList.length = 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** @internal For tests: kills worker `i` as a crash would. */
  killWorker(i: number): void {
    const t = this.threadList[i];
    if (t === undefined) return;
    t.port.terminate();
    this.bury(t, "a pool worker was terminated"); // browsers report no event for terminate()
  }

  private checkOpen(): void {
    if (this.closed) throw new UsageError("this worker pool is closed");
  }
}
