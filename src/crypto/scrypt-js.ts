// Pure-JS scrypt (@noble/hashes) for engines without WebAssembly.
import { scrypt } from "@noble/hashes/scrypt.js";
import type { ScryptFn } from "./backend.js";

export const jsScrypt: ScryptFn = (password, salt, logN, r, p, dkLen, opts) =>
  scrypt(password, salt, {
    N: 2 ** logN, r, p, dkLen,
    maxmem: 2 ** 32, // callers enforce the work-factor limit before calling
    onProgress: opts?.onProgress,
  });
