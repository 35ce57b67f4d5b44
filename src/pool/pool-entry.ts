// age-rt-pool.js, the browser bundle's file for the worker pool
// (scripts/bundle-browser.mjs): the pool, handed to age-rt.js's lazy registry
// as it loads, so that a static `import "./age-rt-pool.js"` (a Service Worker,
// which may not call import()) makes the pool available without one.
import { _provideLazy } from "../lazy/registry.js";
import * as pool from "./worker-pool.js";

_provideLazy("pool", pool);
export * from "./worker-pool.js";
