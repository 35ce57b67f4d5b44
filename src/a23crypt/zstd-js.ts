// zstd decompression in pure JavaScript (the fzstd package; README
// "Dependencies"), for engines without WebAssembly, where zstd-wasm.ts
// cannot run: compressed records still decode there (compression needs the
// WebAssembly build). Loaded by dynamic import (zstd.ts) only then.
//
// The cap holds while inflating: fzstd's streaming decoder hands out one
// block (at most 128 KiB) at a time, and the handler throws as soon as the
// output would pass the cap, so a bomb stops after one block. Its window
// (fzstd allocates it from the frame header) is bounded by zstd.ts first.
import { Decompress } from "fzstd";
import { CompressionError } from "./errors.js";

/** Inflates one whole frame into at most `cap` bytes. */
export function inflate(frame: Uint8Array, cap: number): Uint8Array {
  const out = new Uint8Array(cap);
  let n = 0;
  const d = new Decompress((block) => {
    if (n + block.length > cap) throw new CompressionError(`zstd frame inflates past ${cap} bytes (possible compression bomb)`);
    out.set(block, n);
    n += block.length;
  });
  try {
    d.push(frame, true);
  } catch (e) {
    if (e instanceof CompressionError) throw e;
    throw new CompressionError("zstd frame does not decompress", { cause: e });
  }
  return out.slice(0, n);
}
