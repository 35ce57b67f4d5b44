// a23crypt's noise layer (A23CRYPT.md §5) over the WebAssembly core
// (assembly/a23/: SHAKE-256 and the byte loops in one call): the NoiseLayer
// of src/a23crypt/noise.ts. Input, seed and output go through the core's
// shared I/O window (io-window.ts), each region with the 16 bytes of slack
// the loop's 16-byte copies need. The window is zeroed after each call: it
// held the seed, and ciphertext under one layer only.
import { jsNoise, type NoiseLayer } from "../a23crypt/noise.js";
import { checkLength, ioWindow, type IoExports } from "./io-window.js";
import { onCoreInstance } from "./aead.js";

interface NoiseExports extends IoExports {
  noise_add(src: number, n: number, seed: number, dst: number, cap: number): number;
  noise_remove(src: number, m: number, seed: number, dst: number): number;
  shake256_raw(seed: number, len: number, out: number, outLen: number): void;
}

const SLACK = 16;
const align16 = (n: number) => (n + 15) & ~15;

/** The noise layer over one instance of the core (tests pass the scalar build's). */
export function noiseOver(instance: WebAssembly.Instance): NoiseLayer & { shake256(input: Uint8Array, outLen: number): Uint8Array } {
  const x = instance.exports as unknown as NoiseExports;
  const { io, view } = ioWindow(x);

  /** One call; null when NoiseAdd's output would pass `outMax` (see noise_add). */
  function run(add: boolean, data: Uint8Array, seed: Uint8Array, outMax: number): Uint8Array | null {
    checkLength("seed", seed, 16);
    const seedAt = io + align16(data.length + SLACK);
    const dst = seedAt + 16;
    const m = view(dst + outMax + SLACK - io);
    m.set(data, io);
    m.set(seed, seedAt);
    const len = add ? x.noise_add(io, data.length, seedAt, dst, outMax) : x.noise_remove(io, data.length, seedAt, dst);
    const out = len < 0 ? null : m.slice(dst, dst + len);
    m.fill(0, io, dst + Math.max(len, 0) + SLACK);
    return out;
  }

  return {
    // NoiseAdd gives n + (steps) bytes, about 1.13 n; 2 n + 64 holds any keystream but a freak one (then the JS loop).
    add: (data, seed) => run(true, data, seed, 2 * data.length + 64) ?? jsNoise.add(data, seed),
    remove: (data, seed) => run(false, data, seed, data.length)!,
    shake256(input, outLen) {
      if (input.length >= 136) throw new RangeError("shake256_raw: input must be shorter than 136 bytes");
      const out = io + align16(input.length + SLACK);
      const m = view(out - io + outLen);
      m.set(input, io);
      x.shake256_raw(io, input.length, out, outLen);
      const result = m.slice(out, out + outLen);
      m.fill(0, io, out + outLen);
      return result;
    },
  };
}

/** The noise layer on the shared instance, or null where the core cannot be instantiated (then jsNoise). */
export const wasmNoise: () => NoiseLayer | null = /* @__PURE__ */ onCoreInstance(noiseOver);
