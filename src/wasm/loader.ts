// One loader for the one WebAssembly module (assembly/index.ts). It picks the
// SIMD build when the engine validates it and the scalar build otherwise,
// compiles once, and hands out instances: a long-lived one for the AEAD and a
// fresh one per scrypt derivation (so its large memory is released after).
//
// Hosts that forbid compiling bytes at run time pass a precompiled
// WebAssembly.Module to init(). Where synchronous compilation is allowed,
// nothing needs to be awaited; elsewhere await ready() first.
import simdBytes from "../../build/core.simd.wasm";
import scalarBytes from "../../build/core.scalar.wasm";
import { AgeRTError, UsageError } from "../errors.js";

let compiled: WebAssembly.Module | null = null;
let syncCompileFailed = false;

/** Whether this engine has WebAssembly at all (embedded engines may not). */
export function hasWebAssembly(): boolean {
  return typeof WebAssembly === "object" && WebAssembly !== null && typeof WebAssembly.Module === "function";
}

/**
 * The build this engine can run: SIMD when it validates, scalar otherwise;
 * null when the scalar build is not shipped (zero bytes: the browser bundle,
 * scripts/bundle-browser.mjs, carries only SIMD) — then the pure-JS path.
 */
export function coreBytes(): Uint8Array<ArrayBuffer> | null {
  if (WebAssembly.validate(simdBytes)) return simdBytes;
  return scalarBytes.length > 0 ? scalarBytes : null;
}

/**
 * The compiled module, compiling it synchronously on first use. Returns null
 * where there is no WebAssembly or synchronous compilation is refused (a
 * browser main thread, a host that forbids compiling bytes) and neither
 * ready() nor init() has supplied a module yet: callers then use the pure-JS path.
 */
export function coreModule(): WebAssembly.Module | null {
  if (compiled !== null) return compiled;
  if (syncCompileFailed || !hasWebAssembly()) return null;
  try {
    const bytes = coreBytes();
    if (bytes === null) throw new Error("no WebAssembly build for this engine");
    compiled = new WebAssembly.Module(bytes);
  } catch {
    syncCompileFailed = true;
  }
  return compiled;
}

/** A new instance of the core module with its own memory, or null (see coreModule). */
export function newInstance(): WebAssembly.Instance | null {
  const module = coreModule();
  if (module === null) return null;
  try {
    return new WebAssembly.Instance(module, {});
  } catch {
    return null; // e.g. synchronous instantiation refused on a browser main thread
  }
}

/** Resolves once the WebAssembly module is compiled (a no-op without WebAssembly). */
export async function ready(): Promise<void> {
  if (compiled !== null || !hasWebAssembly()) return;
  const bytes = coreBytes();
  if (bytes === null) return; // the pure-JS path serves this engine
  try {
    compiled = await WebAssembly.compile(bytes);
  } catch (cause) {
    throw new AgeRTError(
      "ready(): this host refuses to compile WebAssembly from bytes; pass a precompiled module to init(), " +
        "or keep using the pure-JS path (everything works without ready())",
      { cause },
    );
  }
}

/**
 * Supplies the core module: a precompiled WebAssembly.Module (for hosts that
 * forbid compiling bytes at run time) or the bytes of build/core.*.wasm.
 */
export async function init(source: WebAssembly.Module | BufferSource): Promise<void> {
  if (!hasWebAssembly()) throw new UsageError("init(): this engine has no WebAssembly");
  if (source instanceof WebAssembly.Module) {
    compiled = source;
    return;
  }
  compiled = await WebAssembly.compile(source);
}
