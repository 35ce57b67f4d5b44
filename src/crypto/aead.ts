// ChaCha20-Poly1305, AES-256-GCM and XChaCha20-Poly1305 for the layers above: the WebAssembly core when it can be
// instantiated, the pure-JS path otherwise (no WebAssembly in this engine).
import type { AeadBackend, NonceAead } from "./backend.js";
import { jsBackends } from "./fallback.js";
import { wasmAead } from "../wasm/aead.js";
import { wasmGcm, wasmXChaCha } from "../wasm/gcm.js";

/** The backend to use for this call (WASM when available). */
export function aead(): AeadBackend {
  return wasmAead() ?? jsBackends().aead;
}

/** AES-256-GCM: the constant-time WASM core when available, else @noble/ciphers. */
export function gcm(): NonceAead {
  return wasmGcm() ?? jsBackends().gcm;
}

/** XChaCha20-Poly1305: the WASM core when available, else @noble/ciphers. */
export function xchacha(): NonceAead {
  return wasmXChaCha() ?? jsBackends().xchacha;
}
