// The files the ESM browser bundle fetches on demand (scripts/bundle-browser.mjs):
// age-rt-fallback.js, age-rt-pq.js, age-rt-tag.js, age-rt-ssh.js,
// age-rt-random.js and age-rt-pool.js, each beside age-rt.js. Every one of
// them, as it loads, hands its module to this registry in age-rt.js
// (_provideLazy; the files import it from age-rt.js, so there is one registry). That is the same
// whether age-rt.js fetched the file with import() on first use or a script
// imported it statically: Service Workers may not call import() (HTML spec;
// w3c/ServiceWorker#1356), so a Service Worker does
// `import "./age-rt-pq.js"` (etc.) beside `./age-rt.js`, and the keys,
// stanzas and functions of that file then work there without import().
// Node, bundlers and the IIFE script have the modules built in and never
// reach this module.
import { UsageError } from "../errors.js";
import type { JsBackends } from "../crypto/fallback.js";

/** The module each lazily loaded file provides, by the name in its file name (`age-rt-NAME.js`). */
export interface LazyModules {
  fallback: JsBackends;
  pq: typeof import("../recipients/hybrid-stanza.js");
  tag: typeof import("../recipients/tag-stanza.js");
  ssh: typeof import("../recipients/ssh-stanza.js");
  random: typeof import("../random-access/entry.js");
  pool: typeof import("../pool/worker-pool.js");
}

const provided: { [K in keyof LazyModules]?: LazyModules[K] } = {};

/** @internal Called by each lazily loaded file as it loads (src/lazy/*.ts, random-access/entry.ts, pool/pool-entry.ts). */
export function _provideLazy<K extends keyof LazyModules>(name: K, module: LazyModules[K]): void {
  provided[name] = module;
}

/** The module of `age-rt-NAME.js` if that file has loaded, else undefined. */
export function lazyLoaded<K extends keyof LazyModules>(name: K): LazyModules[K] | undefined {
  return provided[name];
}

/** The module of `age-rt-NAME.js`, fetched now (import(), relative to age-rt.js) unless it has loaded. */
export async function loadLazy<K extends keyof LazyModules>(name: K): Promise<LazyModules[K]> {
  const file = `./age-rt-${name}.js`;
  if (!provided[name]) {
    try {
      // A variable, not a literal: bundlers leave it alone, and the browser resolves it against age-rt.js's URL.
      await import(file);
    } catch (e) {
      throw new UsageError(`cannot load ${file} (${(e as Error)?.message}): serve it beside age-rt.js; a Service Worker must import it statically`, { cause: e });
    }
  }
  return provided[name] ?? Promise.reject(new UsageError(`${file} loaded but registered with another age-rt.js: serve both from one directory and one build`));
}

/** `f(module)`: at once if `age-rt-NAME.js` has loaded, else a Promise of it once loaded. */
export function withLazy<K extends keyof LazyModules, R>(name: K, f: (m: LazyModules[K]) => R): R | Promise<R> {
  const m = provided[name];
  return m ? f(m) : loadLazy(name).then(f);
}
