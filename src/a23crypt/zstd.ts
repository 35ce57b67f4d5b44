// zstd for a23crypt (A23CRYPT.md §4, §6, §7.1 step 6), loaded only when a
// record is compressed: the library (zstd-wasm.ts, ~250 KB of WebAssembly)
// is a dynamic import, so neither the main entry nor an uncompressed record
// ever fetches it. The asynchronous paths (streams, async iterators) load it
// themselves, through the encoder's and decoder's `pending`; the synchronous
// ones need it loaded first (ready() of age-rt/a23crypt does that).
//
// Decompression enforces the cap while inflating: a frame whose header
// declares more than the cap is refused before any output buffer exists,
// and the rest inflate into a buffer of the cap, which zstd never passes.
// Without WebAssembly, decompression falls back to pure JS (zstd-js.ts);
// compression then is not available.
import { UsageError } from "../errors.js";
import { CompressionError } from "./errors.js";
import { walkFrame } from "./zstd-frame.js";
import type { ZstdCodec } from "./zstd-wasm.js";

/** What one loaded zstd does: the WebAssembly build both ways, the pure-JS one only inflates. */
interface Zstd {
  compress?(data: Uint8Array, level: number): Uint8Array;
  decompress(frame: Uint8Array, cap: number): Uint8Array;
}

/**
 * Our own bound on one chunk's inflated size, whatever the authenticated
 * header's chunk_size says (up to 4 GiB): records this library and the
 * original write use 65536.
 */
export const MAX_INFLATE = 16 * 1024 * 1024;

let codec: Zstd | null = null;
let loading: Promise<void> | null = null;

/** Whether zstd is loaded (then compress/decompress work synchronously). */
export function zstdLoaded(): boolean {
  return codec !== null;
}

/** The pure-JS decompressor, and no compression. */
async function jsZstd(): Promise<Zstd> {
  const js = await import("./zstd-js.js");
  return { decompress: (frame, cap) => js.inflate(frame, cap) };
}

/**
 * Loads and compiles the zstd module once; the pure-JS decompressor where
 * there is no WebAssembly or the host refuses to compile it (edge runtimes
 * that forbid compiling bytes at run time).
 */
export function loadZstd(): Promise<void> {
  loading ??= (async () => {
    if (typeof WebAssembly !== "object" || WebAssembly === null) {
      codec = await jsZstd();
      return;
    }
    const m = await import("./zstd-wasm.js");
    let module: WebAssembly.Module;
    try {
      module = await WebAssembly.compile(m.bytes);
    } catch {
      codec = await jsZstd();
      return;
    }
    codec = new m.ZstdCodec(module) satisfies ZstdCodec;
  })();
  loading.catch(() => {
    loading = null; // a later call may try again
  });
  return loading;
}

function loaded(): Zstd {
  if (codec === null) {
    throw new UsageError("a23crypt: zstd is loaded on demand; await ready() from age-rt/a23crypt first, or use the streams (they load it)");
  }
  return codec;
}

/** One zstd frame of `data` at `level` (1..22). */
export function zstdCompress(data: Uint8Array, level: number): Uint8Array {
  const z = loaded();
  if (z.compress === undefined) throw new UsageError("a23crypt: zstd compression needs WebAssembly, which this engine lacks (decompression works without it)");
  return z.compress(data, level);
}

/**
 * Inflates exactly one zstd frame into at most `cap` bytes (exactly `cap`
 * allowed); CompressionError for anything else: not one complete frame,
 * bytes after it, or output past the cap ("possible compression bomb").
 */
export function zstdDecompress(frame: Uint8Array, cap: number): Uint8Array {
  const z = loaded();
  if (cap <= 0) throw new CompressionError(`max_output_size must be positive, got ${cap}`);
  const { contentSize, windowSize } = walkFrame(frame);
  const limit = Math.min(cap, MAX_INFLATE);
  if (contentSize > limit) throw new CompressionError(`zstd frame declares ${contentSize} bytes, over the cap of ${limit} (possible compression bomb)`);
  // The pure-JS decoder allocates the window the header asks for; a chunk never needs more than MAX_INFLATE.
  if (z.compress === undefined && windowSize > MAX_INFLATE) throw new CompressionError(`zstd window of ${windowSize} bytes is over ${MAX_INFLATE}`);
  return z.decompress(frame, contentSize >= 0 ? contentSize : limit);
}
