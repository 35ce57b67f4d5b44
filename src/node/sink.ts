// A byte sink over a FileHandle or a Writable, with backpressure: each
// write() resolves when the bytes are handed over (FileHandle) or when the
// Writable can take more (its 'drain'). Shared by encodeFile, decryptFile
// and the CLI's standard output.
import type { FileHandle } from "node:fs/promises";
import type { Writable } from "node:stream";

export interface Sink {
  write(bytes: Uint8Array): Promise<void>;
}

export function fileHandleSink(handle: FileHandle): Sink {
  return {
    async write(bytes) {
      // FileHandle.write may write less than asked (a full disk, a pipe).
      for (let o = 0; o < bytes.length; ) {
        const { bytesWritten } = await handle.write(bytes, o, bytes.length - o);
        o += bytesWritten;
      }
    },
  };
}

export interface WritableSink extends Sink {
  /** Resolves once everything written so far has been handed to the system. */
  flush(): Promise<void>;
  /** Stops watching the stream for errors (the sink is done). */
  detach(): void;
}

/**
 * A sink over a Writable. It watches the stream for errors from creation to
 * detach(): an error between two writes (EPIPE on a closed pipe) fails the
 * next write() or flush() instead of going unhandled.
 */
export function writableSink(w: Writable): WritableSink {
  let failure: Error | null = null;
  const onError = (e: Error) => (failure ??= e);
  w.on("error", onError);
  const closed = () => failure ?? w.errored ?? (w.destroyed || w.writableEnded ? new Error("write after the stream was closed") : null);
  return {
    write(bytes) {
      return new Promise((resolve, reject) => {
        const err = closed();
        if (err) return reject(err);
        if (bytes.length === 0 || w.write(bytes)) return resolve();
        const done = () => {
          w.off("drain", done);
          w.off("error", done);
          w.off("close", done);
          const e = failure ?? (w.writableNeedDrain ? new Error("the stream closed before draining") : null);
          if (e) reject(e);
          else resolve();
        };
        w.on("drain", done);
        w.on("error", done);
        w.on("close", done);
      });
    },
    flush() {
      return new Promise((resolve, reject) => {
        const err = closed();
        if (err) return reject(err);
        // Writes complete in order: an empty write's callback comes after all earlier ones.
        w.write(new Uint8Array(0), (e) => (e || failure ? reject(e ?? failure) : resolve()));
      });
    },
    detach() {
      w.off("error", onError);
    },
  };
}
