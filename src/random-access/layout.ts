// Where each chunk of an age v1 payload lies (C2SP age.md "Payload"): after
// the header and the 16-byte nonce, every chunk but the last is exactly
// 64 KiB + 16 sealed, and the last one is 16 .. 64 KiB + 16. So the file's
// size alone fixes the chunk grid — which is what makes random access
// possible, and why the size is trusted only once the last chunk
// authenticated as final (open.ts).
import { StreamTruncatedError } from "../errors.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK } from "../format/chunk-size.js";

const TAG = 16;
/**
 * The first read for the header (a header with a few stanzas is a few
 * hundred bytes): the look-ahead into chunk 0 stays well under 64 KiB.
 */
export const HEAD_READ = 16 * 1024;

export interface PayloadLayout {
  /** File offset of chunk 0's first sealed byte. */
  readonly payloadStart: number;
  /** Number of chunks, at least 1 (an empty payload is one empty final chunk). */
  readonly chunks: number;
  /** Sealed bytes of the last chunk (16 .. 64 KiB + 16). */
  readonly lastSealed: number;
  /** Plaintext size, if the last chunk authenticates as final. */
  readonly size: number;
}

/** The grid of a payload from `payloadStart` to `fileSize`; StreamTruncatedError when no chunk fits. */
export function payloadLayout(payloadStart: number, fileSize: number): PayloadLayout {
  const sealed = fileSize - payloadStart;
  if (sealed < TAG) {
    throw new StreamTruncatedError(`the payload is ${sealed} bytes after the nonce: no room for a chunk (at least its 16-byte tag)`);
  }
  const chunks = Math.ceil(sealed / AGE_SEALED_CHUNK);
  const lastSealed = sealed - (chunks - 1) * AGE_SEALED_CHUNK;
  return { payloadStart, chunks, lastSealed, size: (chunks - 1) * AGE_CHUNK + Math.max(0, lastSealed - TAG) };
}

/** File offset of chunk `index`'s sealed bytes. */
export function chunkOffset(layout: PayloadLayout, index: number): number {
  return layout.payloadStart + index * AGE_SEALED_CHUNK;
}

/** The chunk holding plaintext byte `offset` (offset < size). */
export function chunkOf(offset: number): number {
  return Math.floor(offset / AGE_CHUNK);
}
