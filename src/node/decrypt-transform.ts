// decryptTransform: a node:stream Transform over a push decoder (age-rt/node).
// Encrypted bytes in (any chunking), plaintext out, one chunk as soon as it
// authenticates. Nothing unauthenticated is ever pushed; a decode error
// (HeaderParseError, NoIdentityMatchError, ChunkAuthenticationError,
// StreamTruncatedError, ArmorError…) destroys the stream with that typed
// error, after the chunks that authenticated before it were pushed.
import type { Transform } from "node:stream";
import type { Decoder } from "../decoder/decoder.js";
import { Feeder } from "../io/feeder.js";
import { generatorTransform } from "./generator-transform.js";
import { pooledTransform } from "./pooled-transform.js";
import type { PoolOption } from "./pool-option.js";

/**
 * A node:stream Transform: encrypted bytes in, each plaintext chunk out as it
 * authenticates. With `pool`, the payload's chunks are opened on its
 * workers, in runs, and released in order as each run authenticated.
 */
export function decryptTransform(dec: Decoder, opts: PoolOption = {}): Transform {
  if (opts.pool !== undefined) {
    const pool = opts.pool;
    return pooledTransform((sink) => pool._decrypter(dec, sink));
  }
  const feeder = new Feeder(dec);
  return generatorTransform((bytes) => feeder.push(bytes), () => feeder.end(), {
    after: (push) => (feeder.waiting !== null ? feeder.settle(push) : undefined), // an asynchronous identity
  });
}
