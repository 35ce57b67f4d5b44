// Encryption with a worker pool (API.md "Several cores"): the encoder keeps
// its header, its counter and the final chunk; the workers seal runs of
// non-final chunks under the same payload key and counters, so the output
// is byte for byte what the single-threaded path writes for that encoder.
//
// age v1 (C2SP age.md "Payload"): the plaintext is copied as it comes into
// the buffer of the next run (up to RUN_CHUNKS chunks of 64 KiB); a chunk
// goes out only once more input follows it, so the last chunk, sealed here
// with the final flag, is never empty after a full one. age-rt v0.2: each
// piece written is one chunk (split above maxChunkSize), as without a pool,
// and goes out at once; the empty final chunk is sealed here at the end.
//
// Until a worker has started, this thread seals by itself.
import { UsageError, assertBytes } from "../errors.js";
import { AGE_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";
import type { PoolableEncoder } from "./poolable.js";
import { OrderedRuns, type Sink } from "./ordered-runs.js";
import { yieldToEvents } from "./yield.js";
import type { JobResult, PoolCore } from "./pool.js";

const TAG = 16;


interface Run {
  /** Bytes of output the run fills. */
  bytes: number;
}

export class PooledEncrypter extends OrderedRuns<Run> {
  /** age v1: the chunk size; 0 for age-rt (a chunk per piece). */
  private readonly size: number;
  /** age v1: the next run's buffer, plaintext filling it from the start. */
  private cur: Uint8Array | null = null;
  private fill = 0;
  /** Plaintext sealed on this thread (the pool cold); the workers start after a run's worth. */
  private sealedHere = 0;
  private started = false;

  constructor(private readonly enc: PoolableEncoder, pool: PoolCore, sink: Sink) {
    super(pool, sink);
    this.size = enc._chunkSize ?? 0;
  }

  /** Waits for an asynchronous recipient, then emits the header. */
  async start(): Promise<void> {
    await this.enc.pending;
    this.sink.emit(this.enc.getHeader());
  }

  protected bytesOf(run: Run): number {
    return run.bytes;
  }

  protected accept(piece: Uint8Array): void {
    assertBytes("plaintext", piece);
    if (this.enc.finalized) throw new UsageError("plaintext after the final chunk: this encoder is finalized");
    if (this.size === 0) return this.frames(piece);
    const size = this.size;
    const full = RUN_CHUNKS * size;
    for (let i = 0; i < piece.length; ) {
      if (this.fill === full) this.send(RUN_CHUNKS); // more input follows: none of them is final
      const cur = (this.cur ??= new Uint8Array(this.buffer(RUN_CHUNKS * (size + TAG))));
      const k = Math.min(full - this.fill, piece.length - i);
      cur.set(piece.subarray(i, i + k), this.fill);
      this.fill += k;
      i += k;
    }
  }

  protected async advance(): Promise<void> {
    if (this.started && !this.pool.warm) await yieldToEvents(); // sealing here while the workers start: let their first answer in
    if (this.size > 0 && this.workerFree) {
      // A worker is free: the whole chunks gathered so far need not wait for a full run.
      const n = Math.floor((this.fill - 1) / this.size);
      if (n >= 1) this.send(n);
    }
    while (this.flights.length >= this.maxFlights) await this.landed();
    this.check();
    if (!this.ending) return;
    if (this.size > 0) {
      const n = Math.floor((this.fill - 1) / this.size);
      if (n >= 1) this.send(n);
    }
    await this.drained();
    if (!this.enc.finalized) {
      const last = this.size > 0 ? (this.cur ?? new Uint8Array(0)).subarray(0, this.fill) : new Uint8Array(0);
      this.sink.emit(this.enc.encodeChunk(last, true));
    }
    this.cleanup();
  }

  /**
   * age v1: seals the first n chunks of the current buffer. A full run takes the buffer with it; a
   * partial one (a worker is free, or the end) goes in a buffer of its own size, and this one keeps the rest.
   */
  private send(n: number): void {
    const size = this.size;
    const cur = this.cur!;
    const bytes = n * size;
    const rest = this.fill - bytes;
    /** The rest to the front, and no plaintext left behind it. */
    const keepRest = () => cur.copyWithin(0, bytes, this.fill).fill(0, rest, this.fill);
    if (!this.pooling()) {
      this.sealedHere += bytes;
      for (const sealed of this.enc._encodeFullChunks!(cur.subarray(0, bytes))) this.sink.emit(sealed);
      keepRest();
      this.fill = rest;
      return;
    }
    let buf: ArrayBuffer;
    if (n === RUN_CHUNKS) {
      buf = cur.buffer as ArrayBuffer; // full: nothing rests
      this.cur = null;
    } else {
      buf = this.buffer(n * (size + TAG));
      new Uint8Array(buf).set(cur.subarray(0, bytes));
      keepRest();
    }
    this.fill = rest;
    const counter = this.enc._reserveChunks(n);
    this.fly({ bytes: n * (size + TAG) }, { op: "seal", counter, n, size, lens: null, bytes: n * (size + TAG), buf });
  }

  /** age-rt: the piece as one chunk (several above maxChunkSize), sent at once. */
  private frames(piece: Uint8Array): void {
    const max = this.enc.maxChunkSize!;
    const lens: number[] = [];
    for (let i = 0; i < piece.length || lens.length === 0; i += max) lens.push(Math.min(max, piece.length - i));
    if (!this.pooling()) {
      this.sealedHere += piece.length;
      for (let i = 0, at = 0; i < lens.length; at += lens[i]!, i++) this.sink.emit(this.enc.encodeChunk(piece.subarray(at, at + lens[i]!)));
      return;
    }
    const bytes = piece.length + lens.length * (4 + TAG);
    const buf = this.buffer(bytes);
    new Uint8Array(buf).set(piece);
    const counter = this.enc._reserveChunks(lens.length);
    this.fly({ bytes }, { op: "seal", counter, n: lens.length, size: 0, lens, bytes, buf });
  }

  /** Whether runs go to the workers: once one has started (until then this thread seals). */
  private pooling(): boolean {
    if (this.stream === -1) this.stream = this.pool.openStream(this.enc._poolKey());
    // The workers start once a run's worth has come (a small input never pays for them).
    if (!this.started && this.sealedHere >= RUN_CHUNKS * AGE_CHUNK) {
      this.started = true;
      this.pool.start();
    }
    return this.flights.length > 0 || this.pool.warm;
  }

  protected release(run: Run, result: JobResult): void {
    this.sink.emit(new Uint8Array(result.buf, 0, run.bytes));
  }

  protected cleanup(): void {
    if (this.stream >= 0) this.pool.closeStream(this.stream);
    this.stream = -2;
    this.cur?.fill(0);
    this.cur = null;
    this.fill = 0;
  }
}
