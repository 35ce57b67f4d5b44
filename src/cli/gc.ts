// The CLI's garbage pacing (src/pool/gc-pacer.ts says why): each read and
// each decrypted run of a stream, and each chunk node:crypto opens or seals
// in file runs, is a fresh buffer. node:v8 and node:vm are required only when
// a collector is asked for (a run that needs one), not at every start.
import { createRequire } from "node:module";
import { exposeGc, gcPacer as pacer, type GcFn } from "../pool/gc-pacer.js";

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

/**
 * Makes glibc's malloc keep the memory it frees for reuse instead of handing
 * it back to the kernel at once. node:crypto returns each chunk of file runs
 * in a fresh 64 KiB buffer; with glibc's default trim threshold (128 KiB)
 * every collection of them shrank the heap and the next chunks faulted
 * their pages in again: ~58 000 page faults and ~0.1 s of system time per
 * 256 MiB (bench/results/cli.md). mallopt(3), M_MMAP_THRESHOLD: freeing a
 * chunk malloc had to mmap raises the mmap threshold to its size and the trim
 * threshold to twice that, for the whole process, so one 16 MiB buffer,
 * collected at once, does it. Elsewhere (another C library, no collector
 * here) this is a harmless allocation.
 */
export function keepFreedHeap(): void {
  const gc = getCollector();
  if (gc === null) return;
  new Uint8Array(16 << 20)[0] = 1; // allocated (mmap) and at once garbage
  gc({ type: "minor" });
}
