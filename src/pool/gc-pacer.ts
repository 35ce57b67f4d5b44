// Young-generation collections paced by the bytes processed, for Node code
// that makes a fresh buffer per chunk or read: V8 frees such buffers (memory
// outside its heap) only after tens of MiB of them pile up, which took a
// 256 MiB run to ~100 MiB of peak RSS. A young-generation collection every
// 2 MiB (well under a millisecond on a small heap) holds it down and, for
// streams, as fewer pages are faulted in, costs no time (bench/results/cli.md).
// The CLI's node:crypto file runs collect after every 1 MiB run, and there it
// does cost: 27-43 ms a thread per 256 MiB in a CPU profile, the price of
// staying under 80 MiB (every 2 MiB gave 80-83 MiB). Used by the CLI
// (src/cli/gc.ts) and by the pool's workers in the CLI's file runs
// (file-runs-worker.ts), so both functions are started from their source
// text too: each must not refer to anything outside its own body.

export type GcFn = (options?: { type?: "minor" | "major" }) => void;

/**
 * V8's collector as a function, from --expose-gc switched on at run time
 * (the trick of the `expose-gc` package: a context created afterwards has
 * `gc`); null where that fails, which leaves collection to V8 as usual.
 */
export function exposeGc(v8: { setFlagsFromString(flags: string): void }, vm: { runInNewContext(code: string): unknown }): GcFn | null {
  try {
    v8.setFlagsFromString("--expose-gc");
    const fn = vm.runInNewContext("gc");
    v8.setFlagsFromString("--no-expose-gc");
    return typeof fn === "function" ? (fn as GcFn) : null;
  } catch {
    return null;
  }
}

/**
 * Returns a function to call with the bytes of each buffer processed, which
 * collects every `every` bytes (file runs: every run, 1 MiB). The
 * collector is asked for (a new context: milliseconds) only once a run has
 * processed enough to need it, not for every small file.
 */
export function gcPacer(collector: () => GcFn | null, every = 2 << 20): (bytes: number) => void {
  let since = 0;
  let gc: GcFn | null | undefined;
  return (bytes) => {
    since += bytes;
    if (since < every) return;
    since = 0;
    gc ??= collector();
    gc?.({ type: "minor" });
  };
}
