// a23crypt's noise loops (A23CRYPT.md §5) over the WebAssembly core
// (assembly/a23/noise.ts): the NoiseLoops of src/a23crypt/noise.ts. Input,
// keystream and output go through the core's shared I/O window
// (io-window.ts), each region with the 16 bytes of slack the loop's
// 16-byte copies need. The window is zeroed after each call: it held
// ciphertext under one layer only.
import type { NoiseLoops } from "../a23crypt/noise.js";
import { coreInstance } from "./aead.js";
import { ioWindow, type IoExports } from "./io-window.js";

interface NoiseExports extends IoExports {
  noise_add(src: number, n: number, k: number, kLen: number, dst: number): number;
  noise_remove(src: number, m: number, k: number, kLen: number, dst: number): number;
}

const SLACK = 16;
const align16 = (n: number) => (n + 15) & ~15;

/** The loops over one instance of the core (tests pass the scalar build's). */
export function noiseOver(instance: WebAssembly.Instance): NoiseLoops {
  const x = instance.exports as unknown as NoiseExports;
  const { io, view } = ioWindow(x);

  function run(entry: NoiseExports["noise_add"], data: Uint8Array, k: Uint8Array, outMax: number): Uint8Array | null {
    const kAt = io + align16(data.length + SLACK);
    const dst = kAt + align16(k.length + SLACK);
    const end = dst + outMax + SLACK;
    const m = view(end - io);
    m.set(data, io);
    m.set(k, kAt);
    const len = entry(io, data.length, kAt, k.length, dst);
    const out = len < 0 ? null : m.slice(dst, dst + len);
    m.fill(0, io, end);
    return out;
  }

  return {
    add: (data, k) => run(x.noise_add, data, k, data.length + (k.length >> 1)),
    remove: (data, k) => run(x.noise_remove, data, k, data.length),
  };
}

let shared: NoiseLoops | null = null;

/** The loops on the shared instance, or null where the core cannot be instantiated (then jsNoise). */
export function wasmNoise(): NoiseLoops | null {
  if (shared !== null) return shared;
  const instance = coreInstance();
  if (instance === null) return null;
  shared = noiseOver(instance);
  return shared;
}
