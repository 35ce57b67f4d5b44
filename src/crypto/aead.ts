// ChaCha20-Poly1305, AES-256-GCM and XChaCha20-Poly1305 for the layers above: the WebAssembly core when it can be
// instantiated, the pure-JS path otherwise (no WebAssembly in this engine).
import type { AeadBackend, NonceAead } from "./backend.js";
import { jsBackends } from "./fallback.js";
import { wasmAead } from "../wasm/aead.js";
import { wasmGcm, wasmXChaCha } from "../wasm/gcm.js";
// Imported directly, not through fallback.ts: only age-rt/crypt-io uses these
// two, so the main entry's bundles (and their lazy fallback file) leave
// @noble's AES out.
import { jsGcm, jsXChaCha } from "./nonce-aead-js.js";

/** The backend to use for this call (WASM when available). */
export function aead(): AeadBackend {
  return wasmAead() ?? jsBackends().aead;
}

/** AES-256-GCM: the constant-time WASM core when available, else @noble/ciphers. */
export function gcm(): NonceAead {
  return wasmGcm() ?? jsGcm;
}

/** XChaCha20-Poly1305: the WASM core when available, else @noble/ciphers. */
export function xchacha(): NonceAead {
  return wasmXChaCha() ?? jsXChaCha;
}
