// A pooled transformer as an async generator over an (async) iterable of
// pieces: what age-rt/node's decodeFile and encodeFile, and the CLI, use
// with `{ pool }`. Output is yielded in order as it lands — also while the
// source is waiting for its next piece, so a real-time stream (age-rt
// through a pipe) is not held back; an error is thrown after every output
// released before it has been yielded.
import type { Sink } from "./ordered-runs.js";
import type { PooledTransformer } from "./worker-pool.js";

type Make = (sink: Sink) => PooledTransformer & { start?(): Promise<void> };

/**
 * With `recycle`, the consumer promises to be done with each output when it
 * asks for the next (the CLI writes it synchronously): its buffer is then
 * reused for a later run.
 */
export async function* pooledIterate(
  pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, make: Make, { recycle = false } = {},
): AsyncGenerator<Uint8Array> {
  let out: Uint8Array[] = [];
  let failure: { error: unknown } | null = null;
  let wake: (() => void) | null = null;
  const woken = () => new Promise<null>((resolve) => (wake = () => resolve(null)));
  const t = make({
    emit: (b) => {
      out.push(b);
      wake?.();
    },
    fail: (error) => {
      failure ??= { error };
      wake?.();
    },
  });
  function* flush(): Generator<Uint8Array> {
    const o = out;
    out = [];
    for (const b of o) {
      yield b;
      if (recycle) t.recycle?.(b.buffer);
    }
  }
  const source = Symbol.asyncIterator in pieces
    ? (pieces as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
    : (async function* () { yield* pieces as Iterable<Uint8Array>; })();
  let finished = false;
  try {
    await t.start?.();
    yield* flush();
    let next = source.next();
    for (;;) {
      // The next piece, or output that landed meanwhile, whichever comes first.
      const got = await Promise.race([next, woken()]);
      wake = null;
      yield* flush();
      if (failure !== null) throw (failure as { error: unknown }).error;
      if (got === null) continue;
      if (got.done) break;
      try {
        await t.push(got.value);
      } finally {
        yield* flush(); // what authenticated before an error still goes out, in order
      }
      next = source.next();
    }
    try {
      await t.end();
    } finally {
      yield* flush();
    }
    finished = true;
  } finally {
    if (!finished) {
      t.cancel(); // a break, or an error: nothing more is released, keys are wiped
      // Closes the source (a Readable is destroyed), without waiting on a read that may never come.
      source.return?.()?.catch(() => {});
    }
  }
}
