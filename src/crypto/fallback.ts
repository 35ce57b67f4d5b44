// The pure-JS (@noble) backends, for engines where the WebAssembly core cannot
// run (no WebAssembly, SIMD refused, compiling bytes forbidden). Here they are
// imported statically and usable at once: the Node build, the IIFE browser
// bundle (embedded engines, importScripts) and anyone bundling src/.
//
// The ESM browser bundle swaps this module for src/lazy/fallback.ts
// (scripts/bundle-browser.mjs): there, engines that run the WebAssembly core
// never download the @noble AEAD and scrypt; ready() fetches them, as a
// separate chunk, only where the core cannot serve.
import type { AeadBackend, ScryptFn } from "./backend.js";
import { jsAead } from "./aead-js.js";
import { jsScrypt } from "./scrypt-js.js";

export interface JsBackends {
  readonly aead: AeadBackend;
  readonly scrypt: ScryptFn;
}

const backends: JsBackends = { aead: jsAead, scrypt: jsScrypt };

/** The pure-JS backends. */
export function jsBackends(): JsBackends {
  return backends;
}

/** Makes jsBackends() usable; a no-op here, where they are bundled in. */
export async function loadJsBackends(): Promise<void> {}
