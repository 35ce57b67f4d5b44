// ChaCha20-Poly1305 for the layers above: the WebAssembly core when it can be
// instantiated, the pure-JS path otherwise (no WebAssembly in this engine).
import type { AeadBackend } from "./backend.js";
import { jsBackends } from "./fallback.js";
import { wasmAead } from "../wasm/aead.js";

/** The backend to use for this call (WASM when available). */
export function aead(): AeadBackend {
  return wasmAead() ?? jsBackends().aead;
}
