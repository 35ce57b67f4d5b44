// The CLI's engine for file runs (src/pool/file-runs.ts, RunCipher): full,
// non-final age STREAM chunks opened and sealed by Node's OpenSSL
// (src/pool/openssl-chunks.ts) instead of the WebAssembly core, on this
// thread and, through the job's engine, in the pool's workers. On CPUs with
// AVX-512 OpenSSL's ChaCha20-Poly1305 runs about twice as fast per core as the
// WebAssembly core, elsewhere about as fast (bench/results/cli.md).
//
// AGE_RT_CLI_ENGINE=wasm keeps the runs on the WebAssembly core (the CLI
// bench times both).
import * as nodeCrypto from "node:crypto";
import { AGE_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";
import type { RunCipher } from "../pool/file-runs.js";
import { opensslChunks } from "../pool/openssl-chunks.js";
import { gcPacer, keepFreedHeap } from "./gc.js";

const TAG = 16;

export class OpenSslRuns implements RunCipher {
  readonly engine = "openssl";
  readonly #sealed = new Uint8Array(RUN_CHUNKS * (AGE_CHUNK + TAG));
  readonly #plain = new Uint8Array(RUN_CHUNKS * AGE_CHUNK);
  /** node:crypto returns every chunk in a fresh buffer: collect them after every run (peak RSS, bench/results/cli.md). */
  readonly #pace = gcPacer(RUN_CHUNKS * AGE_CHUNK);

  constructor() {
    keepFreedHeap(); // and reuse their memory without faulting it in again
  }

  sealedView(n: number): Uint8Array {
    return this.#sealed.subarray(0, n * (AGE_CHUNK + TAG));
  }

  plaintextView(n: number): Uint8Array {
    return this.#plain.subarray(0, n * AGE_CHUNK);
  }

  open(key: Uint8Array, counter: number, n: number): number {
    this.#pace(n * AGE_CHUNK);
    return opensslChunks(nodeCrypto, "open", key, counter, n, AGE_CHUNK, this.#sealed, this.#plain);
  }

  seal(key: Uint8Array, counter: number, n: number): void {
    this.#pace(n * AGE_CHUNK);
    opensslChunks(nodeCrypto, "seal", key, counter, n, AGE_CHUNK, this.#plain, this.#sealed);
    this.#plain.fill(0, 0, n * AGE_CHUNK);
  }

  wipe(): void {
    this.#sealed.fill(0);
    this.#plain.fill(0);
  }
}

/**
 * This thread's engine for the CLI's file runs (undefined: file-runs.ts's
 * default, the WebAssembly core, also where Node's OpenSSL lacks the cipher,
 * as a FIPS-only build does).
 */
export function cliRuns(): RunCipher | undefined {
  if (process.env.AGE_RT_CLI_ENGINE === "wasm" || !nodeCrypto.getCiphers().includes("chacha20-poly1305")) return undefined;
  return new OpenSslRuns();
}
