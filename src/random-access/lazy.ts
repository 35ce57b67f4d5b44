// openRandomAccess and rangeSource as the ESM browser bundle has them
// (scripts/bundle-browser.mjs substitutes this module for index.ts's imports
// of open.js and range-source.js): the code is in age-rt-random.js, fetched
// on first use (src/lazy/registry.ts), so a page that only decrypts whole
// files never downloads it. That file takes the modules it shares with
// age-rt.js from age-rt.js itself (main-exports.ts), so there is one
// WebAssembly core and one set of classes. A Service Worker, which may not
// call import(), imports it statically.
import type * as Entry from "./entry.js";
import { withLazy } from "../lazy/registry.js";

export function openRandomAccess(...args: Parameters<typeof Entry.openRandomAccess>): ReturnType<typeof Entry.openRandomAccess> {
  return withLazy("random", (m) => m.openRandomAccess(...args)) as ReturnType<typeof Entry.openRandomAccess>;
}

export function rangeSource(...args: Parameters<typeof Entry.rangeSource>): ReturnType<typeof Entry.rangeSource> {
  return withLazy("random", (m) => m.rangeSource(...args)) as ReturnType<typeof Entry.rangeSource>;
}
