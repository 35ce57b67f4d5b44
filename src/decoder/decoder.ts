// The push-decoder contract (API.md "Push decoders", after the Python
// reference): the decoder says how many bytes it wants next, takes exactly
// that many per feed(), and returns a plaintext chunk when one authenticated.
// Errors are sticky: once feed() threw, every later call throws the same
// error (like Go age's stream reader), so no caller can skip past a failure.
// Once done, feed() of more bytes is misuse (InsufficientDataError, as in the
// reference); the iterators and streams, which own the whole input, judge
// what follows the final chunk through _trailing() instead.
//
// Waiting for an asynchronous identity (API.md "Recipients and identities"):
// when the header is complete and an identity answers with a Promise, the
// decoder pauses. `pending` is then a Promise, `bytesWanted` is 0 and
// `isDone()` false; the caller awaits `pending` (which rejects with the
// decoder's error if the identity fails) and goes on feeding. A feed() while
// paused is a UsageError. The asynchronous iterators and streams do this.
import { InsufficientDataError, UsageError, assertBytes } from "../errors.js";

/** @internal What a worker pool needs to open a payload's chunks (Decoder._poolPayload). */
export interface PoolPayload {
  readonly format: "age" | "age-rt";
  readonly key: Uint8Array;
  /** Largest plaintext chunk (age v1: 64 KiB; age-rt: the header's maxchunk). */
  readonly maxChunk: number;
  /** STREAM counter of the next chunk. */
  readonly counter: number;
}

/** Most characters of armored text asked of a read callable at once. */
export const TEXT_BLOCK = 16384;

/**
 * The push-decoder contract: ask {@link Decoder.bytesWanted}, hand exactly
 * that many bytes to {@link Decoder.feed}, get a plaintext chunk back when
 * one authenticated; {@link Decoder.isDone} once the final chunk has.
 */
export abstract class Decoder {
  #error: unknown = null;
  #waiting: Promise<void> | null = null;

  /**
   * Non-null while the decoder waits for an asynchronous identity: await
   * it, then feed `bytesWanted` bytes as before. It rejects with the
   * decoder's (sticky) error when unlocking fails.
   */
  get pending(): Promise<void> | null {
    return this.#waiting;
  }

  /** Exact bytes the next feed() takes; 0 when done. */
  abstract get bytesWanted(): number;

  /** Whether the final chunk has been read and authenticated. */
  abstract isDone(): boolean;

  /**
   * Takes exactly `bytesWanted` bytes (AgeDecoder, and an armored input,
   * also take a shorter final read) and returns a plaintext chunk when one
   * is ready, else null. Never returns plaintext that did not authenticate.
   * Once done, an empty feed returns null and any other throws
   * InsufficientDataError.
   */
  feed(data: Uint8Array): Uint8Array | null {
    // Not sticky: the decoder is fine once its identity answered.
    if (this.pending !== null && this.#error === null) {
      throw new UsageError("feed() while an identity is still working: await the decoder's pending promise first");
    }
    return this.#guard(() => {
      assertBytes("feed() data", data); // a string or an array would otherwise be read char by char
      const wanted = this.bytesWanted;
      if (wanted === 0 && data.length === 0) return null; // done: more bytes are misuse, below
      if (data.length === 0 || (data.length !== wanted && !(data.length < wanted && this._acceptsShortRead))) {
        throw new InsufficientDataError(`feed() expected exactly ${wanted} bytes, got ${data.length}`);
      }
      return this.step(data);
    });
  }

  /**
   * @internal Called by the iterators and streams when the input has ended:
   * throws the error that an input ending here deserves (truncation), or
   * does nothing when the decoder is done.
   */
  _end(): void {
    this.#guard(() => this.end());
  }

  /**
   * @internal Judges bytes that follow the final chunk in an input the caller
   * reads whole (the iterators, streams, decodeBytes): trailing data, an
   * error, except whitespace after an armor's end line.
   */
  _trailing(data: Uint8Array): void {
    this.#guard(() => {
      if (data.length > 0) this.afterDone(data);
    });
  }

  /**
   * @internal Whether a reader must look past the final chunk for trailing
   * data (age v1, whose spec forbids it, and armor, which only whitespace may
   * follow); false where the stream ends at its final chunk and a live source
   * may go on with other data (age-rt).
   */
  get _checksTrailing(): boolean {
    return true;
  }

  /** @internal Whether a read shorter than bytesWanted is valid now (the final read). */
  get _acceptsShortRead(): boolean {
    return false;
  }

  /** @internal Size of one sealed chunk that _feedRun() can take in runs, or 0 when runs are not possible now. */
  get _runUnit(): number {
    return 0;
  }

  /**
   * @internal Opens a run of whole sealed chunks known to be followed by more
   * data (so none is final) in one call into the AEAD core. Returns the
   * plaintext of each chunk that authenticated (each took one _runUnit of
   * input); the caller feeds the rest normally.
   */
  _feedRun(sealed: Uint8Array): Uint8Array[] {
    return this.#guard(() => this.run(sealed));
  }

  /**
   * @internal While the decoder stands at a chunk boundary of a binary
   * payload (not done, not waiting): its format, payload key and chunk
   * limit, so that a worker pool can open the chunks that follow in runs
   * (src/pool/pooled-decrypt.ts). Null otherwise.
   */
  get _poolPayload(): PoolPayload | null {
    return null;
  }

  /**
   * @internal Moves past `chunks` chunks (`bytes` sealed bytes, frames
   * included) that a pool opened and released, so the next feed is the
   * chunk after them.
   */
  _skipChunks(_chunks: number, _bytes: number): void {
    throw new Error("unreachable: _skipChunks() called while _poolPayload is null");
  }

  /** @internal Whether _feedText() takes input of any length now (armored text). */
  get _takesText(): boolean {
    return false;
  }

  /**
   * @internal How many characters of armored text a read callable should ask
   * for next (1..TEXT_BLOCK): no more than the decoder surely needs, so that
   * reads stay within the stream (see AgeAutoDecoder).
   */
  get _textWanted(): number {
    return TEXT_BLOCK;
  }

  /**
   * @internal Takes armored text of any length and returns every chunk it
   * completes; the iterators use it, since feed() may complete only one.
   */
  _feedText(text: Uint8Array): Uint8Array[] {
    return this.#guard(() => this.text(text));
  }

  protected text(_text: Uint8Array): Uint8Array[] {
    throw new Error("unreachable: _feedText() called while _takesText is false");
  }

  protected abstract step(data: Uint8Array): Uint8Array | null;
  protected abstract end(): void;
  /** Bytes after the final chunk (through _trailing()): throws for trailing data. */
  protected abstract afterDone(data: Uint8Array): void;
  protected run(_sealed: Uint8Array): Uint8Array[] {
    throw new Error("unreachable: _feedRun() called while _runUnit is 0");
  }
  /** Wipes key material; called once on the first error. */
  protected abstract wipe(): void;

  /**
   * Pauses until `work` settles (see `pending`). If it rejects, its error
   * becomes the decoder's sticky error and key material is wiped.
   */
  protected waitFor(work: Promise<void>): void {
    const settled = work.then(
      () => {
        this.#waiting = null;
      },
      (e: unknown) => {
        this.#waiting = null;
        if (this.#error === null) {
          this.#error = e;
          this.wipe();
        }
        throw this.#error;
      },
    );
    // A caller that never awaits it (it abandoned the decoder) must not cause an unhandled rejection.
    settled.catch(() => {});
    this.#waiting = settled;
  }

  #guard<T>(fn: () => T): T {
    if (this.#error !== null) throw this.#error;
    try {
      return fn();
    } catch (e) {
      this.#error = e;
      this.wipe();
      throw e;
    }
  }
}
