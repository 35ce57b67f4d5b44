// Iterators and wrappers over the push decoders and encoders (API.md
// "Iterators and wrappers"; the Python reference's names in camelCase).
import type { Decoder } from "../decoder/decoder.js";
import { concat } from "../encoder/encoder.js";
import { isBytes } from "../errors.js";
import { Feeder } from "./feeder.js";
import { type ChunkEncoder, Rechunker } from "./rechunker.js";

/** Any encoder the iterators and streams take: AgeEncoder, AgeRTEncoder, CryptIoEncoder. */
export type AnyEncoder = ChunkEncoder;

/**
 * Yields the header (with the nonce), then one sealed chunk per plaintext
 * chunk, then the final chunk if the input did not finalize the encoder.
 * age-rt keeps the caller's chunk boundaries (an empty final chunk ends the
 * stream, as in the reference; chunks above maxChunkSize are split). age v1
 * re-chunks into 64 KiB, and the last chunk is the final one, so no empty
 * final chunk ever follows a full one. crypt-io re-chunks into its chunk
 * size and ends as the crate does (rechunker.ts).
 */
export function* iterEncodeChunks(chunks: Iterable<Uint8Array>, enc: AnyEncoder): Generator<Uint8Array> {
  const r = new Rechunker(enc);
  yield r.header();
  for (const chunk of chunks) yield* r.push(chunk);
  yield* r.end();
}

/** Async version of iterEncodeChunks, for async or sync chunk sources. */
export async function* aiterEncodeChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, enc: AnyEncoder,
): AsyncGenerator<Uint8Array> {
  const r = new Rechunker(enc);
  yield r.header();
  for await (const chunk of chunks) yield* r.push(chunk);
  yield* r.end();
}

/** Encodes chunks into one byte array. */
export function encodeBytes(chunks: Iterable<Uint8Array>, enc: AnyEncoder): Uint8Array {
  // One payload, the common case (`encodeBytes([data], enc)`), is sealed
  // straight into the result. Any other input is consumed as it is encoded,
  // never copied into an array first (a lazy source is not held whole).
  if (enc._isFresh && Array.isArray(chunks) && chunks.length === 1 && isBytes(chunks[0])) return enc._encodeWhole(chunks[0]);
  return concat(...iterEncodeChunks(chunks, enc));
}

const TRAILING_PROBE = 4096; // bytes asked for after the final chunk, to find trailing data
const TEXT_BLOCK = 16384; // bytes of armored text per read

/**
 * Decodes from `read(n)`, which returns n bytes, or fewer only where the input
 * ends. Yields each plaintext chunk as it authenticates; throws
 * StreamTruncatedError when the input ends before the final chunk and
 * ChunkAuthenticationError when data follows it.
 */
export function* iterDecodeCallable(read: (n: number) => Uint8Array, dec: Decoder): Generator<Uint8Array> {
  while (!dec.isDone()) {
    // Armored text has no exact sizes: it is read in blocks, like the Feeder.
    if (dec._takesText) yield* feedText(dec, read(TEXT_BLOCK));
    else yield* feedRead(dec, dec.bytesWanted, read(dec.bytesWanted));
  }
  // Trailing data is an error (age v1 "Payload"); armor may end in whitespace.
  for (let extra = read(TRAILING_PROBE); extra.length > 0; extra = read(TRAILING_PROBE)) dec.feed(extra);
  dec._end();
}

/** Async version of iterDecodeCallable. */
export async function* aiterDecodeCallable(read: (n: number) => Promise<Uint8Array>, dec: Decoder): AsyncGenerator<Uint8Array> {
  while (!dec.isDone()) {
    if (dec._takesText) yield* feedText(dec, await read(TEXT_BLOCK));
    else yield* feedRead(dec, dec.bytesWanted, await read(dec.bytesWanted));
  }
  for (let extra = await read(TRAILING_PROBE); extra.length > 0; extra = await read(TRAILING_PROBE)) dec.feed(extra);
  dec._end();
}

/**
 * Feeds one read of `wanted` bytes. A read returns fewer only where the
 * input ends: valid as a final read (AgeDecoder), else truncation.
 */
function* feedRead(dec: Decoder, wanted: number, data: Uint8Array): Generator<Uint8Array> {
  if (data.length === 0 || (data.length < wanted && !dec._acceptsShortRead)) dec._end();
  const out = dec.feed(data);
  if (out !== null) yield out;
  if (data.length < wanted && !dec.isDone()) dec._end();
}

/** Feeds a block of armored text; an empty read means the input ended. */
function* feedText(dec: Decoder, text: Uint8Array): Generator<Uint8Array> {
  if (text.length === 0) dec._end();
  yield* dec._feedText(text);
}

/** Decodes from blobs of any sizes. */
export function* iterDecodeChunks(blobs: Iterable<Uint8Array>, dec: Decoder): Generator<Uint8Array> {
  const feeder = new Feeder(dec);
  for (const blob of blobs) yield* feeder.push(blob);
  yield* feeder.end();
}

/** Async version of iterDecodeChunks, for async or sync blob sources. */
export async function* aiterDecodeChunks(
  blobs: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, dec: Decoder,
): AsyncGenerator<Uint8Array> {
  const feeder = new Feeder(dec);
  for await (const blob of blobs) yield* feeder.push(blob);
  yield* feeder.end();
}

/** Decodes a whole file or stream held in memory. */
export function decodeBytes(data: Uint8Array, dec: Decoder): Generator<Uint8Array> {
  return iterDecodeChunks([data], dec);
}
