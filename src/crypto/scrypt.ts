// scrypt for the layers above: the WebAssembly core when it can be
// instantiated, the pure-JS path otherwise.
import type { ScryptFn } from "./backend.js";
import { jsBackends } from "./fallback.js";
import { wasmScrypt } from "../wasm/scrypt.js";

export const scrypt: ScryptFn = (password, salt, logN, r, p, dkLen, opts) =>
  (wasmScrypt() ?? jsBackends().scrypt)(password, salt, logN, r, p, dkLen, opts);
