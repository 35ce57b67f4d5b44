// A fresh buffer for a run. Its bytes are overwritten before it leaves this
// thread (OrderedRuns.fly zeroes what the run does not cover), so where the
// host can skip zeroing it (Node's and Bun's Buffer.allocUnsafeSlow: malloc
// instead of calloc) that is skipped: zeroing each 1 MiB run cost the pool's
// main thread ~13 ms per 128 MiB in a CPU profile, where its whole share is
// 40-60 ms (bench/results/pool.md). Looked up as a global, so the main entry imports no Node
// built-in; elsewhere an ArrayBuffer, zeroed as always.

type UnsafeAlloc = (bytes: number) => { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };

// Looked up by name, as hosts.ts does: the edge-runtime bundle test allows a Node global only that way.
const allocUnsafeSlow = (globalThis as { Buffer?: { allocUnsafeSlow?: UnsafeAlloc } })["Buffer"]?.allocUnsafeSlow;

/** An ArrayBuffer of `bytes` whose contents are unspecified: the caller overwrites or zeroes all of it before it is seen. */
export function uninitializedBuffer(bytes: number): ArrayBuffer {
  if (allocUnsafeSlow !== undefined) {
    const b = allocUnsafeSlow(bytes); // never from Node's shared pool: a buffer of its own
    if (b.buffer instanceof ArrayBuffer && b.byteOffset === 0 && b.buffer.byteLength === bytes) return b.buffer;
  }
  return new ArrayBuffer(bytes);
}
