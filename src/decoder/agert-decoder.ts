// AgeRTDecoder: the push decoder for age-rt v0.2 streams only. It releases
// every chunk as soon as it authenticates, empty ones and the final one too.
import { BinaryDecoder } from "./binary-decoder.js";
import { resolveOptions, type DecoderOptions } from "./options.js";

/** Push decoder for age-rt v0.2 streams only (an age v1 header is a HeaderParseError). */
export class AgeRTDecoder extends BinaryDecoder {
  constructor(passphrase: string, opts?: DecoderOptions);
  constructor(opts: DecoderOptions);
  constructor(first: string | DecoderOptions, opts?: DecoderOptions) {
    super(resolveOptions(first, opts), "age-rt");
  }
}
