// Pure-JS scrypt (@noble/hashes) for engines without WebAssembly.
import { scrypt } from "@noble/hashes/scrypt.js";
import { UsageError } from "../errors.js";
import type { ScryptFn } from "./backend.js";

const MAXMEM = 2 ** 32;

export const jsScrypt: ScryptFn = (password, salt, logN, r, p, dkLen, opts) => {
  // noble allocates 128·r·(N + p + 1) bytes. Refuse above the limit the way
  // the WebAssembly facade does (a UsageError, before allocating) instead of
  // with noble's plain Error, so callers can tell a refusal from a failure.
  const need = 128 * r * (2 ** logN + p + 1);
  if (need > MAXMEM) {
    throw new UsageError(`scrypt: N=2^${logN}, r=${r}, p=${p} needs ${(need / 2 ** 20).toFixed(1)} MiB, above the ${MAXMEM / 2 ** 20} MiB limit`);
  }
  return scrypt(password, salt, {
    N: 2 ** logN, r, p, dkLen,
    maxmem: MAXMEM, // callers enforce the work-factor limit before calling
    onProgress: opts?.onProgress,
  });
};
