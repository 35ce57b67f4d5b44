// The pieces of a source the async iterators take (aiterDecodeChunks,
// aiterEncodeChunks), sync or async. A sync source is stepped synchronously:
// `for await` would wrap it (ECMA-262 CreateAsyncFromSyncIterator) and pay a
// promise and a microtask per piece, the largest cost of 1 KiB pieces. An
// async source is awaited as `for await` would.
//
//   for (;;) {
//     const step = pieces.next();
//     const piece = pieces.take(pieces.sync ? step : await step);
//     if (piece === null) break;
//     …
//   }
//   (in a finally:) await pieces.close();

type Step = IteratorResult<Uint8Array>;

/** One source, stepped by hand, closed as a `for` loop closes it. */
export class Pieces {
  readonly sync: boolean;
  readonly #it: Iterator<Uint8Array> | AsyncIterator<Uint8Array>;
  #holding = false; // a piece is out: leaving now must close the source

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    const async = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator];
    this.sync = typeof async !== "function";
    this.#it = this.sync ? (source as Iterable<Uint8Array>)[Symbol.iterator]() : async.call(source);
  }

  /** The source's next step: to await unless `sync`, then to hand to take(). */
  next(): Step | Promise<Step> {
    this.#holding = false; // a step that throws leaves the source as it is, as `for` does
    return this.#it.next();
  }

  /** The piece of a step, or null once the source ran out. */
  take(step: Step): Uint8Array | null {
    if (step.done) return null;
    this.#holding = true;
    return step.value;
  }

  /** Closes the source if the loop leaves while holding a piece (a break, an error in its body). */
  close(): unknown {
    return this.#holding ? this.#it.return?.() : undefined;
  }
}
