// Turns blobs of any size into the exact feeds a push decoder wants. Shared
// by iterDecodeChunks, aiterDecodeChunks, decodeBytes and decryptStream.
//
// Blobs are used in place (subarrays) when a feed lies within one blob, and
// copied only when a feed straddles blobs. When the decoder is in an age v1
// payload and a blob holds several whole chunks followed by more data (so
// none of them is final), they are opened in one call into the AEAD core.
//
// An asynchronous identity pauses the decoder (Decoder.pending): draining
// stops with the input queued, and an asynchronous caller awaits `waiting`
// and calls resume(); a synchronous one throws asyncOnly()'s UsageError.
import type { Decoder } from "../decoder/decoder.js";
import { UsageError } from "../errors.js";
import { RUN_CHUNKS } from "../format/chunk-size.js";

/** The error of a synchronous API that meets an asynchronous identity or recipient. */
export function asyncOnly(api: string, alternatives: string): UsageError {
  return new UsageError(`an identity or recipient answered asynchronously (a Promise), which ${api} cannot wait for: use ${alternatives}`);
}

export class Feeder {
  private queue: Uint8Array[] = [];
  private queued = 0; // bytes in queue
  private head = 0; // bytes of queue[0] already consumed

  constructor(private readonly dec: Decoder) {}

  /** Accepts a blob and yields every plaintext chunk it completes. */
  *push(blob: Uint8Array): Generator<Uint8Array> {
    if (blob.length === 0) return;
    this.queue.push(blob);
    this.queued += blob.length;
    yield* this.drain();
  }

  /** Non-null while the decoder waits for an asynchronous identity: await it, then resume(). */
  get waiting(): Promise<void> | null {
    return this.dec.pending;
  }

  /** After `waiting` resolved: yields every chunk the input queued so far completes. */
  *resume(): Generator<Uint8Array> {
    if (this.dec._takesText) yield* this.dec._feedText(new Uint8Array(0)); // armor keeps its own queue
    yield* this.drain();
  }

  /** Waits out `waiting` (as often as the decoder pauses), passing on what the queued input completes. */
  async settle(emit: (out: Uint8Array) => void): Promise<void> {
    while (this.waiting !== null) {
      await this.waiting;
      for (const out of this.resume()) emit(out);
    }
  }

  /** The input has ended: feeds a short final read where valid, then checks for truncation. */
  *end(): Generator<Uint8Array> {
    const dec = this.dec;
    if (this.queued > 0) {
      // Less than bytesWanted is left (drain() took all whole feeds).
      if (dec.isDone() || dec._acceptsShortRead) {
        const out = dec.feed(this.take(this.queued)); // after done: throws for trailing data
        if (out !== null) yield out;
      }
    }
    dec._end();
  }

  private *drain(): Generator<Uint8Array> {
    const dec = this.dec;
    while (this.queued > 0 && dec.pending === null) {
      if (dec.isDone()) {
        const out = dec.feed(this.take(this.queued)); // trailing data: throws (or armor whitespace)
        if (out !== null) yield out;
        return;
      }
      if (dec._takesText) {
        yield* dec._feedText(this.take(this.queued));
        continue;
      }
      const unit = dec._runUnit;
      if (unit > 0) {
        const blob = this.queue[0]!;
        const inBlob = blob.length - this.head;
        // Whole chunks followed by at least one more byte are not final.
        const n = Math.min(RUN_CHUNKS, Math.floor((this.queued - 1) / unit), Math.floor(inBlob / unit));
        if (n >= 2) {
          const chunks = dec._feedRun(blob.subarray(this.head, this.head + n * unit));
          this.skip(chunks.length * unit);
          yield* chunks;
          if (chunks.length === n) continue;
          // A chunk did not open as non-final: the single-chunk path decides.
        }
      }
      const wanted = dec.bytesWanted;
      if (this.queued < wanted) return;
      const out = dec.feed(this.take(wanted));
      if (out !== null) yield out;
    }
  }

  /** Removes and returns the next n bytes (a subarray when they lie in one blob). */
  private take(n: number): Uint8Array {
    const first = this.queue[0]!;
    if (first.length - this.head >= n) {
      const out = first.subarray(this.head, this.head + n);
      this.skip(n);
      return out;
    }
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const blob = this.queue[0]!;
      const k = Math.min(n - o, blob.length - this.head);
      out.set(blob.subarray(this.head, this.head + k), o);
      o += k;
      this.skip(k);
    }
    return out;
  }

  private skip(n: number): void {
    this.queued -= n;
    this.head += n;
    while (this.queue.length > 0 && this.head >= this.queue[0]!.length) {
      this.head -= this.queue[0]!.length;
      this.queue.shift();
    }
  }
}
