// The zstd library (zstd 1.5 compiled to WebAssembly, from the
// @bokuweb/zstd-wasm package; README "Dependencies" says why) behind a
// small facade: one-shot compression at a level, and one-shot
// decompression into a buffer of the cap, so zstd stops with an error as
// soon as the output would pass it, and no more memory than the cap is
// ever used for the output. This module is loaded by dynamic import (zstd.ts)
// only when a record is compressed; its bytes are build/zstd.wasm, copied
// from the package by scripts/build-wasm.mjs.
//
// The package's own glue fetches the file by URL or reads it with require();
// this facade instantiates the module itself with the five host functions it
// imports (exports and imports are named as in the package's 0.0.27 glue,
// which is why that version is pinned).
import zstdBytes from "../../build/zstd.wasm";
import { CompressionError } from "./errors.js";

interface ZstdExports {
  f: WebAssembly.Memory; // memory
  g(): void; // __wasm_call_ctors
  h(code: number): number; // ZSTD_isError
  i(size: number): number; // ZSTD_compressBound
  j(): number; // ZSTD_createCCtx
  l(cctx: number, dst: number, cap: number, src: number, len: number, dict: number, dictLen: number, level: number): number; // ZSTD_compress_usingDict
  n(): number; // ZSTD_createDCtx
  q(dctx: number, dst: number, cap: number, src: number, len: number, dict: number, dictLen: number): number; // ZSTD_decompress_usingDict
  s(size: number): number; // malloc
  t(ptr: number): void; // free
}

/**
 * One-shot zstd over one instance of the module. One compression and one
 * decompression context live as long as the instance: the package's own
 * one-shot calls create and free one per call, which costs more than
 * compressing a 64 KiB chunk at level 1. (The "usingDict" entry points with
 * no dictionary are ZSTD_compressCCtx / ZSTD_decompressDCtx.)
 */
export class ZstdCodec {
  private readonly x: ZstdExports;
  private readonly cctx: number;
  private readonly dctx: number;

  constructor(module: WebAssembly.Module) {
    let memory: WebAssembly.Memory | null = null;
    const imports = {
      a: {
        a: (code: number) => { throw new CompressionError(`zstd exited (${code})`); }, // proc_exit
        b: () => {}, // runtime keepalive: nothing to keep alive
        c: () => { throw new CompressionError("zstd aborted"); }, // abort
        d: () => 0, // setitimer: no timers are used by one-shot calls
        e: (requested: number) => { // emscripten_resize_heap
          const m = memory!;
          const need = (requested >>> 0) - m.buffer.byteLength;
          if (need <= 0) return 1;
          try {
            m.grow(Math.ceil(need / 65536));
            return 1;
          } catch {
            return 0;
          }
        },
      },
    };
    const instance = new WebAssembly.Instance(module, imports);
    this.x = instance.exports as unknown as ZstdExports;
    memory = this.x.f;
    this.x.g();
    this.cctx = this.x.j();
    this.dctx = this.x.n();
    if (this.cctx === 0 || this.dctx === 0) throw new CompressionError("zstd: out of memory");
  }

  private heap(): Uint8Array {
    return new Uint8Array(this.x.f.buffer);
  }

  /** One zstd frame of `data` at `level` (content size recorded, no checksum: zstd's defaults). */
  compress(data: Uint8Array, level: number): Uint8Array {
    const x = this.x;
    const bound = x.i(data.length);
    const src = x.s(Math.max(1, data.length));
    const dst = x.s(bound);
    try {
      if (src === 0 || dst === 0) throw new CompressionError("zstd: out of memory");
      this.heap().set(data, src);
      const r = x.l(this.cctx, dst, bound, src, data.length, 0, 0, level);
      if (x.h(r) !== 0) throw new CompressionError("zstd compression failed");
      return this.heap().slice(dst, dst + (r >>> 0));
    } finally {
      this.heap().fill(0, src, src + data.length); // plaintext: not left in the long-lived instance
      x.t(src);
      x.t(dst);
    }
  }

  /**
   * Inflates one whole frame (zstd-frame.ts checked its shape) into at most
   * `cap` bytes: zstd fails with "destination too small" the moment the
   * output would pass the cap.
   */
  decompress(frame: Uint8Array, cap: number): Uint8Array {
    const x = this.x;
    const src = x.s(Math.max(1, frame.length));
    const dst = x.s(Math.max(1, cap));
    try {
      if (src === 0 || dst === 0) throw new CompressionError("zstd: out of memory");
      this.heap().set(frame, src);
      const r = x.q(this.dctx, dst, cap, src, frame.length, 0, 0);
      if (x.h(r) !== 0) throw new CompressionError(`zstd frame does not decompress within ${cap} bytes (corrupt, or a possible compression bomb)`);
      const out = this.heap().slice(dst, dst + (r >>> 0));
      this.heap().fill(0, dst, dst + (r >>> 0));
      return out;
    } finally {
      x.t(src);
      x.t(dst);
    }
  }
}

/** The module's bytes (compiled by zstd.ts, asynchronously). */
export const bytes: Uint8Array<ArrayBuffer> = zstdBytes;
