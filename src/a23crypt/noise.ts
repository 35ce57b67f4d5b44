// The a23crypt noise layer (A23CRYPT.md §5): K = SHAKE-256(seed_i) read two
// bytes per step; NoiseAdd copies K[2j] & 15 input bytes, then appends the
// noise byte K[2j+1]; NoiseRemove drops those bytes again. Two
// implementations: the WebAssembly core's (assembly/a23/, SHAKE-256 and the
// byte loop together, src/wasm/noise.ts) and the JavaScript one below
// (@noble/hashes' SHAKE-256), for engines without WebAssembly.
//
// The original asks SHAKE-256 for 2 × (n + 64) bytes. The loops read only
// about a quarter of that (a step takes 7.5 input bytes on average), and an
// XOF's output does not depend on how much is asked for, so the keystream is
// produced as needed: the WASM loop squeezes block by block; the JS one
// takes a generous estimate first and more only when it runs out (then it
// runs again over the longer stream).
import { shake256 } from "@noble/hashes/sha3.js";

/** One implementation of the noise layer: NoiseAdd and NoiseRemove under a 16-byte seed. */
export interface NoiseLayer {
  add(data: Uint8Array, seed: Uint8Array): Uint8Array;
  remove(data: Uint8Array, seed: Uint8Array): Uint8Array;
}

/** The loops over a given keystream; null when `k` ran out. */
function addLoop(d: Uint8Array, k: Uint8Array): Uint8Array | null {
  const n = d.length;
  const out = new Uint8Array(n + (k.length >> 1));
  let p = 0;
  let o = 0;
  let j = 0;
  while (p < n) {
    if (j + 1 >= k.length) return null;
    let take = k[j]! & 15;
    if (take > n - p) take = n - p;
    for (let t = 0; t < take; t++) out[o + t] = d[p + t]!;
    o += take;
    p += take;
    out[o++] = k[j + 1]!;
    j += 2;
  }
  return out.subarray(0, o);
}

function removeLoop(d: Uint8Array, k: Uint8Array): Uint8Array | null {
  const m = d.length;
  const out = new Uint8Array(m);
  let q = 0;
  let o = 0;
  let j = 0;
  while (q < m) {
    if (j >= k.length) return null;
    let take = k[j]! & 15;
    if (take > m - q - 1) take = m - q - 1; // never negative here: q < m
    for (let t = 0; t < take; t++) out[o + t] = d[q + t]!;
    o += take;
    q += take;
    if (q < m) q++; // the noise byte
    j += 2;
  }
  return out.subarray(0, o);
}

/**
 * Runs one loop over SHAKE-256(seed): first with a keystream of
 * `estimate` bytes, then with ever longer prefixes of the same stream.
 */
function withKeystream(seed: Uint8Array, estimate: number, loop: (k: Uint8Array) => Uint8Array | null): Uint8Array {
  const xof = shake256.create({});
  xof.update(seed);
  let k = xof.xof(estimate);
  for (;;) {
    const out = loop(k);
    if (out !== null) return out;
    const more = new Uint8Array(k.length * 2);
    more.set(k);
    xof.xofInto(more.subarray(k.length));
    k = more;
  }
}

/** The noise layer in JavaScript over @noble/hashes' SHAKE-256. */
export const jsNoise: NoiseLayer = {
  // Mean take is 7.5 bytes a step; a budget of one step per 6 bytes runs out essentially never.
  add: (d, seed) => withKeystream(seed, 2 * Math.ceil(d.length / 6) + 64, (k) => addLoop(d, k)),
  // A step consumes 8.5 input bytes on average (take + the noise byte).
  remove: (d, seed) => withKeystream(seed, 2 * Math.ceil(d.length / 7) + 64, (k) => removeLoop(d, k)),
};

/** NoiseAdd(data, seed) (§5): output length n + steps; empty for empty input. */
export function noiseAdd(data: Uint8Array, seed: Uint8Array, layer: NoiseLayer): Uint8Array {
  return data.length === 0 ? new Uint8Array(0) : layer.add(data, seed);
}

/** NoiseRemove(data, seed) (§5): the inverse of noiseAdd; any input gives some bytes, never an error. */
export function noiseRemove(data: Uint8Array, seed: Uint8Array, layer: NoiseLayer): Uint8Array {
  return data.length === 0 ? new Uint8Array(0) : layer.remove(data, seed);
}
