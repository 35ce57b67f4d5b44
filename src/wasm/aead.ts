// PLACEHOLDER until the WebAssembly ChaCha20-Poly1305 facade lands (issue 2).
import type { AeadBackend } from "../crypto/backend.js";
export function wasmAead(): AeadBackend | null {
  return null;
}
