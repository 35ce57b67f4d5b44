// AgeRandomAccess (API.md "Random access"): reads of any plaintext byte
// range of an opened age v1 file (open.ts), each chunk fetched from the
// source and authenticated before any of its bytes is returned.
//
// Runs of adjacent chunks a read needs are fetched with one source read (one
// HTTP request for rangeSource) and opened in one call into the AEAD core
// (AgeStreamReader.readRun). Every chunk fetched here is one the read or
// stream asked for: there is no speculative look-ahead. The last chunk was
// authenticated as final at open and is kept; the others pass through a
// small LRU (chunk-cache.ts), which reads share and streams only consult, so
// a sequential pass over a large file does not flush it.
import { ChunkAuthenticationError, UsageError } from "../errors.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";
import { AgeStreamReader } from "../stream/age-reader.js";
import { ChunkCache } from "./chunk-cache.js";
import { chunkOf, chunkOffset, type PayloadLayout } from "./layout.js";
import { readExactly, type RandomAccessSource } from "./source.js";

/** An age v1 file opened for random access: reads and streams of plaintext ranges, each authenticated. */
export interface AgeRandomAccess {
  /** Plaintext size, trusted: the final chunk authenticated at open. */
  readonly size: number;
  /** The plaintext bytes [offset, offset + length), clamped at size; a fresh array. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** The plaintext bytes [start, end) (end exclusive, like Blob.slice; both clamped at size). */
  stream(start?: number, end?: number): ReadableStream<Uint8Array>;
  /** Wipes the keys and cached plaintext, closes what fileSource(path) opened; later reads reject with UsageError. */
  close(): void;
}

/** Opened chunks kept for neighbouring reads (1 MiB of plaintext). */
const CACHE_CHUNKS = 16;

/** A chunk's plaintext, or why it did not authenticate. */
type Opened = Uint8Array | ChunkAuthenticationError;

function checkPosition(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new UsageError(`${name} must be a non-negative safe integer, got ${typeof value === "number" ? value : typeof value}`);
  }
}

export class AgeRandomAccessFile implements AgeRandomAccess {
  readonly size: number;
  private readonly cache = new ChunkCache(CACHE_CHUNKS);
  private readonly last: number;
  private readonly finalChunk: Promise<Uint8Array>;
  private closed = false;

  constructor(
    private readonly source: RandomAccessSource,
    private readonly layout: PayloadLayout,
    private readonly key: Uint8Array,
    private readonly finalPlaintext: Uint8Array,
  ) {
    this.size = layout.size;
    this.last = layout.chunks - 1;
    this.finalChunk = Promise.resolve(finalPlaintext);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.checkOpen();
    checkPosition("offset", offset);
    checkPosition("length", length);
    const start = Math.min(offset, this.size);
    const end = Math.min(this.size, offset + length); // both ≤ 2^53: the sum stays exact enough to compare
    if (end <= start) return new Uint8Array(0);
    const out = new Uint8Array(end - start);
    const lastChunk = chunkOf(end - 1);
    // A window of chunks at a time, so a large read holds at most one run in flight.
    for (let first = chunkOf(start); first <= lastChunk; first += RUN_CHUNKS) {
      const chunks = await this.settle(this.cached(first, Math.min(lastChunk, first + RUN_CHUNKS - 1)));
      for (let i = 0; i < chunks.length; i++) {
        const base = (first + i) * AGE_CHUNK;
        const from = Math.max(start, base);
        const to = Math.min(end, base + AGE_CHUNK);
        out.set(chunks[i]!.subarray(from - base, to - base), from - start);
      }
    }
    return out;
  }

  stream(start = 0, end = this.size): ReadableStream<Uint8Array> {
    this.checkOpen();
    checkPosition("start", start);
    checkPosition("end", end);
    let pos = Math.min(start, this.size);
    const stop = Math.min(end, this.size);
    // Runs double from one chunk: a consumer that stops early (a <video>
    // that seeks on) has caused little to be fetched; a long pass reaches
    // the core's batch size (RUN_CHUNKS) within a few reads.
    let window = 1;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (pos >= stop) return controller.close();
        const first = chunkOf(pos);
        const last = Math.min(chunkOf(stop - 1), first + window - 1);
        window = Math.min(window * 2, RUN_CHUNKS);
        // Each chunk that authenticated before a failing one is released first,
        // as decryptStream would; then the stream errors with the failure.
        const chunks = await Promise.allSettled(this.passing(first, last));
        this.checkOpen();
        for (let i = 0; i < chunks.length; i++) {
          const result = chunks[i]!;
          if (result.status === "rejected") throw result.reason;
          const base = (first + i) * AGE_CHUNK;
          const to = Math.min(stop, base + AGE_CHUNK);
          const plaintext = result.value;
          controller.enqueue(pos === base && to - base === plaintext.length ? plaintext : plaintext.subarray(pos - base, to - base));
          pos = to;
        }
        if (pos >= stop) controller.close();
      },
    }, { highWaterMark: 0 }); // nothing is fetched before the consumer asks
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.key.fill(0);
    this.finalPlaintext.fill(0);
    this.cache.clear();
    // Fire and forget: close() is synchronous in the contract; a failing close of a read-only file loses nothing.
    try {
      Promise.resolve(this.source.close?.()).catch(() => undefined);
    } catch {
      // a source whose close() throws at once: the same
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new UsageError("this AgeRandomAccess was closed");
  }

  /** Waits for the chunks; after a close() meanwhile, rejects with UsageError instead of handing anything out. */
  private async settle(chunks: Promise<Uint8Array>[]): Promise<Uint8Array[]> {
    try {
      const opened = await Promise.all(chunks);
      this.checkOpen();
      return opened;
    } catch (error) {
      this.checkOpen(); // a source closed under a read fails with its own error: report the close instead
      throw error;
    }
  }

  /** Chunks first..last for read(): from the cache, the missing runs loaded and cached. */
  private cached(first: number, last: number): Promise<Uint8Array>[] {
    return this.collect(first, last, (from, count) => {
      const run = this.loadRun(from, count);
      const entries: Promise<Uint8Array>[] = [];
      for (let j = 0; j < count; j++) {
        const entry = run.then((opened) => unwrap(opened[j]!));
        this.cache.set(from + j, entry);
        entries.push(entry);
      }
      return entries;
    });
  }

  /**
   * Chunks first..last for stream(): cached ones copied (the stream hands
   * its arrays to the consumer), missing runs loaded but not cached.
   */
  private passing(first: number, last: number): Promise<Uint8Array>[] {
    return this.collect(first, last, (from, count) => {
      const run = this.loadRun(from, count);
      return Array.from({ length: count }, (_, j) => run.then((opened) => unwrap(opened[j]!)));
    }, (plaintext) => plaintext.slice());
  }

  /**
   * The chunks first..last in order: the final chunk and cached ones as they
   * are (or through `copy`), each run of missing ones through `load`.
   */
  private collect(
    first: number, last: number, load: (from: number, count: number) => Promise<Uint8Array>[],
    copy?: (plaintext: Uint8Array) => Uint8Array,
  ): Promise<Uint8Array>[] {
    const out: Promise<Uint8Array>[] = [];
    let missingFrom = -1;
    const flush = (upTo: number) => {
      if (missingFrom >= 0) out.push(...load(missingFrom, upTo - missingFrom));
      missingFrom = -1;
    };
    for (let i = first; i <= last; i++) {
      const known = i === this.last ? this.finalChunk : this.cache.get(i);
      if (known === undefined) {
        if (missingFrom < 0) missingFrom = i;
        continue;
      }
      flush(i);
      out.push(copy === undefined ? known : known.then(copy));
    }
    flush(last + 1);
    for (const p of out) p.catch(() => undefined); // a failure is reported to the read, not as unhandled
    return out;
  }

  /**
   * Fetches `count` adjacent non-final chunks from `from` in one source read
   * and opens them in runs through the AEAD core. A chunk that fails is
   * reported as such and the run goes on after it, so one bad chunk fails
   * only the reads that touch it.
   */
  private async loadRun(from: number, count: number): Promise<Opened[]> {
    const sealed = await readExactly(this.source, chunkOffset(this.layout, from), count * AGE_SEALED_CHUNK);
    this.checkOpen(); // the key is wiped once closed
    const opened: Opened[] = [];
    while (opened.length < count) {
      const at = opened.length;
      opened.push(...new AgeStreamReader(this.key, from + at).readRun(sealed.subarray(at * AGE_SEALED_CHUNK)));
      if (opened.length < count) {
        const index = from + opened.length;
        opened.push(new ChunkAuthenticationError(
          `chunk ${index} at file offset ${chunkOffset(this.layout, index)} does not authenticate: the file was modified or corrupted`,
        ));
      }
    }
    return opened;
  }
}

function unwrap(opened: Opened): Uint8Array {
  if (opened instanceof ChunkAuthenticationError) throw opened;
  return opened;
}
