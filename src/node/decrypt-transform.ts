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

export function decryptTransform(dec: Decoder): Transform {
  const feeder = new Feeder(dec);
  return generatorTransform((bytes) => feeder.push(bytes), () => feeder.end(), {
    after: (push) => (feeder.waiting !== null ? feeder.settle(push) : undefined), // an asynchronous identity
  });
}
