// glibc's malloc hands large freed blocks back to the kernel, and the next
// allocation of that size faults its pages in again (a page fault, and the
// kernel zeroing the page, per 4 KiB). The pool's runs are fresh buffers of
// about 1 MiB, many in flight, collected in batches: without this, a pool
// of 2 decrypting 128 MiB took ~10 000 page faults per run of the bench,
// ~5 % of its CPU time (bench/results/pool.md, page faults per run). The CLI's
// node:crypto runs make fresh 64 KiB results, with the same effect.
//
// mallopt(3), M_MMAP_THRESHOLD: freeing a block malloc had to mmap raises the
// mmap threshold to that block's size and the trim threshold (the free memory
// malloc keeps at the top of its heap) to twice that, for the whole process.
// So one large buffer, freed at once, is enough: a collection frees it at
// once where the caller has a collector (the CLI); otherwise a transferred
// ArrayBuffer posted on a closed MessageChannel is freed when the channel
// drops it, a few milliseconds later on another thread (the CLI measured
// ~3 000 more page faults per 256 MiB that way; why was not pinned down).
// Where the allocator is not glibc's (browsers, Deno, Bun, musl) this is
// one short-lived allocation and nothing more.

import type { GcFn } from "./gc-pacer.js";

let kept = false;

/**
 * Makes malloc keep up to twice `bytes` of freed memory for reuse (at most
 * ~32 MiB: glibc's DEFAULT_MMAP_THRESHOLD_MAX). Once per process: the first
 * caller's size stays, so the CLI's smaller one (peak RSS) is not raised by
 * the pool it starts after.
 */
export function keepFreedHeap(bytes: number, collect?: GcFn | null): void {
  if (kept) return;
  kept = true;
  if (collect) {
    new Uint8Array(bytes)[0] = 1; // allocated (mmap) and at once garbage
    collect({ type: "minor" });
    return;
  }
  const Channel = (globalThis as { MessageChannel?: typeof MessageChannel }).MessageChannel;
  if (Channel === undefined) return;
  const { port1, port2 } = new Channel();
  const block = new ArrayBuffer(bytes);
  port1.postMessage(block, [block]);
  port1.close();
  port2.close();
}
