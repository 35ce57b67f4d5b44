// encryptTransform: a node:stream Transform over an encoder (age-rt/node).
// Plaintext in, the encrypted file out: the header (with the payload nonce)
// is pushed at once, so a reader downstream can start on it before any
// plaintext arrives; then sealed chunks as the plaintext comes.
//
// With an AgeRTEncoder each written buffer becomes one chunk, sealed and
// pushed at once (real time). With an AgeEncoder the input is re-chunked
// into 64 KiB (the Rechunker holds back at most one chunk).
import type { Transform } from "node:stream";
import type { AnyEncoder } from "../io/iterators.js";
import { Rechunker } from "../io/rechunker.js";
import { generatorTransform } from "./generator-transform.js";
import { isPoolable } from "../pool/poolable.js";
import { pooledTransform } from "./pooled-transform.js";
import type { PoolOption } from "./pool-option.js";

/**
 * A node:stream Transform: plaintext in, the encrypted file out (header
 * first). With `pool`, runs of chunks are sealed on its workers; the output
 * is the same bytes.
 */
export function encryptTransform(enc: AnyEncoder, opts: PoolOption = {}): Transform {
  const pool = opts.pool;
  if (pool !== undefined && isPoolable(enc)) return pooledTransform((sink) => pool._encrypter(enc, sink)!);
  const r = new Rechunker(enc);
  let headerSent = false;
  const sendHeader = (push: (out: Uint8Array) => void) => {
    headerSent = true;
    push(r.header());
  };
  const t = generatorTransform((bytes) => r.push(bytes), () => r.end(), {
    // An asynchronous recipient: the header, and so every chunk, waits for it.
    before: (push) => (headerSent ? undefined : enc.pending != null ? enc.pending.then(() => sendHeader(push)) : sendHeader(push)),
  });
  if (enc.pending == null) sendHeader((out) => t.push(out));
  return t;
}
