// Full, non-final age STREAM chunks (C2SP age.md "Payload": ChaCha20-Poly1305,
// nonce = 11-byte big-endian counter ‖ last-chunk flag) opened or sealed by
// Node's OpenSSL through node:crypto, one cipher object per chunk. The CLI
// uses it for file runs (src/cli/openssl-runs.ts, and the pool's workers
// through file-runs-worker.ts): on CPUs with AVX-512 OpenSSL's assembly is
// about twice the WebAssembly core's speed per core, elsewhere about equal
// (bench/results/cli.md).
//
// It is started from its source text in the workers too, like
// poolWorkerMain: it must not refer to anything outside its own body and
// must stay plain ES2022. node:crypto is handed in.

/** What this needs of node:crypto. */
export interface NodeCipherApi {
  createCipheriv(alg: string, key: Uint8Array, iv: Uint8Array, opts: { authTagLength: number }): {
    update(b: Uint8Array): Uint8Array;
    final(): Uint8Array;
    getAuthTag(): Uint8Array;
  };
  createDecipheriv(alg: string, key: Uint8Array, iv: Uint8Array, opts: { authTagLength: number }): {
    setAuthTag(tag: Uint8Array): unknown;
    update(b: Uint8Array): Uint8Array;
    final(): Uint8Array;
  };
}

/**
 * Opens (`op` "open": frames of size + 16 in `input`, plaintext to `out`) or
 * seals (the other way) the `n` chunks from STREAM counter `counter` on, all
 * non-final. Opening stops at the first chunk that does not authenticate and
 * returns how many did; its plaintext never reaches `out` (and its copy
 * from node:crypto is zeroed).
 */
export function opensslChunks(api: NodeCipherApi, op: "open" | "seal", key: Uint8Array, counter: number, n: number, size: number, input: Uint8Array, out: Uint8Array): number {
  const TAG = 16;
  const ALG = "chacha20-poly1305";
  const nonce = new Uint8Array(12);
  const nv = new DataView(nonce.buffer);
  const stride = size + TAG;
  for (let i = 0; i < n; i++) {
    const c = counter + i;
    nv.setUint32(3, Math.floor(c / 2 ** 32));
    nv.setUint32(7, c >>> 0);
    if (op === "open") {
      const frame = input.subarray(i * stride, (i + 1) * stride);
      const d = api.createDecipheriv(ALG, key, nonce, { authTagLength: TAG });
      d.setAuthTag(frame.subarray(size));
      const p = d.update(frame.subarray(0, size));
      try {
        d.final(); // checks the tag (in constant time, in OpenSSL)
      } catch {
        p.fill(0);
        return i;
      }
      out.set(p, i * size); // p itself is garbage now, not zeroed (SECURITY.md, "Copies in the JavaScript heap")
    } else {
      const e = api.createCipheriv(ALG, key, nonce, { authTagLength: TAG });
      out.set(e.update(input.subarray(i * size, (i + 1) * size)), i * stride);
      e.final();
      out.set(e.getAuthTag(), i * stride + size);
    }
  }
  return n;
}
