// Iterators and wrappers over the push decoders and encoders (API.md
// "Iterators and wrappers"; the Python reference's names in camelCase).
import type { Decoder } from "../decoder/decoder.js";
import { NO_CHUNKS, concat } from "../format/bytes.js";
import { assertBytes, isBytes } from "../errors.js";
import { Feeder, asyncOnly } from "./feeder.js";
import { checkDecoder } from "./same-build.js";
import { END, Pieces } from "./pieces.js";
import { Rechunker, type ChunkEncoder } from "./rechunker.js";

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
  if (enc.pending != null) throw asyncOnly("iterEncodeChunks", "aiterEncodeChunks or encryptStream");
  const r = new Rechunker(enc);
  yield r.header();
  for (const chunk of chunks) {
    const out = r.push(chunk);
    if (out !== NO_CHUNKS) yield* out; // most small pieces complete nothing: no delegation for them
  }
  yield* r.end();
}

/** Async version of iterEncodeChunks, for async or sync chunk sources. */
export async function* aiterEncodeChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, enc: AnyEncoder,
): AsyncGenerator<Uint8Array> {
  await enc.pending; // an asynchronous recipient
  const r = new Rechunker(enc);
  yield r.header();
  const pieces = new Pieces(chunks); // a sync source without a tick per piece
  try {
    for (;;) {
      const step = pieces.next();
      const piece = pieces.take(pieces.sync ? (step as IteratorResult<Uint8Array>) : await step);
      if (piece === END) break;
      const out = r.push(piece);
      if (out !== NO_CHUNKS) for (const c of out) yield c; // not yield*: see aiterDecodeChunks
    }
  } finally {
    await pieces.close();
  }
  yield* r.end();
}

/** Encodes chunks into one byte array. */
export function encodeBytes(chunks: Iterable<Uint8Array>, enc: AnyEncoder): Uint8Array {
  // One payload, the common case (`encodeBytes([data], enc)`), is sealed
  // straight into the result. Any other input is consumed as it is encoded,
  // never copied into an array first (a lazy source is not held whole).
  if (enc.pending != null) throw asyncOnly("encodeBytes", "aiterEncodeChunks or encryptStream");
  if (enc._isFresh && Array.isArray(chunks) && chunks.length === 1 && isBytes(chunks[0])) return enc._encodeWhole(chunks[0]);
  return concat(...iterEncodeChunks(chunks, enc));
}

/**
 * Decodes from `read(n)`, which returns n bytes, or fewer only where the input
 * ends. Yields each plaintext chunk as it authenticates; throws
 * StreamTruncatedError when the input ends before the final chunk and
 * ChunkAuthenticationError when data follows it.
 *
 * Reads never ask for more than the decoder needs (bytesWanted; armored text
 * in blocks that stop at the armor's end line), so a live source that goes on
 * after the stream is not read into. After an age-rt stream's final chunk,
 * `read` is not called again: what follows is the caller's. age v1 forbids
 * trailing data and armor allows only whitespace after its end line: both
 * are checked by reads of one byte, up to the input's end.
 */
export function* iterDecodeCallable(read: (n: number) => Uint8Array, dec: Decoder): Generator<Uint8Array> {
  checkDecoder(dec);
  const get = (n: number) => checked(read(n));
  while (!dec.isDone()) {
    if (dec.pending !== null) throw asyncOnly("iterDecodeCallable", "aiterDecodeCallable");
    if (dec._takesText) yield* feedText(dec, get(dec._textWanted));
    else yield* feedRead(dec, dec.bytesWanted, get(dec.bytesWanted));
  }
  if (dec._checksTrailing) for (let extra = get(1); extra.length > 0; extra = get(1)) dec._trailing(extra);
  dec._end();
}

/** Async version of iterDecodeCallable. */
export async function* aiterDecodeCallable(read: (n: number) => Promise<Uint8Array>, dec: Decoder): AsyncGenerator<Uint8Array> {
  checkDecoder(dec);
  const get = async (n: number) => checked(await read(n));
  while (!dec.isDone()) {
    if (dec.pending !== null) {
      await dec.pending; // an asynchronous identity; armored text read so far is still queued in the decoder
      if (dec._takesText) yield* dec._feedText(new Uint8Array(0));
      continue;
    }
    if (dec._takesText) yield* feedText(dec, await get(dec._textWanted));
    else yield* feedRead(dec, dec.bytesWanted, await get(dec.bytesWanted));
  }
  if (dec._checksTrailing) for (let extra = await get(1); extra.length > 0; extra = await get(1)) dec._trailing(extra);
  dec._end();
}

/** A read's result: anything but a Uint8Array is the caller's mistake (UsageError), not bad input. */
function checked(data: Uint8Array): Uint8Array {
  assertBytes("read() result", data);
  return data;
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

/** Feeds a block of armored text; an empty read means the input ended (a short one need not). */
function* feedText(dec: Decoder, text: Uint8Array): Generator<Uint8Array> {
  if (text.length === 0) dec._end();
  yield* dec._feedText(text);
}

/** Decodes from blobs of any sizes. */
export function* iterDecodeChunks(blobs: Iterable<Uint8Array>, dec: Decoder): Generator<Uint8Array> {
  yield* decodeSync(blobs, dec, "iterDecodeChunks");
}

/** Async version of iterDecodeChunks, for async or sync blob sources. */
export async function* aiterDecodeChunks(
  blobs: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, dec: Decoder,
): AsyncGenerator<Uint8Array> {
  const feeder = new Feeder(dec);
  const pieces = new Pieces(blobs); // a sync source without a tick per piece
  try {
    for (;;) {
      const step = pieces.next();
      const piece = pieces.take(pieces.sync ? (step as IteratorResult<Uint8Array>) : await step);
      if (piece === END) break;
      // Not yield*: in an async generator that wraps every piece's (mostly
      // empty) result in an async iterator, a cost per piece.
      const out = feeder.push(piece);
      if (out !== NO_CHUNKS) for (const c of out) yield c;
      while (feeder.waiting !== null) {
        await feeder.waiting;
        yield* feeder.resume();
      }
    }
  } finally {
    await pieces.close();
  }
  yield* feeder.end();
}

/** Decodes a whole file or stream held in memory. */
export function decodeBytes(data: Uint8Array, dec: Decoder): Generator<Uint8Array> {
  return decodeSync([data], dec, "decodeBytes");
}

function* decodeSync(blobs: Iterable<Uint8Array>, dec: Decoder, api: string): Generator<Uint8Array> {
  const feeder = new Feeder(dec);
  for (const blob of blobs) {
    const out = feeder.push(blob);
    if (out !== NO_CHUNKS) yield* out; // most small blobs complete nothing: no delegation for them
    if (feeder.waiting !== null) throw asyncOnly(api, "aiterDecodeChunks or decryptStream");
  }
  yield* feeder.end();
}
