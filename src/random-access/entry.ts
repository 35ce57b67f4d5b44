// The random-access functions as one module: the entry of age-rt-random.js
// (scripts/bundle-browser.mjs), fetched the first time openRandomAccess or
// rangeSource is called (lazy.ts), or imported statically where import() is
// not allowed (Service Workers): either way it hands itself to age-rt.js's
// registry (src/lazy/registry.ts) as it loads.
import { _provideLazy } from "../lazy/registry.js";
import { openRandomAccess } from "./open.js";
import { rangeSource } from "./range-source.js";

export { openRandomAccess, rangeSource };
_provideLazy("random", { openRandomAccess, rangeSource });
