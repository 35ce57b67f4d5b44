// The output: standard output, or the file named by -o. Like Go age, the
// file is created (or truncated) only at the first write, so a decryption
// that fails before any plaintext authenticated — a wrong key, a bad header —
// leaves an existing file untouched; unlike Go age 1.1, an empty result
// still creates it on success. After a failure midway the file keeps the
// plaintext that authenticated so far (Go age does not remove it either).
import { closeSync, fstatSync, openSync, writeSync } from "node:fs";
import type { Writable } from "node:stream";
import { writableSink } from "../node/sink.js";
import { fileError } from "./fail.js";
import { isTerminal } from "./tty.js";

export interface Output {
  /** Writes all of `bytes`, waiting while a slow reader applies backpressure. */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Where writes never wait (a file, /dev/null): writes all of `bytes`
   * before returning, so the caller may reuse them at once.
   */
  writeSync?: (bytes: Uint8Array) => void;
  /** Success: flushes everything and closes (creating an empty file if nothing was written). */
  close(): Promise<void>;
  /** Failure: flushes what was written (authenticated plaintext) without creating anything new. */
  abort(): Promise<void>;
}

/** True when -o names a file (not absent, not "-"). */
export function isFileOutput(path: string | undefined): path is string {
  return path !== undefined && path !== "-";
}

export function openOutput(path: string | undefined, opts: { bufferAll?: boolean } = {}): Output {
  if (isFileOutput(path)) return lazyFile(path);
  return opts.bufferAll ? bufferedStdout() : stdoutOutput();
}

/**
 * Standard output. process.stdout (and with it Node's stream modules) is
 * created only when something is written through it: where writes go by
 * writeSync (a file, /dev/null, a pipe), a run never needs it.
 */
function stdoutOutput(): Output {
  let stream: Output | null = null;
  const viaStream = () => (stream ??= streamOutput(process.stdout));
  return {
    write: (bytes) => viaStream().write(bytes),
    writeSync: stdoutWriteSync(),
    close: () => (stream === null ? Promise.resolve() : stream.close()),
    abort: () => (stream === null ? Promise.resolve() : stream.abort()),
  };
}

function lazyFile(path: string): Output {
  let fd: number | null = null;
  const ensureOpen = (): number => {
    if (fd !== null) return fd;
    try {
      fd = openSync(path, "w", 0o666);
    } catch (e) {
      throw fileError("failed to open output file", path, e);
    }
    return fd;
  };
  const writeAll = (bytes: Uint8Array) => {
    const f = ensureOpen();
    // Blocking writes: a file never applies backpressure worth waiting on,
    // and each chunk is on its way to the disk before the next is read.
    for (let o = 0; o < bytes.length; ) {
      try {
        o += writeSync(f, bytes, o, bytes.length - o);
      } catch (e) {
        throw fileError("failed to write output file", path, e);
      }
    }
  };
  return {
    async write(bytes) {
      writeAll(bytes);
    },
    writeSync: writeAll,
    async close() {
      closeSync(ensureOpen());
    },
    async abort() {
      if (fd !== null) closeSync(fd);
    },
  };
}

function streamOutput(w: Writable): Output {
  const sink = writableSink(w);
  return {
    write: (bytes) => sink.write(bytes),
    writeSync: undefined,
    close: () => sink.flush(),
    abort: () => sink.flush().catch(() => undefined),
  };
}

/**
 * Blocking writes to standard output, unless it is a terminal (left to the
 * stream): a file, a device (/dev/null), a pipe or a socket. Node makes a
 * pipe non-blocking once process.stdout exists, so a full pipe answers
 * EAGAIN; then the write waits a millisecond for the reader and tries again.
 */
function stdoutWriteSync(): ((bytes: Uint8Array) => void) | undefined {
  try {
    if (isTerminal(1)) return undefined;
    fstatSync(1); // closed: leave it to the stream to report
  } catch {
    return undefined;
  }
  const pause = new Int32Array(new SharedArrayBuffer(4));
  return (bytes) => {
    for (let o = 0; o < bytes.length; ) {
      try {
        o += writeSync(1, bytes, o, bytes.length - o);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
        Atomics.wait(pause, 0, 0, 1);
      }
    }
  };
}

/**
 * Terminal in and terminal out (Go age does the same): the output waits for
 * the end, so it does not land in the middle of the text being typed.
 */
function bufferedStdout(): Output {
  const parts: Uint8Array[] = [];
  const out = streamOutput(process.stdout);
  return {
    async write(bytes) {
      parts.push(bytes.slice());
    },
    async close() {
      for (const p of parts) await out.write(p);
      await out.close();
    },
    async abort() {
      await this.close();
    },
  };
}
