// decodeFile and decryptFile (age-rt/node): the Python reference's
// decode_file for Node sources, and a whole-file decryption in constant memory.
import { createReadStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { Readable } from "node:stream";
import type { Decoder } from "../decoder/decoder.js";
import { UsageError } from "../errors.js";
import { aiterDecodeChunks } from "../io/iterators.js";
import { FILE_READ_SIZE } from "./encode-file.js";
import { fileHandleSink } from "./sink.js";
import { pooledIterate } from "../pool/iterate.js";
import type { PoolOption } from "./pool-option.js";

/**
 * Yields the plaintext chunks of `source` as each authenticates: a path
 * (opened and closed here), an open FileHandle (read from its current
 * position, left open) or a Readable. Throws the decoder's typed error on bad
 * input or truncation, after the chunks that authenticated before it.
 * Breaking out of the loop early destroys a Readable source, as for-await does.
 * With `pool`, the chunks are opened on its workers in runs (yielded a run at
 * a time, in order, each once all of it authenticated).
 */
export async function* decodeFile(source: string | FileHandle | Readable, dec: Decoder, opts: PoolOption = {}): AsyncGenerator<Uint8Array> {
  const pool = opts.pool;
  if (pool === undefined) yield* aiterDecodeChunks(readableFor(source), dec);
  else yield* pooledIterate(readableFor(source), (sink) => pool._decrypter(dec, sink));
}

function readableFor(source: string | FileHandle | Readable): Readable {
  if (typeof source === "string") return createReadStream(source, { highWaterMark: FILE_READ_SIZE });
  if (source instanceof Readable) return source;
  if (source !== null && typeof source === "object" && typeof (source as FileHandle).createReadStream === "function") {
    return (source as FileHandle).createReadStream({ highWaterMark: FILE_READ_SIZE, autoClose: false });
  }
  throw new UsageError("source must be a path, a FileHandle or a Readable");
}

/**
 * Decrypts the file at `inPath` to `outPath` (created or truncated),
 * streaming in constant memory. On a decode error the promise rejects with
 * it once every chunk that authenticated before the failure is written:
 * `outPath` then holds exactly that plaintext (like Go age's CLI, it is not
 * removed) and never anything unauthenticated. With `pool`, the chunks are
 * opened on its workers.
 */
export async function decryptFile(inPath: string, outPath: string, dec: Decoder, opts: PoolOption = {}): Promise<void> {
  // The input is opened first, so a missing input does not truncate outPath.
  const input = await open(inPath, "r");
  try {
    const output = await open(outPath, "w");
    try {
      const sink = fileHandleSink(output);
      for await (const chunk of decodeFile(input, dec, opts)) await sink.write(chunk);
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}
