// encodeFile and encryptFile (age-rt/node): the Python reference's
// encode_file for Node targets, and a whole-file encryption in constant memory.
import { createWriteStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { aiterEncodeChunks, type AnyEncoder } from "../io/iterators.js";
import { UsageError } from "../errors.js";
import { encryptTransform } from "./encrypt-transform.js";
import { fileHandleSink, writableSink, type Sink } from "./sink.js";
import { FILE_READ_SIZE } from "../format/chunk-size.js";
import { pooledIterate } from "../pool/iterate.js";
import { isPoolable } from "../pool/poolable.js";
import type { PoolOption } from "./pool-option.js";

export { FILE_READ_SIZE };

/**
 * Encrypts `chunks` (sync or async) to `target`: a path (created or
 * truncated, then closed), or an open FileHandle or Writable, which are
 * written to with backpressure and left open, as the caller owns them.
 * With an AgeRTEncoder each chunk is one sealed chunk (split above
 * maxChunkSize), as in iterEncodeChunks. With `pool`, runs of chunks are
 * sealed on its workers; the bytes written are the same.
 */
export async function encodeFile(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  target: string | FileHandle | Writable,
  enc: AnyEncoder,
  opts: PoolOption = {},
): Promise<void> {
  const encodeTo = (sink: Sink) => encodeChunksTo(chunks, sink, enc, opts);
  if (typeof target === "string") {
    const handle = await open(target, "w");
    try {
      await encodeTo(fileHandleSink(handle));
    } finally {
      await handle.close();
    }
    return;
  }
  if (target instanceof Writable) {
    const sink = writableSink(target);
    try {
      await encodeTo(sink);
    } finally {
      sink.detach();
    }
    return;
  }
  await encodeTo(fileHandleSink(asFileHandle(target)));
}

async function encodeChunksTo(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, sink: Sink, enc: AnyEncoder, { pool }: PoolOption,
): Promise<void> {
  const sealed = pool !== undefined && isPoolable(enc)
    ? pooledIterate(chunks, (s) => pool._encrypter(enc, s)!)
    : aiterEncodeChunks(chunks, enc);
  for await (const out of sealed) await sink.write(out);
}

function asFileHandle(target: unknown): FileHandle {
  if (target !== null && typeof target === "object" && typeof (target as FileHandle).write === "function" && typeof (target as FileHandle).fd === "number") {
    return target as FileHandle;
  }
  throw new UsageError("target must be a path, a FileHandle or a Writable");
}

/**
 * Encrypts the file at `inPath` to `outPath` (created or truncated), streaming
 * in constant memory. With an AgeRTEncoder each 1 MiB read is split into
 * maxChunkSize chunks. With `pool`, the chunks are sealed on its workers.
 */
export async function encryptFile(inPath: string, outPath: string, enc: AnyEncoder, opts: PoolOption = {}): Promise<void> {
  // The input is opened first, so a missing input does not truncate outPath.
  const input = await open(inPath, "r");
  try {
    await pipeline(
      input.createReadStream({ highWaterMark: FILE_READ_SIZE, autoClose: false }),
      encryptTransform(enc, opts),
      createWriteStream(outPath),
    );
  } finally {
    await input.close();
  }
}
