// What the pooled decryption and encryption share (API.md "Several cores"):
// runs sent to the pool's workers as the input allows, their results
// released strictly in input order as each lands, a bound on the runs in
// flight (backpressure: push() waits), and sticky errors. Once something
// failed, no later result is released: each is wiped as it lands.
//
// The caller's calls (push, end) and the work they cause run one at a time
// on a promise chain; results land in between and are released at once, so
// a slow producer still gets its output as soon as a worker is done.
import { AGE_SEALED_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";
import type { Job, JobResult, PoolCore } from "./pool.js";
import { uninitializedBuffer } from "./run-buffer.js";

/** Where a pooled transformer's output goes. */
export interface Sink {
  /** Output bytes, in order. */
  emit(bytes: Uint8Array): void;
  /** A failure found while no call was running (a run landed badly); push() and end() reject with it too. */
  fail(error: unknown): void;
}

interface Flight<T> {
  readonly meta: T;
  result: JobResult | null;
  error: unknown;
  settled: boolean;
  dropped: boolean;
}

/** Bytes of a run buffer: RUN_CHUNKS sealed age v1 chunks (and their frames' length prefixes). */
export const RUN_CAPACITY = RUN_CHUNKS * (AGE_SEALED_CHUNK + 4);

/** Runs in flight per worker before push() waits: one being worked on, one queued behind it, one landing. */
const FLIGHTS_PER_THREAD = 3;
/**
 * ...and at least this many in all, up to six per worker. With as many workers as cores (a pool of 2 on
 * 2 cores) this thread competes with them for a core, and a deeper queue keeps them busy while it waits:
 * 128 MiB in 1 MiB pieces, pool of 2, processes alternated, medians of 8/8/5 runs: 3 per worker 1.60× /
 * 1.69× the single-threaded path (decrypt / encrypt), 4 per worker 1.67× / 1.73×, 6 per worker 1.72× / 1.75×.
 */
const MIN_FLIGHTS = 12;

export abstract class OrderedRuns<T> {
  protected flights: Flight<T>[] = [];
  protected error: unknown = null;
  protected ending = false;
  /** The pool's id of this stream (its key), or -1 before the first run. */
  protected stream = -1;
  private chain: Promise<void> = Promise.resolve();
  private waiters: Array<() => void> = [];
  private idle = true;
  /** Run buffers handed back by a consumer done with them (recycle()), for the next runs. */
  private spare: ArrayBuffer[] = [];

  constructor(protected readonly pool: PoolCore, protected readonly sink: Sink) {}

  /** Most runs in flight at once. */
  protected get maxFlights(): number {
    const threads = this.pool.threads;
    return Math.max(FLIGHTS_PER_THREAD * threads, Math.min(MIN_FLIGHTS, 2 * FLIGHTS_PER_THREAD * threads));
  }

  /** Whether a worker is likely free: then a run shorter than the usual is worth sending now. */
  protected get workerFree(): boolean {
    return this.flights.length < this.pool.threads;
  }

  /** Takes the input (no work yet); `advance` then does what it allows. */
  protected abstract accept(bytes: Uint8Array): void;
  /** Sends what runs it can, or works sequentially; awaits `landed()` for backpressure. */
  protected abstract advance(): Promise<void>;
  /** Releases a landed run (in order). */
  protected abstract release(meta: T, result: JobResult): void;
  /** Wipes key material and pending input; called once, on the first error or at the end. */
  protected abstract cleanup(): void;

  /** Takes the next input piece; resolves when the transformer is ready for more. */
  push(bytes: Uint8Array): Promise<void> {
    if (this.error !== null) return Promise.reject(this.error);
    this.accept(bytes);
    return this.schedule();
  }

  /** The input has ended: resolves once everything is released (or rejects with the error). */
  end(): Promise<void> {
    this.ending = true;
    return this.schedule();
  }

  /** Stops: the caller gave up (a cancelled stream). Nothing more is released. */
  cancel(reason?: unknown): void {
    this.die(reason ?? new Error("cancelled"), false);
  }

  /**
   * Hands back the buffer of an output the consumer no longer needs (the
   * CLI, once written): later runs reuse it, so a long stream allocates no
   * fresh memory per run, which V8 would free only at a full collection.
   */
  recycle(buf: ArrayBufferLike): void {
    if (this.spare.length < this.maxFlights && buf instanceof ArrayBuffer && buf.byteLength >= RUN_CAPACITY && !this.spare.includes(buf)) {
      this.spare.push(buf);
    }
  }

  /**
   * A buffer of at least `bytes` for a run: a recycled one, or a new one — of a full run's size when the
   * run is more than half of one (so it can be recycled), else of its own size (a small run, sent because
   * a worker is free, does not make or hand out a megabyte). Neither is zeroed: the caller fills it, and
   * fly() zeroes what the run does not cover.
   */
  protected buffer(bytes: number): ArrayBuffer {
    for (let i = this.spare.length - 1; i >= 0; i--) {
      if (this.spare[i]!.byteLength >= bytes) return this.spare.splice(i, 1)[0]!;
    }
    return uninitializedBuffer(bytes > RUN_CAPACITY / 2 ? Math.max(bytes, RUN_CAPACITY) : bytes);
  }

  /** Sends a run to the pool; it is released in order once it lands. */
  protected fly(meta: T, job: Job): void {
    // Past job.bytes: old heap memory, an earlier output, or plaintext that moved on to the next run. The
    // worker writes only the run's bytes, and the consumer gets this buffer behind its views: nothing else goes.
    new Uint8Array(job.buf).fill(0, job.bytes);
    const f: Flight<T> = { meta, result: null, error: null, settled: false, dropped: false };
    this.flights.push(f);
    this.pool.run(this.stream, job).then(
      (r) => {
        f.result = r;
      },
      (e: unknown) => {
        f.error = e;
      },
    ).finally(() => {
      f.settled = true;
      if (f.dropped && f.result !== null) new Uint8Array(f.result.buf).fill(0);
      this.land();
    });
  }

  /** Drops every run still in flight: none of them will be released (each is wiped as it lands). */
  protected dropFlights(): number {
    let bytes = 0;
    for (const f of this.flights) {
      f.dropped = true;
      if (f.result !== null) new Uint8Array(f.result.buf).fill(0);
      bytes += this.bytesOf(f.meta);
    }
    this.flights = [];
    return bytes;
  }

  /** Input bytes a run took (for a message about what was dropped). */
  protected abstract bytesOf(meta: T): number;

  /** Resolves at the next landing (or at once when nothing is in flight). */
  protected landed(): Promise<void> {
    if (this.flights.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Waits until every run in flight has been released. */
  protected async drained(): Promise<void> {
    while (this.flights.length > 0 && this.error === null) await this.landed();
    this.check();
  }

  protected check(): void {
    if (this.error !== null) throw this.error;
  }

  private land(): void {
    while (this.flights.length > 0 && this.flights[0]!.settled && this.error === null) {
      const f = this.flights.shift()!;
      if (f.error !== null) {
        this.die(f.error, true);
        break;
      }
      try {
        this.release(f.meta, f.result!);
      } catch (e) {
        this.die(e, true);
      }
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    // Work the input left waiting for a free worker (a producer that paused).
    // A failure there has no caller to reject: the sink hears of it.
    if (this.error === null && this.idle && !this.ending) void this.schedule().catch((e: unknown) => this.sink.fail(e));
  }

  private schedule(): Promise<void> {
    const next = this.chain.then(async () => {
      this.check();
      this.idle = false;
      try {
        await this.advance();
      } catch (e) {
        this.die(e, false);
        throw e;
      } finally {
        this.idle = true;
      }
    });
    this.chain = next.catch(() => {});
    return next;
  }

  /** The first error wins: stop, wipe, drop what is in flight, and tell the sink when no call will. */
  protected die(error: unknown, background: boolean): void {
    if (this.error !== null) return;
    this.error = error;
    this.dropFlights();
    this.cleanup();
    this.spare = [];
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    if (background) this.sink.fail(error);
  }
}
