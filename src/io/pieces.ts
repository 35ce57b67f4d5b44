// The pieces of a source the async iterators take (aiterDecodeChunks,
// aiterEncodeChunks), sync or async. A sync source is stepped synchronously:
// `for await` would wrap it (ECMA-262 CreateAsyncFromSyncIterator) and pay a
// promise and a microtask per piece, the largest cost of 1 KiB pieces. An
// async source is awaited as `for await` would.

/** One source's iterator, and whether its steps must be awaited. */
export interface Pieces {
  readonly sync: boolean;
  next(): IteratorResult<Uint8Array> | Promise<IteratorResult<Uint8Array>>;
  /** For a consumer that stops early (break, an error): what `for` does on leaving the loop. */
  close(): unknown;
}

/** Opens `source` for a step-by-step loop; close() it unless it ran out. */
export function openPieces(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Pieces {
  const async = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator];
  const it: Iterator<Uint8Array> | AsyncIterator<Uint8Array> =
    typeof async === "function" ? async.call(source) : (source as Iterable<Uint8Array>)[Symbol.iterator]();
  return { sync: typeof async !== "function", next: () => it.next(), close: () => it.return?.() };
}
