// Collects garbage every few MiB of streamed data, to hold the peak memory of
// a long run down. Each read and each decrypted run is a fresh ArrayBuffer
// (1 MiB); V8 frees those only after tens of MiB of them pile up, which took
// a 256 MiB decryption to ~100 MiB of peak RSS. A young-generation collection
// every 2 MiB (well under a millisecond on this small heap) keeps it near
// 75 MiB and, as fewer pages are faulted in, costs no time (measured in
// bench/results/cli.md).
//
// The collector comes from V8's --expose-gc, switched on at run time (the
// trick of the `expose-gc` package): a context created afterwards has `gc`.
// Where that fails, collection is left to V8 as usual.
// node:v8 and node:vm are required only when a pacer is asked for (a
// streaming run), not at every start.
import { createRequire } from "node:module";

type GcFn = (options?: { type?: "minor" | "major" }) => void;

const EVERY = 2 << 20;

let collector: GcFn | null | undefined;

function getCollector(): GcFn | null {
  if (collector !== undefined) return collector;
  collector = null;
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === "function") return (collector = existing as GcFn);
  try {
    const require = createRequire(import.meta.url);
    const { setFlagsFromString } = require("node:v8") as typeof import("node:v8");
    const { runInNewContext } = require("node:vm") as typeof import("node:vm");
    setFlagsFromString("--expose-gc");
    const fn = runInNewContext("gc") as unknown;
    setFlagsFromString("--no-expose-gc");
    if (typeof fn === "function") collector = fn as GcFn;
  } catch {
    // No collector: V8's own heuristics apply.
  }
  return collector;
}

/** Returns a function to call with the bytes of each buffer processed. */
export function gcPacer(): (bytes: number) => void {
  // The collector is fetched (a new context: ~10 ms) only once a run has
  // streamed enough to need it, not for every small file.
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < EVERY) return;
    since = 0;
    getCollector()?.({ type: "minor" });
  };
}
