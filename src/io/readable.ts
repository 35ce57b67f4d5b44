// Pull-based streams over a source ReadableStream: decryptReadable(source,
// dec) and encryptReadable(source, enc) return the output ReadableStream
// themselves instead of a TransformStream for pipeThrough().
//
// Why both shapes: pipeThrough() pays the WHATWG streams machinery twice for
// every piece the source hands out (the pipe's write into the transform's
// writable side, and its transform step), and request bodies, sockets and
// file streams hand out 1–16 KiB pieces. Here each piece costs one read().
// Where the source is a byte stream (fetch and request bodies), the decrypting
// side reads it with a BYOB reader into buffers of at least the bytes the
// decoder still needs — in one read where the host offers readAtLeast()
// (Cloudflare's workerd) — so small network pieces are gathered by the host,
// never more than the next feed needs (a live age-rt stream is not waited on
// past its next frame).
//
// What is released, and when, is exactly decryptStream's (the same Feeder).
import type { Decoder } from "../decoder/decoder.js";
import { Feeder } from "./feeder.js";
import type { AnyEncoder } from "./iterators.js";
import { Rechunker } from "./rechunker.js";

/** Bytes a BYOB read asks the source for at least (one age v1 sealed chunk and a little more). */
const READ_BYTES = 128 * 1024;

/**
 * Output bytes the stream works ahead of its reader (four age v1 chunks):
 * with none, the source is read only once the consumer asks, so reading the
 * input and writing the output never overlap (workerd's README Worker, one
 * workerd, requests interleaved: 0.61-0.70x the echo Worker's throughput
 * without, 0.66-0.81x with).
 */
const AHEAD_BYTES = 256 * 1024;

/** workerd's extension of the BYOB reader: resolves once `min` bytes are there (or the stream ended). */
interface AtLeastReader extends ReadableStreamBYOBReader {
  readAtLeast?(min: number, view: Uint8Array): Promise<ReadableStreamReadResult<Uint8Array>>;
}

/** The source's pieces, one read at a time; null once it ended. */
interface PieceReader {
  read(): Promise<Uint8Array | null>;
  cancel(reason: unknown): Promise<void>;
}

/**
 * With `want` (the bytes the consumer needs before it can take a step), a
 * byte stream is read with a BYOB reader into buffers of at least that many
 * bytes; without it, or from any other stream, the source's pieces as they come.
 */
function pieceReader(source: ReadableStream<Uint8Array>, want?: () => number): PieceReader {
  let byob: AtLeastReader | undefined;
  try {
    if (want) byob = source.getReader({ mode: "byob" }); // only byte streams have one
  } catch {}
  const reader = byob ?? source.getReader();
  let ended = false;
  return {
    async read() {
      if (!byob) {
        const { value, done } = await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
        return done ? null : value;
      }
      while (!ended) {
        const min = want!();
        const view = new Uint8Array(Math.max(min, READ_BYTES));
        const { value, done } = await (byob.readAtLeast ? byob.readAtLeast(min, view) : byob.read(view));
        ended = done;
        if (value?.length) return value;
      }
      return null;
    },
    cancel: (reason) => reader.cancel(reason),
  };
}

/**
 * The output: pulls pieces from `source` until `step` has released at least
 * one non-empty chunk, or the source ended (`end` then runs and the output
 * closes); `begin` runs once, first. Pulls go on while less than
 * AHEAD_BYTES wait to be read. An error cancels the source and errors
 * the output. A byte stream where the engine has them (hosts such as workerd
 * pass one on to a Response without a JavaScript step per chunk; WebKit
 * lacked them until 2024), so empty chunks are not enqueued, on either kind,
 * alike everywhere. A byte stream's enqueue() transfers the chunk's whole
 * buffer: the chunk itself goes when it is its buffer (what encoders and
 * decoders return is the caller's), else a copy.
 */
function pullStream(
  source: PieceReader,
  step: (piece: Uint8Array, emit: (out: Uint8Array) => void) => void | Promise<void>,
  end: (emit: (out: Uint8Array) => void) => void,
  begin?: (emit: (out: Uint8Array) => void) => Promise<void>,
): ReadableStream<Uint8Array> {
  let bytes = true;
  const underlying = {
    async pull(controller: ReadableStreamController<Uint8Array>) {
      let released = false;
      const emit = (out: Uint8Array) => {
        const b = out.buffer;
        if (out.length === 0) return;
        controller.enqueue(
          (!bytes || (b instanceof ArrayBuffer && out.byteOffset === 0 && out.length === b.byteLength) ? out : out.slice()) as Uint8Array<ArrayBuffer>,
        );
        released = true;
      };
      try {
        if (begin) {
          await begin(emit);
          begin = undefined;
        }
        while (!released) {
          const piece = await source.read();
          if (piece === null) {
            end(emit);
            controller.close();
            // A BYOB read of the output still waiting must be answered (Streams spec, "close").
            if (bytes) (controller as ReadableByteStreamController).byobRequest?.respond(0);
            return;
          }
          const async = step(piece, emit);
          if (async) await async;
        }
      } catch (error) {
        await source.cancel(error).catch(() => {});
        throw error;
      }
    },
    cancel: (reason: unknown) => source.cancel(reason),
  };
  try {
    return new ReadableStream({ ...underlying, type: "bytes" } as UnderlyingByteSource, { highWaterMark: AHEAD_BYTES }) as ReadableStream<Uint8Array>;
  } catch {
    bytes = false;
    return new ReadableStream(underlying as UnderlyingDefaultSource<Uint8Array>, { highWaterMark: AHEAD_BYTES, size: (c) => c.byteLength });
  }
}

/**
 * Encrypted bytes from `source` (a ReadableStream of any piece sizes), and
 * the plaintext as a ReadableStream whose chunks leave as each one
 * authenticates: what `source.pipeThrough(decryptStream(dec))` gives, with
 * the same errors (the stream errors with a typed DecodeError; nothing
 * unauthenticated is enqueued), at a fraction of its cost per source piece.
 * The way to decrypt a request or response body:
 * `new Response(decryptReadable(request.body, dec))`. The output is a byte
 * stream: it carries the bytes, not age-rt's chunk boundaries (a host may
 * cut its reads in its own sizes); for those, use decryptStream. It works
 * up to 256 KiB of plaintext ahead of its reader.
 */
export function decryptReadable(source: ReadableStream<Uint8Array>, dec: Decoder): ReadableStream<Uint8Array> {
  const feeder = new Feeder(dec);
  return pullStream(
    pieceReader(source, () => feeder.shortfall),
    (piece, emit) => {
      for (const out of feeder.push(piece)) emit(out);
      // An asynchronous identity: only then is a step asynchronous.
      if (feeder.waiting !== null) return feeder.settle(emit);
    },
    (emit) => {
      for (const out of feeder.end()) emit(out);
    },
  );
}

/**
 * Plaintext from `source`, and the encrypted stream as a ReadableStream:
 * what `source.pipeThrough(encryptStream(enc))` gives (with an AgeRTEncoder
 * each source piece is one chunk, sealed and passed on at once), at a
 * fraction of its cost per source piece. The output is a byte stream.
 */
export function encryptReadable(source: ReadableStream<Uint8Array>, enc: AnyEncoder): ReadableStream<Uint8Array> {
  const r = new Rechunker(enc);
  return pullStream(
    pieceReader(source), // the source's pieces are kept: age-rt frames them as they come
    (piece, emit) => {
      for (const out of r.push(piece)) emit(out);
    },
    (emit) => {
      for (const out of r.end()) emit(out);
    },
    async (emit) => {
      await enc.pending; // an asynchronous recipient
      emit(r.header());
    },
  );
}
