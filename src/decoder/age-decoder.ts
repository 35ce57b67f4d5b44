// AgeDecoder: the push decoder for age v1 files only. In the payload it wants
// 64 KiB + 16 bytes per feed and takes a shorter read as the final chunk.
import { BinaryDecoder } from "./binary-decoder.js";
import { resolveOptions, type DecoderOptions } from "./options.js";

/** Push decoder for age v1 files only (an age-rt header is a HeaderParseError). */
export class AgeDecoder extends BinaryDecoder {
  constructor(passphrase: string, opts?: DecoderOptions);
  constructor(opts: DecoderOptions);
  constructor(first: string | DecoderOptions, opts?: DecoderOptions) {
    super(resolveOptions(first, opts), "age");
  }
}
