// A byte sink over a FileHandle or a Writable, with backpressure: each
// write() resolves when the bytes are handed over (FileHandle) or when the
// Writable can take more (its 'drain'). Shared by encodeFile and decryptFile.
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

export function writableSink(w: Writable): Sink {
  return {
    write(bytes) {
      return new Promise((resolve, reject) => {
        if (w.destroyed || w.writableEnded) return reject(w.errored ?? new Error("write after the stream was closed"));
        const onError = (e: Error) => {
          w.off("drain", onDrain);
          reject(e);
        };
        const onDrain = () => {
          w.off("error", onError);
          resolve();
        };
        if (w.write(bytes)) return resolve();
        w.once("drain", onDrain);
        w.once("error", onError);
      });
    },
  };
}
