// openRandomAccess and rangeSource as the ESM browser bundle has them
// (scripts/bundle-browser.mjs substitutes this module for index.ts's imports
// of open.js and range-source.js): the code is in age-rt-random.js, fetched
// on first use, so a page that only decrypts whole files never downloads it.
// That file takes the modules it shares with age-rt.js from age-rt.js itself
// (main-exports.ts), so there is one WebAssembly core and one set of classes.
//
// Service Workers may not call import() (HTML spec; w3c/ServiceWorker#1356):
// there, `import "./age-rt-random.js"` statically; the file then hands
// itself to _provideRandomAccess() as it loads, and no import() happens.
import type * as Entry from "./entry.js";

let loaded: typeof Entry | null = null;

/** @internal Called by age-rt-random.js as it loads. */
export function _provideRandomAccess(m: typeof Entry): void {
  loaded = m;
}

async function entry(): Promise<typeof Entry> {
  return (loaded ??= await import("./entry.js"));
}

export async function openRandomAccess(...args: Parameters<typeof Entry.openRandomAccess>): ReturnType<typeof Entry.openRandomAccess> {
  return (await entry()).openRandomAccess(...args);
}

export async function rangeSource(...args: Parameters<typeof Entry.rangeSource>): ReturnType<typeof Entry.rangeSource> {
  return (await entry()).rangeSource(...args);
}
