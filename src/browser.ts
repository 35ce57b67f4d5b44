// age-rt/browser: the main entry, prebuilt for browsers without a bundler
// (scripts/bundle-browser.mjs builds dist/browser/age-rt.js and age-rt.iife.js
// from this file): the same API as `age-rt`, with the WebAssembly core inline
// and the pure-JS fallback in age-rt-fallback.js, fetched by ready() only
// where needed. (age-rt.js also exports a few internals for the lazily loaded
// files beside it: src/random-access/main-exports.ts.)

/**
 * The main entry prebuilt for browsers (`dist/browser/age-rt.js`, an ES
 * module; `age-rt.iife.js` defines the global `ageRt`): the same API as
 * `age-rt`. Where WebAssembly cannot run, `await ready()` first: it fetches
 * the pure-JS fallback (`age-rt-fallback.js`, beside it).
 * @module age-rt/browser
 */
export * from "./index.js";
