// Where random access reads the encrypted bytes from (API.md "Random
// access"): a RandomAccessSource gives its size and positional reads. Here:
// the interface, the sources over a Uint8Array and a Blob/File, and the
// checks every source's answers go through before the format layer sees them.
// (HTTP: range-source.ts; Node files: src/node/file-source.ts.)
import { StreamTruncatedError, UsageError, isBytes } from "../errors.js";

/** Positional reads over an immutable byte string of known size. */
export interface RandomAccessSource {
  /** The encrypted file's length in bytes. */
  readonly size: number;
  /** Exactly `length` bytes from `offset` (the caller stays within `size`). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: releases what the source opened (fileSource(path)'s file).
   * AgeRandomAccess.close() calls it; a source over a caller's FileHandle
   * has none, so the handle stays the caller's.
   */
  close?(): void | Promise<void>;
}

/** Reads of a Uint8Array: views of it (openRandomAccess never writes to a source's bytes). */
export function bytesSource(data: Uint8Array): RandomAccessSource {
  return {
    size: data.length,
    read: async (offset, length) => data.subarray(offset, offset + length),
  };
}

/** Reads of a Blob or File, one slice per read (browsers, and Node ≥ 20's Blob and fs.openAsBlob). */
export function blobSource(blob: Blob): RandomAccessSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

function isBlobLike(value: object): value is Blob {
  // Duck-typed: a Blob from another realm (an iframe, a vm context) is not an instance of this one's.
  const v = value as Partial<Blob>;
  return typeof v.size === "number" && typeof v.slice === "function" && typeof v.arrayBuffer === "function";
}

function isSource(value: object): value is RandomAccessSource {
  const v = value as Partial<RandomAccessSource>;
  return typeof v.size === "number" && typeof v.read === "function";
}

/** The source for what openRandomAccess was given; UsageError for anything else. */
export function toSource(input: unknown): RandomAccessSource {
  let source: RandomAccessSource | null = null;
  if (isBytes(input)) source = bytesSource(input);
  else if (typeof input === "object" && input !== null) {
    if (isSource(input)) source = input;
    else if (isBlobLike(input)) source = blobSource(input);
  }
  if (source === null) throw new UsageError("source must be a Uint8Array, a Blob or a RandomAccessSource ({ size, read(offset, length) })");
  if (!Number.isSafeInteger(source.size) || source.size < 0) {
    throw new UsageError(`source size must be a non-negative safe integer, got ${source.size}`);
  }
  return source;
}

/**
 * Reads `length` bytes at `offset` and checks the answer: a source that
 * returns fewer bytes than it said it holds was truncated (or shrank).
 */
export async function readExactly(source: RandomAccessSource, offset: number, length: number): Promise<Uint8Array> {
  const got: unknown = await source.read(offset, length);
  if (!isBytes(got)) throw new UsageError(`source read(${offset}, ${length}) must resolve to a Uint8Array`);
  if (got.length < length) {
    throw new StreamTruncatedError(`source gave ${got.length} of ${length} bytes at offset ${offset}: it holds less than its size ${source.size}`);
  }
  if (got.length > length) throw new UsageError(`source read(${offset}, ${length}) gave ${got.length} bytes`);
  return got;
}
