// The CLI's garbage pacing (src/pool/gc-pacer.ts says why): each read and
// each decrypted run of a stream, and each chunk node:crypto opens or seals
// in file runs, is a fresh buffer. node:v8 and node:vm are required only when
// a collector is asked for (a run that needs one), not at every start.
import { createRequire } from "node:module";
import { exposeGc, gcPacer as pacer, type GcFn } from "../pool/gc-pacer.js";
import { keepFreedHeap as keepHeap } from "../pool/keep-freed-heap.js";

let collector: GcFn | null | undefined;

function getCollector(): GcFn | null {
  if (collector !== undefined) return collector;
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === "function") return (collector = existing as GcFn);
  const require = createRequire(import.meta.url);
  return (collector = exposeGc(require("node:v8") as typeof import("node:v8"), require("node:vm") as typeof import("node:vm")));
}

/** Returns a function to call with the bytes of each buffer processed (gc-pacer.ts). */
export function gcPacer(every?: number): (bytes: number) => void {
  return pacer(getCollector, every);
}

/** The CLI's share of src/pool/keep-freed-heap.ts: 16 MiB keeps peak RSS under 80 MiB (bench/results/cli.md). */
export const keepFreedHeap = (): void => keepHeap(16 << 20, getCollector());
