// fileSource (age-rt/node, API.md "Random access"): a RandomAccessSource over
// a file on disk, with positional reads (pread), so concurrent reads need no
// shared file position. The size is taken once, at open: a file that shrinks
// afterwards fails the reads past its new end (StreamTruncatedError), and
// one modified in place fails authentication of the chunks it touched.
import { open, type FileHandle } from "node:fs/promises";
import { UsageError } from "../errors.js";
import type { RandomAccessSource } from "../random-access/source.js";

/**
 * A source over `pathOrHandle`. A path is opened here and closed by the
 * source's close() (AgeRandomAccess.close() calls it); a FileHandle stays the
 * caller's to close.
 */
export async function fileSource(pathOrHandle: string | FileHandle): Promise<RandomAccessSource> {
  if (typeof pathOrHandle === "string") {
    const handle = await open(pathOrHandle, "r");
    try {
      const source = await over(handle);
      return { ...source, close: () => handle.close() };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  if (pathOrHandle === null || typeof pathOrHandle !== "object" || typeof (pathOrHandle as FileHandle).read !== "function") {
    throw new UsageError("fileSource takes a path or a FileHandle (from node:fs/promises open())");
  }
  return over(pathOrHandle);
}

async function over(handle: FileHandle): Promise<{ size: number; read(offset: number, length: number): Promise<Uint8Array> }> {
  const { size } = await handle.stat();
  return {
    size,
    async read(offset, length) {
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, offset + done);
        if (bytesRead === 0) break; // the file shrank: readExactly reports the short read
        done += bytesRead;
      }
      return done === length ? out : out.subarray(0, done);
    },
  };
}
