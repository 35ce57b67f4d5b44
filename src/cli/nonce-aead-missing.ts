// crypto/nonce-aead-js.ts as the commands' crypto/aead.ts sees it
// (scripts/bundle.mjs substitutes it in the CLI build). The commands run on
// Node, whose WebAssembly core always serves AES-256-GCM and
// XChaCha20-Poly1305 (crypt-io), so aead.ts's pure-JS fallback for them is
// never reached from the CLI; @noble's AES computes its tables as it loads
// (~8 ms), which every start paid for it. Should the core be missing after
// all, these say so instead of running.
import { AgeRTError } from "../errors.js";
import type { NonceAead } from "../crypto/backend.js";

function missing(name: string, nonceLength: number): NonceAead {
  const fail = (): never => {
    throw new AgeRTError(`${name} needs the WebAssembly core, which this Node cannot run`);
  };
  return { nonceLength, seal: fail, open: fail };
}

export const jsGcm = missing("AES-256-GCM", 12);
export const jsXChaCha = missing("XChaCha20-Poly1305", 24);
