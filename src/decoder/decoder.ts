// The push-decoder contract (API.md "Push decoders", after the Python
// reference): the decoder says how many bytes it wants next, takes exactly
// that many per feed(), and returns a plaintext chunk when one authenticated.
// Errors are sticky: once feed() threw, every later call throws the same
// error (like Go age's stream reader), so no caller can skip past a failure.
//
// Waiting for an asynchronous identity (API.md "Recipients and identities"):
// when the header is complete and an identity answers with a Promise, the
// decoder pauses. `pending` is then a Promise, `bytesWanted` is 0 and
// `isDone()` false; the caller awaits `pending` (which rejects with the
// decoder's error if the identity fails) and goes on feeding. A feed() while
// paused is a UsageError. The asynchronous iterators and streams do this.
import { InsufficientDataError, UsageError, assertBytes } from "../errors.js";

export abstract class Decoder {
  private error: unknown = null;
  private waiting: Promise<void> | null = null;

  /**
   * Non-null while the decoder waits for an asynchronous identity: await
   * it, then feed `bytesWanted` bytes as before. It rejects with the
   * decoder's (sticky) error when unlocking fails.
   */
  get pending(): Promise<void> | null {
    return this.waiting;
  }

  /** Exact bytes the next feed() takes; 0 when done. */
  abstract get bytesWanted(): number;

  abstract isDone(): boolean;

  /**
   * Takes exactly `bytesWanted` bytes (AgeDecoder, and an armored input,
   * also take a shorter final read) and returns a plaintext chunk when one
   * is ready, else null. Never returns plaintext that did not authenticate.
   */
  feed(data: Uint8Array): Uint8Array | null {
    // Not sticky: the decoder is fine once its identity answered.
    if (this.pending !== null && this.error === null) {
      throw new UsageError("feed() while an identity is still working: await the decoder's pending promise first");
    }
    return this.guard(() => {
      assertBytes("feed() data", data); // a string or an array would otherwise be read char by char
      const wanted = this.bytesWanted;
      if (wanted === 0) return data.length === 0 ? null : this.afterDone(data);
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
    this.guard(() => this.end());
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
    return this.guard(() => this.run(sealed));
  }

  /** @internal Whether _feedText() takes input of any length now (armored text). */
  get _takesText(): boolean {
    return false;
  }

  /**
   * @internal Takes armored text of any length and returns every chunk it
   * completes; the iterators use it, since feed() may complete only one.
   */
  _feedText(text: Uint8Array): Uint8Array[] {
    return this.guard(() => this.text(text));
  }

  protected text(_text: Uint8Array): Uint8Array[] {
    throw new Error("unreachable: _feedText() called while _takesText is false");
  }

  protected abstract step(data: Uint8Array): Uint8Array | null;
  protected abstract end(): void;
  protected abstract afterDone(data: Uint8Array): Uint8Array | null;
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
        this.waiting = null;
      },
      (e: unknown) => {
        this.waiting = null;
        if (this.error === null) {
          this.error = e;
          this.wipe();
        }
        throw this.error;
      },
    );
    // A caller that never awaits it (it abandoned the decoder) must not cause an unhandled rejection.
    settled.catch(() => {});
    this.waiting = settled;
  }

  private guard<T>(fn: () => T): T {
    if (this.error !== null) throw this.error;
    try {
      return fn();
    } catch (e) {
      this.error = e;
      this.wipe();
      throw e;
    }
  }
}
