// crypto/fallback.ts as the ESM browser bundle has it (scripts/bundle-browser.mjs
// substitutes this module for every import of it): the pure-JS backends are
// a file of their own (age-rt-fallback.js), fetched by ready() only in
// engines where the WebAssembly core cannot serve (registry.ts). Browsers
// that run the core (all current ones) never download it. Until it is
// loaded, a call that would need it throws, asking for ready(): the contract
// is that everything works without ready() only where the core can be
// compiled synchronously.
import { UsageError } from "../errors.js";
import type { JsBackends } from "../crypto/fallback.js";
import { lazyLoaded, loadLazy } from "./registry.js";

export function jsBackends(): JsBackends {
  const m = lazyLoaded("fallback");
  if (!m) {
    throw new UsageError(
      "the WebAssembly core cannot be used synchronously in this engine; await ready() first " +
        "(it compiles the core, or loads the pure-JS fallback where WebAssembly is unavailable)",
    );
  }
  return m;
}

export async function loadJsBackends(): Promise<void> {
  await loadLazy("fallback");
}
