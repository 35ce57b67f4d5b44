// Turns blobs of any size into the exact feeds a push decoder wants. Shared
// by iterDecodeChunks, aiterDecodeChunks, decodeBytes and decryptStream.
//
// Blobs are used in place (subarrays) when a feed lies within one blob, and
// copied only when a feed straddles blobs. When the decoder is in an age v1
// payload and a blob holds several whole chunks followed by more data (so
// none of them is final), they are opened in one call into the AEAD core.
//
// Small blobs (request bodies, sockets and file streams hand out 1–16 KiB)
// are gathered: a blob that cannot complete the next feed is only queued, at
// the cost of an array append, and the decoder is asked nothing until enough
// bytes are there. What the decoder releases, and when, is unchanged.
//
// An asynchronous identity pauses the decoder (Decoder.pending): draining
// stops with the input queued, and an asynchronous caller awaits `waiting`
// and calls resume(); a synchronous one throws asyncOnly()'s UsageError.
import type { Decoder } from "../decoder/decoder.js";
import { UsageError, assertBytes } from "../errors.js";
import { NO_CHUNKS } from "../format/bytes.js";
import { RUN_CHUNKS } from "../format/chunk-size.js";
import { checkDecoder } from "./same-build.js";

/** What a consumed blob's slot in the queue holds until the backlog is dropped. */
const NO_BYTES = new Uint8Array(0);

/** The error of a synchronous API that meets an asynchronous identity or recipient. */
export function asyncOnly(api: string, alternatives: string): UsageError {
  return new UsageError(`an identity or recipient answered asynchronously (a Promise), which ${api} cannot wait for: use ${alternatives}`);
}

export class Feeder {
  #queue: Uint8Array[] = []; // blobs from queue[first] on are pending
  #first = 0; // consumed blobs are skipped by index, not shifted out one by one
  #queued = 0; // bytes pending
  #head = 0; // bytes of queue[first] already consumed
  /**
   * Queued bytes below which drain() can do nothing: the last bytesWanted it
   * waited for (0 while the decoder takes any length, or is done).
   */
  #need = 0;

  constructor(private readonly dec: Decoder) {
    checkDecoder(dec);
  }

  /** Accepts a blob; iterating the result yields every plaintext chunk it completes. */
  push(blob: Uint8Array): Iterable<Uint8Array> {
    // An ArrayBuffer (no length) would pass for no input at all, a string fail inside.
    assertBytes("decoder input", blob);
    if (blob.length === 0) return NO_CHUNKS;
    this.#queue.push(blob);
    this.#queued += blob.length;
    if (this.#queued < this.#need) return NO_CHUNKS;
    return this.drain();
  }

  /** Bytes still to come before the decoder can take a step (at least 1): what a reader should wait for. */
  get shortfall(): number {
    return Math.max(1, this.#need - this.#queued);
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
    // Less than bytesWanted is left (drain() took all whole feeds, and judged
    // anything after the final chunk): an age v1 final chunk, or truncation.
    if (this.#queued > 0 && dec._acceptsShortRead) {
      const out = dec.feed(this.#take(this.#queued));
      if (out !== null) yield out;
    }
    dec._end();
  }

  private *drain(): Generator<Uint8Array> {
    const dec = this.dec;
    this.#need = 0; // stays 0 when draining stops for an asynchronous identity
    while (this.#queued > 0 && dec.pending === null) {
      if (dec.isDone()) {
        // Not feed(), for which bytes after the end are misuse: here they are trailing data (or armor whitespace).
        dec._trailing(this.#take(this.#queued));
        return;
      }
      if (dec._takesText) {
        yield* dec._feedText(this.#take(this.#queued));
        continue;
      }
      const unit = dec._runUnit;
      if (unit > 0) {
        const blob = this.#queue[this.#first]!;
        const inBlob = blob.length - this.#head;
        // Whole chunks followed by at least one more byte are not final.
        const n = Math.min(RUN_CHUNKS, Math.floor((this.#queued - 1) / unit), Math.floor(inBlob / unit));
        if (n >= 2) {
          const chunks = dec._feedRun(blob.subarray(this.#head, this.#head + n * unit));
          this.#skip(chunks.length * unit);
          yield* chunks;
          if (chunks.length === n) continue;
          // A chunk did not open as non-final: the single-chunk path decides.
        }
      }
      const wanted = dec.bytesWanted;
      if (this.#queued < wanted) {
        this.#need = wanted; // nothing to do until this many bytes are queued
        return;
      }
      const out = dec.feed(this.#take(wanted));
      if (out !== null) yield out;
    }
  }

  /** Removes and returns the next n bytes (a subarray when they lie in one blob). */
  #take(n: number): Uint8Array {
    const front = this.#queue[this.#first]!;
    if (front.length - this.#head >= n) {
      const out = front.subarray(this.#head, this.#head + n);
      this.#skip(n);
      return out;
    }
    // Gathered from several blobs: most are small and copied whole.
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const blob = this.#queue[this.#first]!;
      const k = Math.min(n - o, blob.length - this.#head);
      out.set(k === blob.length ? blob : blob.subarray(this.#head, this.#head + k), o);
      o += k;
      this.#skip(k);
    }
    return out;
  }

  #skip(n: number): void {
    this.#queued -= n;
    this.#head += n;
    const q = this.#queue;
    while (this.#first < q.length && this.#head >= q[this.#first]!.length) {
      this.#head -= q[this.#first]!.length;
      q[this.#first++] = NO_BYTES; // let a consumed blob go now, not when the backlog is dropped
    }
    if (this.#first === q.length) {
      q.length = 0;
      this.#first = 0;
    } else if (this.#first >= 1024) {
      q.splice(0, this.#first); // a long backlog of small blobs: drop the consumed ones now and then
      this.#first = 0;
    }
  }
}
