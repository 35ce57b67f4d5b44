// ready() of the API: compiles the WebAssembly core (src/wasm/loader.ts) and,
// where the core still cannot serve this engine, makes the pure-JS path
// usable (a no-op except in the ESM browser bundle, which fetches it then:
// src/lazy/fallback.ts).
import { ready as compileCore } from "../wasm/loader.js";
import { wasmAead } from "../wasm/aead.js";
import { wasmScrypt } from "../wasm/scrypt.js";
import { loadJsBackends } from "./fallback.js";
import { loadModule } from "../recipients/stanza-modules.js";

/**
 * Resolves once the WebAssembly core is compiled, or the pure-JS path is
 * loaded where the core cannot run. With `postQuantum`, also once the
 * post-quantum code is loaded, which the ESM browser bundle fetches on first
 * use (only identityToRecipient() of an `AGE-SECRET-KEY-PQ-1…` needs it
 * beforehand: everything else waits for it by itself, asynchronously).
 * With `ssh`, likewise for the SSH code (identityToRecipient() of an
 * OpenSSH private key needs it beforehand in that bundle).
 */
export async function ready(opts: { postQuantum?: boolean; ssh?: boolean } = {}): Promise<void> {
  if (opts.postQuantum) await loadModule("pq");
  if (opts.ssh) await loadModule("ssh");
  try {
    await compileCore();
  } finally {
    // Also when compiling was refused (ready() then rejects): the pure-JS path must still work after it.
    if (wasmAead() === null || wasmScrypt() === null) await loadJsBackends();
  }
}
