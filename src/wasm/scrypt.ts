// PLACEHOLDER until the WebAssembly scrypt facade lands (issue 2).
import type { ScryptFn } from "../crypto/backend.js";
export function wasmScrypt(): ScryptFn | null {
  return null;
}
