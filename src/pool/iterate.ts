// A pooled transformer as an async generator over an (async) iterable of
// pieces: what age-rt/node's decodeFile and encodeFile, and the CLI, use
// with `{ pool }`. Output is yielded in order as it lands; an error is
// thrown after every output released before it has been yielded.
import type { Sink } from "./ordered-runs.js";
import type { PooledTransformer } from "./worker-pool.js";

type Make = (sink: Sink) => PooledTransformer & { start?(): Promise<void> };

export async function* pooledIterate(
  pieces: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, make: Make,
): AsyncGenerator<Uint8Array> {
  let out: Uint8Array[] = [];
  let failure: { error: unknown } | null = null;
  const t = make({ emit: (b) => out.push(b), fail: (error) => (failure ??= { error }) });
  const flush = () => {
    const o = out;
    out = [];
    return o;
  };
  let finished = false;
  try {
    await t.start?.();
    yield* flush();
    for await (const piece of pieces) {
      try {
        await t.push(piece);
      } finally {
        yield* flush(); // what authenticated before an error still goes out, in order
      }
      if (failure !== null) throw (failure as { error: unknown }).error;
    }
    try {
      await t.end();
    } finally {
      yield* flush();
    }
    finished = true;
  } finally {
    if (!finished) t.cancel(); // a break, or an error: nothing more is released, keys are wiped
  }
}
