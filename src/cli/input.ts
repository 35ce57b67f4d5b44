// The data input: a file named on the command line, or standard input
// ("-" or nothing), as buffers in the order read. A regular file is read
// synchronously in 1 MiB buffers (so runs of 16 age v1 chunks go to the AEAD
// core in one call, with no stream machinery in between); a pipe or a
// terminal is read as its data comes, each write of the writer one buffer
// (what --rt turns into one chunk each).
import { createReadStream, fstatSync, openSync, readFileSync, readSync, type Stats } from "node:fs";
import type { Readable } from "node:stream";
// From chunk-size.ts, not node/encode-file.ts: that one would load node:fs/promises and the stream modules at every start.
import { FILE_READ_SIZE } from "../format/chunk-size.js";
import { CliError, fileError } from "./fail.js";
import { claimStdin } from "./stdin.js";

/** A regular file (named, or standard input redirected from one), for positional reads. */
export interface FileInput {
  fd: number;
  size: number;
  /** Offset of the first byte of the input (standard input may stand past 0). */
  start: number;
}

export interface Input {
  /** The input's buffers, one per read; resumable after a partial iteration. */
  chunks: AsyncIterator<Uint8Array>;
  /** Standard input from a terminal: someone is typing the data. */
  fromTerminal: boolean;
  /**
   * A regular file (named, or standard input redirected from one): its
   * descriptor, size, and the offset the input starts at, for positional reads.
   */
  file?: FileInput;
}

/** Opens the input now, so a missing file fails before any prompt or output. */
export function openInput(path: string | undefined): Input {
  if (path !== undefined && path !== "-") {
    let fd: number;
    let st: Stats;
    try {
      fd = openSync(path, "r");
      st = fstatSync(fd);
      if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    } catch (e) {
      throw fileError("failed to open input file", path, e);
    }
    // A named pipe or a device is read as a stream.
    if (!st.isFile()) return { chunks: streamChunks(createReadStream("", { fd })), fromTerminal: false };
    return { chunks: fileChunks(fd), fromTerminal: false, file: { fd, size: st.size, start: 0 } };
  }
  claimStdin("the input");
  let st: Stats;
  try {
    st = fstatSync(0);
  } catch {
    throw new CliError("standard input is closed");
  }
  if (st.isFile()) {
    // `< file`: the input starts where the descriptor stands, usually 0.
    const start = stdinOffset();
    return { chunks: fileChunks(0), fromTerminal: false, file: start === null ? undefined : { fd: 0, size: st.size, start } };
  }
  return { chunks: streamChunks(process.stdin), fromTerminal: Boolean(process.stdin.isTTY) };
}

/**
 * Fresh buffers, not one reused: consumers (the Feeder) may hold a view
 * into a buffer across reads, and a fresh 1 MiB allocation measured no
 * slower than reuse (bench/results/cli.md).
 */
async function* fileChunks(fd: number): AsyncGenerator<Uint8Array> {
  for (;;) {
    const buf = Buffer.allocUnsafe(FILE_READ_SIZE);
    let n: number;
    try {
      n = readSync(fd, buf, 0, FILE_READ_SIZE, null);
    } catch (e) {
      throw new CliError(`failed to read the input: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    if (n === 0) return;
    yield buf.subarray(0, n);
  }
}

/**
 * The file offset of standard input, before anything is read: Node has no
 * lseek, but Linux shows it in /proc/self/fdinfo. Null elsewhere (the input
 * is then read as it comes).
 */
function stdinOffset(): number | null {
  try {
    const pos = /^pos:\s*(\d+)$/m.exec(readFileSync("/proc/self/fdinfo/0", "utf8"));
    return pos === null ? null : Number(pos[1]);
  } catch {
    return null;
  }
}

function streamChunks(stream: Readable): AsyncIterator<Uint8Array> {
  return (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
}

/**
 * Reads into `buf` from file offset `at` until it is full or the file ends;
 * returns the bytes read. Positional: threads share the descriptor.
 */
export function readAt(fd: number, buf: Uint8Array, at: number): number {
  let o = 0;
  while (o < buf.length) {
    const n = readSync(fd, buf, o, buf.length - o, at + o);
    if (n === 0) break;
    o += n;
  }
  return o;
}

/** The buffers already read, then the rest of the input. */
export async function* resumed(first: readonly Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

const ARMOR_END = "-----END AGE ENCRYPTED FILE-----";

/**
 * Reads a terminal input up to the armor's end line (or end of input), then
 * stops reading the terminal, so a passphrase prompt can have it. Armor is
 * the only thing one types; the text is small.
 */
export async function bufferTerminalInput(input: Input): Promise<Input> {
  const parts: Uint8Array[] = [];
  let tail = "";
  for (let next = await input.chunks.next(); !next.done; next = await input.chunks.next()) {
    parts.push(next.value);
    tail = (tail + Buffer.from(next.value).toString("latin1")).slice(-(ARMOR_END.length + 64));
    if (tail.includes(ARMOR_END + "\n") || tail.includes(ARMOR_END + "\r\n")) break;
  }
  // Stop reading the terminal: the prompt reads it next (through /dev/tty).
  await input.chunks.return?.();
  return { chunks: (async function* () { yield* parts; })(), fromTerminal: true };
}
