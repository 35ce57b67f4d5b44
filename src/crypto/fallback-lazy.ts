// fallback.ts as the ESM browser bundle has it (scripts/bundle-browser.mjs
// substitutes this module for every import of ./fallback.js but its own): the
// pure-JS backends live in a chunk of their own, fetched by ready() only in
// engines where the WebAssembly core cannot serve. Browsers that run the core
// (all current ones) never download it. Until it is loaded, a call that
// would need it throws, asking for ready(): the contract is that everything
// works without ready() only where the core can be compiled synchronously.
import { UsageError } from "../errors.js";
import type { JsBackends } from "./fallback.js";

let loaded: JsBackends | null = null;

export function jsBackends(): JsBackends {
  if (loaded === null) {
    throw new UsageError(
      "the WebAssembly core cannot be used synchronously in this engine; await ready() first " +
        "(it compiles the core, or loads the pure-JS fallback where WebAssembly is unavailable)",
    );
  }
  return loaded;
}

export async function loadJsBackends(): Promise<void> {
  loaded ??= (await import("./fallback.js")).jsBackends();
}
