// Decryption with a worker pool (API.md "Several cores"): the header, the
// nonce, ASCII armor and every decision about the end of the stream stay
// with the push decoder on this thread; the payload's chunks in between go
// to the workers in runs.
//
// A run holds only chunks that are not final by position or by trial:
// age v1 full chunks followed by more input (C2SP age.md "Payload": only the
// last chunk may be final), age-rt v0.2 whole frames with valid lengths,
// which the worker opens as non-final. A run's plaintext is released when it
// lands and every run before it has been, so output order and the release
// rule are the single-threaded path's. When a chunk of a run does not open
// as non-final (the final chunk of an age-rt stream, a final full age v1
// chunk followed by trailing data, or corruption), the chunks before it are
// released, the runs after it are dropped, and the decoder is fed the rest
// from that chunk on: it tells the final chunk from a forged one and throws
// its own typed error, exactly as without a pool.
//
// Until a worker has started (tens of milliseconds), this thread decrypts
// by itself, so a small input never waits for one.
import type { Decoder } from "../decoder/decoder.js";
import { assertBytes } from "../errors.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";
import { Feeder } from "../io/feeder.js";
import { ByteQueue } from "./byte-queue.js";
import { yieldToEvents } from "./yield.js";
import { OrderedRuns, type Sink } from "./ordered-runs.js";
import type { JobResult, PoolCore } from "./pool.js";

const TAG = 16;
/** age-rt runs: frames up to about this many sealed bytes (or one frame, if larger). */
const RUN_BYTES = RUN_CHUNKS * AGE_SEALED_CHUNK;
/** While the workers start, this thread yields to the event loop after about this much payload. */
const YIELD_BYTES = 1 << 20;
/** age-rt runs: at most this many frames, however small. */
const RUN_FRAMES = 1024;

interface Run {
  n: number;
  /** Sealed bytes the run took from the input (frames with their prefixes). */
  bytes: number;
  /** age-rt: each frame's plaintext length; null for age v1's full chunks. */
  plain: number[] | null;
}

export class PooledDecrypter extends OrderedRuns<Run> {
  private readonly q = new ByteQueue();
  /** Armored input: the single-threaded path throughout. */
  private feeder: Feeder | null = null;
  /** After a run stopped at a chunk that is not non-final: the decoder alone, to the end. */
  private sequential = false;
  /** Bytes of runs dropped after such a chunk; any means trailing data if the decoder is done. */
  private lost = 0;
  /** Whether this stream has asked the pool to start its workers. */
  private started = false;
  /** Payload bytes this thread decrypted by itself (the pool cold). */
  private coldTotal = 0;
  /** Payload bytes this thread decrypted since it last let the workers' messages in. */
  private coldBytes = 0;
  /** STREAM counter of the next chunk to put in a run. */
  private next = 0;

  constructor(private readonly dec: Decoder, pool: PoolCore, sink: Sink) {
    super(pool, sink);
  }

  protected accept(blob: Uint8Array): void {
    assertBytes("decoder input", blob);
    this.q.push(blob);
  }

  protected bytesOf(run: Run): number {
    return run.bytes;
  }

  protected async advance(): Promise<void> {
    const dec = this.dec;
    for (;;) {
      if (this.feeder !== null) return this.viaFeeder();
      if (dec.pending !== null) {
        await dec.pending; // an asynchronous identity
        continue;
      }
      if (dec._takesText) {
        this.toFeeder();
        continue;
      }
      // While runs are in flight the decoder stands where the first of them starts.
      const payload = this.sequential ? null : dec._poolPayload;
      if (payload !== null && this.stream === -1) this.stream = this.pool.openStream(payload.key);
      // The workers start once a run's worth has come (a small input never pays for them), while this thread decrypts.
      if (payload !== null && !this.started && (this.q.length >= RUN_BYTES || this.coldTotal >= RUN_BYTES)) {
        this.started = true;
        this.pool.start();
      }
      if (payload === null || (this.flights.length === 0 && !this.pool.warm)) {
        const before = this.q.length;
        if (!this.feedDecoder()) break;
        if (payload !== null) this.coldTotal += before - this.q.length;
        if (payload !== null && this.started && (this.coldBytes += before - this.q.length) >= YIELD_BYTES) {
          this.coldBytes = 0;
          await yieldToEvents(); // let the workers' first answer in
        }
        continue;
      }
      if (this.flights.length === 0) this.next = payload.counter;
      if (this.formRun(payload.format, payload.maxChunk)) {
        while (this.flights.length >= this.maxFlights) await this.landed();
        this.check();
        continue;
      }
      if (this.flights.length === 0) {
        // Less than a chunk, or a frame length the decoder must judge: it takes the next feed itself.
        if (!this.feedDecoder()) break;
        continue;
      }
      if (!this.ending) return;
      await this.landed();
      this.check();
    }
    if (this.ending) {
      await this.drained();
      this.feedDecoder(); // a short final chunk (age v1)
      this.dec._end();
      this.cleanup();
    }
  }

  /**
   * Cuts the next run off the input and sends it, or returns false when the
   * input holds none worth sending now.
   */
  private formRun(format: "age" | "age-rt", maxChunk: number): boolean {
    const q = this.q;
    let run: Run;
    if (format === "age") {
      // Followed by at least one more byte: not final.
      const n = Math.min(RUN_CHUNKS, Math.floor((q.length - 1) / AGE_SEALED_CHUNK));
      if (n < 1 || (n < RUN_CHUNKS && !this.workerFree && !this.ending)) return false;
      run = { n, bytes: n * AGE_SEALED_CHUNK, plain: null };
    } else {
      const plain: number[] = [];
      let at = 0;
      while (plain.length < RUN_FRAMES && at < RUN_BYTES && at + 4 <= q.length) {
        const len = q.peekU32(at);
        if (len < TAG || len > maxChunk + TAG || at + 4 + len > q.length) break; // the decoder judges a bad length
        plain.push(len - TAG);
        at += 4 + len;
      }
      if (plain.length === 0 || (at < RUN_BYTES / 2 && !this.workerFree && !this.ending)) return false;
      run = { n: plain.length, bytes: at, plain };
    }
    const buf = this.buffer(run.bytes);
    q.takeInto(new Uint8Array(buf, 0, run.bytes)); // the buffer may be larger (a recycled one)
    const counter = this.next;
    this.next += run.n;
    this.fly(run, { op: "open", counter, n: run.n, size: AGE_CHUNK, lens: format === "age" ? null : [], bytes: run.bytes, buf });
    return true;
  }

  protected release(run: Run, result: JobResult): void {
    const opened = result.done;
    let plainBytes = 0;
    let sealedBytes = 0;
    if (run.plain === null) {
      plainBytes = opened * AGE_CHUNK;
      sealedBytes = opened * AGE_SEALED_CHUNK;
    } else {
      for (let i = 0; i < opened; i++) {
        plainBytes += run.plain[i]!;
        sealedBytes += 4 + run.plain[i]! + TAG;
      }
    }
    if (plainBytes > 0) this.sink.emit(new Uint8Array(result.buf, 0, plainBytes));
    if (opened > 0) this.dec._skipChunks(opened, sealedBytes);
    if (opened === run.n) return;
    // Chunk `opened` is not a non-final chunk: the decoder takes over from it, and nothing after it is released.
    this.sequential = true;
    this.lost += this.dropFlights();
    this.q.unshift(new Uint8Array(result.buf, sealedBytes, run.bytes - sealedBytes)); // sealed bytes, left in place by the worker
    this.closeStream();
  }

  /**
   * Gives the decoder its next feed from the input (whole chunks in one
   * call where it takes runs). Returns false when the input holds too little.
   */
  private feedDecoder(): boolean {
    const dec = this.dec;
    const q = this.q;
    if (dec.pending !== null || dec._takesText) return true; // advance() handles these
    if (dec.isDone()) {
      if (q.length > 0 || this.lost > 0) dec._trailing(q.length > 0 ? q.take(q.length) : new Uint8Array(this.lost)); // throws
      return false;
    }
    const unit = dec._runUnit;
    if (unit > 0) {
      const n = Math.min(RUN_CHUNKS, Math.floor((q.length - 1) / unit));
      if (n >= 2) {
        const sealed = q.take(n * unit);
        const chunks = dec._feedRun(sealed);
        for (const c of chunks) this.sink.emit(c);
        if (chunks.length === n) return true;
        q.unshift(sealed.subarray(chunks.length * unit)); // a chunk did not open as non-final: the single-chunk path decides
      }
    }
    const wanted = dec.bytesWanted;
    if (q.length >= wanted) {
      const out = dec.feed(q.take(wanted));
      if (out !== null && out.length > 0) this.sink.emit(out);
      return true;
    }
    if (this.ending && q.length > 0 && dec._acceptsShortRead) {
      const out = dec.feed(q.take(q.length));
      if (out !== null && out.length > 0) this.sink.emit(out);
      return true;
    }
    return false;
  }

  /** Armored input: everything queued, and all that follows, goes through a Feeder. */
  private toFeeder(): void {
    this.feeder = new Feeder(this.dec);
    const rest = this.q.take(this.q.length);
    this.q.clear();
    this.emitAll(this.feeder.push(rest));
  }

  private async viaFeeder(): Promise<void> {
    const f = this.feeder!;
    if (this.q.length > 0) this.emitAll(f.push(this.q.take(this.q.length)));
    if (f.waiting !== null) await f.settle((out) => this.sink.emit(out));
    if (this.ending) {
      this.emitAll(f.end());
      this.cleanup();
    }
  }

  private emitAll(outs: Iterable<Uint8Array>): void {
    for (const out of outs) if (out.length > 0) this.sink.emit(out);
  }

  private closeStream(): void {
    if (this.stream >= 0) this.pool.closeStream(this.stream);
    this.stream = -2; // closed: no more runs
  }

  protected cleanup(): void {
    this.closeStream();
    this.q.clear();
  }
}
