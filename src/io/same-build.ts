// Decoders and encoders go with the iterators and streams of their own
// build. Those drive them through internal members, which the prebuilt
// browser bundle renames (esbuild mangleProps): a decoder from a separately
// bundled entry (age-rt/crypt-io next to age-rt/browser) lacks the renamed
// members and would fail with a TypeError about a missing method. Two
// unminified copies of the package (two versions in node_modules) keep the
// names and still work together, so this checks the members, not the class.
import type { Decoder } from "../decoder/decoder.js";
import { UsageError } from "../errors.js";
import type { ChunkEncoder } from "./rechunker.js";

function foreign(kind: "decoder" | "encoder"): UsageError {
  return new UsageError(
    `this ${kind} is not one of this build of age-rt (for example, the prebuilt age-rt/browser bundle next to a separately bundled entry): ` +
      "pass it to the iterators and streams of the build that made it",
  );
}

/** Throws a UsageError unless the iterators and streams can drive `dec`. */
export function checkDecoder(dec: Decoder): void {
  if (typeof (dec as Partial<Decoder> | null)?._end !== "function") throw foreign("decoder");
}

/** Throws a UsageError unless the iterators and streams can drive `enc`. */
export function checkEncoder(enc: ChunkEncoder): void {
  if (typeof (enc as Partial<ChunkEncoder> | null)?._encodeWhole !== "function") throw foreign("encoder");
}
