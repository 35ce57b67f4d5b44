// scrypt (RFC 7914 §6) with ROMix in WebAssembly (assembly/scrypt/).
//
// PBKDF2-HMAC-SHA256 with one iteration at both ends is cheap and runs in JS
// (src/crypto/hmac-sha256.ts). The memory-hard part runs in a fresh instance per
// derivation, grown to exactly what ROMix needs (V | X | Y = 128·r·(N + 2)
// bytes past scrypt_base()), wiped on every exit path and then dropped, so
// its memory is released with it. The facade keeps no reference to it.
import { pbkdf2Sha256Once } from "../crypto/hmac-sha256.js";
import type { ScryptFn, ScryptOptions } from "../crypto/backend.js";
import { AgeRTError, UsageError } from "../errors.js";
import { newInstance } from "./loader.js";

/**
 * Default cap on the memory one derivation may use: what wasm32 can address,
 * as for the pure-JS path. The policy limit is the identity's maxWorkFactor
 * (default 22, like Go age), checked before scrypt is called; work factor 21
 * at r = 8 needs 2 GiB + 2 KiB and must not be refused here.
 */
export const SCRYPT_DEFAULT_MAXMEM = 2 ** 32;

export interface WasmScryptOptions extends ScryptOptions {
  /** Refuse derivations that would allocate more than this many bytes (the instance's memory and B). */
  maxmem?: number;
}

/** A ScryptFn that also takes a memory limit per call. */
export type WasmScryptFn = (
  password: Uint8Array, salt: Uint8Array, logN: number, r: number, p: number, dkLen: number, opts?: WasmScryptOptions,
) => Uint8Array;

interface Core {
  memory: WebAssembly.Memory;
  scrypt_base(): number;
  scrypt_reserve(pages: number): number;
  scrypt_wipe(ptr: number, len: number): void;
  scrypt_enter(dst: number, src: number, blocks: number): void;
  scrypt_leave(dst: number, src: number, blocks: number): void;
  scrypt_blockmix(src: number, dst: number, r: number): void;
  scrypt_fill(v: number, r: number, start: number, count: number): void;
  scrypt_mix(v: number, r: number, n: number, pairs: number): void;
}

const PAGE = 65536;
/** wasm32 addresses end at 4 GiB; the core computes with 32-bit offsets. */
const WASM32_MAX = 2 ** 32 - PAGE;
/** Iterations per ROMix call: progress can be reported between calls, and 2^14 calls of BlockMix dwarf a call's cost. */
const MIN_SLICE = 2 ** 14;

/**
 * scrypt over instances from `makeInstance` (one per derivation), or null
 * when it cannot make one. Tests pass a factory for the scalar build.
 */
export function scryptOver(makeInstance: () => WebAssembly.Instance | null): WasmScryptFn | null {
  // A throwaway one-page instance: can this host instantiate at all, and where does the work area start?
  const probe = makeInstance();
  if (probe === null) return null;
  const base = (probe.exports as unknown as Core).scrypt_base();
  return (password, salt, logN, r, p, dkLen, opts) => {
    checkParams(logN, r, p, dkLen);
    const blk = 128 * r;
    // Refuse before anything is allocated: the instance's memory once grown
    // (static data, V, X, Y) plus B (p blocks, in JS).
    const wasmBytes = pagesFor(base, blk, logN) * PAGE;
    const need = wasmBytes + p * blk;
    const maxmem = opts?.maxmem ?? SCRYPT_DEFAULT_MAXMEM;
    if (need > maxmem) {
      throw new UsageError(`scrypt: N=2^${logN}, r=${r}, p=${p} needs ${mib(need)} MiB, above the ${mib(maxmem)} MiB limit`);
    }
    if (wasmBytes > WASM32_MAX) {
      throw new UsageError(`scrypt: N=2^${logN}, r=${r} needs ${mib(wasmBytes)} MiB of WebAssembly memory, above its 4 GiB`);
    }
    const b = pbkdf2Sha256Once(password, salt, p * blk);
    try {
      const instance = makeInstance();
      if (instance === null) throw new AgeRTError("scrypt: could not instantiate the WebAssembly core");
      romixAll(instance.exports as unknown as Core, b, logN, r, p, opts?.onProgress);
      return pbkdf2Sha256Once(password, b, dkLen);
    } finally {
      b.fill(0);
    }
  };
}

/** Pages of memory for the work area V | X | Y (128·r·(N + 2) bytes) from `base`. */
function pagesFor(base: number, blk: number, logN: number): number {
  return Math.ceil((base + blk * (2 ** logN + 2)) / PAGE);
}

let cached: ScryptFn | null = null;

/**
 * scrypt with the WebAssembly core, or null where WebAssembly cannot be
 * instantiated (yet: ready() or init() may supply the module later).
 */
export function wasmScrypt(): ScryptFn | null {
  return (cached ??= scryptOver(newInstance));
}

function checkParams(logN: number, r: number, p: number, dkLen: number): void {
  if (!Number.isInteger(logN) || logN < 1 || logN > 30) throw new UsageError(`scrypt: logN must be an integer in 1..30, got ${logN}`);
  if (!Number.isInteger(r) || r < 1) throw new UsageError(`scrypt: r must be a positive integer, got ${r}`);
  if (!Number.isInteger(p) || p < 1) throw new UsageError(`scrypt: p must be a positive integer, got ${p}`);
  if (r * p >= 2 ** 30) throw new UsageError(`scrypt: r·p must be below 2^30 (RFC 7914 §2), got ${r * p}`);
  if (!Number.isInteger(dkLen) || dkLen < 1 || dkLen > (2 ** 32 - 1) * 32) {
    throw new UsageError(`scrypt: dkLen must be an integer in 1..(2^32-1)·32, got ${dkLen}`);
  }
}

/** ROMix on each of the p blocks of b in place (RFC 7914 §6 step 2), wiping the instance after. */
function romixAll(core: Core, b: Uint8Array, logN: number, r: number, p: number, onProgress?: (f: number) => void): void {
  const n = 2 ** logN;
  const blk = 128 * r;
  const v = core.scrypt_base();
  const x = v + n * blk;
  const y = x + blk;
  const slice = Math.min(n, MIN_SLICE);
  // Progress: 2·N·p BlockMix calls in all, reported at most every 1/256th.
  const total = 2 * n * p;
  let done = 0, reported = 0;
  const advance = (count: number) => {
    done += count;
    if (onProgress && (done === total || done - reported >= total / 256)) onProgress((reported = done) / total);
  };
  try {
    const pages = pagesFor(v, blk, logN);
    if (core.scrypt_reserve(pages) === -1) {
      throw new AgeRTError(`scrypt: could not grow WebAssembly memory to ${mib(pages * PAGE)} MiB (memory.grow returned -1)`);
    }
    for (let i = 0; i < p; i++) {
      // Y is free before the second loop: stage B_i there, then enter V[0] in the core's layout.
      new Uint8Array(core.memory.buffer, y, blk).set(b.subarray(i * blk, (i + 1) * blk));
      core.scrypt_enter(v, y, 2 * r);
      for (let s = 0; s < n; s += slice) {
        core.scrypt_fill(v, r, s, slice);
        advance(slice);
      }
      for (let s = 0; s < n; s += slice) {
        core.scrypt_mix(v, r, n, slice / 2); // slice is even (a power of two ≥ 2)
        advance(slice);
      }
      core.scrypt_leave(y, x, 2 * r);
      b.set(new Uint8Array(core.memory.buffer, y, blk), i * blk);
    }
  } finally {
    // The whole memory past v, whatever was grown, even if the grow or a callback threw.
    core.scrypt_wipe(v, Math.max(0, core.memory.buffer.byteLength - v));
  }
}

/** RFC 7914 §4 on a fresh instance (for the test vectors): B' = BlockMix(B), 128·r bytes. */
export function blockMixOver(makeInstance: () => WebAssembly.Instance | null, input: Uint8Array): Uint8Array {
  const core = makeInstance()!.exports as unknown as Core;
  const r = input.length / 128;
  const v = core.scrypt_base();
  const len = input.length;
  core.scrypt_reserve(Math.ceil((v + 3 * len) / PAGE)); // a few hundred bytes: cannot fail
  new Uint8Array(core.memory.buffer).set(input, v + 2 * len);
  core.scrypt_enter(v, v + 2 * len, 2 * r);
  core.scrypt_blockmix(v, v + len, r);
  core.scrypt_leave(v + 2 * len, v + len, 2 * r);
  return new Uint8Array(core.memory.buffer).slice(v + 2 * len, v + 3 * len);
}

/** RFC 7914 §5 on a fresh instance (for the test vectors): B' = ROMix(B, N = 2^logN). */
export function roMixOver(makeInstance: () => WebAssembly.Instance | null, input: Uint8Array, logN: number): Uint8Array {
  const b = input.slice();
  romixAll(makeInstance()!.exports as unknown as Core, b, logN, input.length / 128, 1);
  return b;
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1).replace(/\.0$/, "");
}
