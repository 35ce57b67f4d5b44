// What age-rt-pool.js takes from age-rt.js in the ESM browser bundle: the
// modules outside src/pool/ that the pool's code imports, exported from
// age-rt.js under their own names (scripts/bundle-browser.mjs adds them to
// that bundle only; they are internals, not API). The bundle script checks
// that every name the pool file imports from age-rt.js is exported there.
export { Feeder } from "../io/feeder.js";
export { coreBytes, coreModule, hasWebAssembly } from "../wasm/loader.js";
