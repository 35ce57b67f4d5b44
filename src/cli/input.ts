// The data input: a file named on the command line, or standard input
// ("-" or nothing). Read as a stream of buffers as they come: a pipe gives
// each write of its writer (what --rt turns into one chunk each), a file
// large reads so runs of chunks go to the AEAD core in one call.
import { createReadStream, fstatSync, openSync } from "node:fs";
import { Readable } from "node:stream";
import { CliError, fileError } from "./fail.js";
import { claimStdin } from "./stdin.js";

/** Read size for files: 1 MiB = 16 age v1 chunks per call into the core. */
const FILE_READ_SIZE = 1 << 20;

export interface Input {
  stream: Readable;
  /** Standard input from a terminal: someone is typing the data. */
  fromTerminal: boolean;
}

/** Opens the input now, so a missing file fails before any prompt or output. */
export function openInput(path: string | undefined): Input {
  if (path !== undefined && path !== "-") {
    let fd: number;
    try {
      fd = openSync(path, "r");
      if (fstatSync(fd).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    } catch (e) {
      throw fileError("failed to open input file", path, e);
    }
    return { stream: createReadStream(path, { fd, highWaterMark: FILE_READ_SIZE }), fromTerminal: false };
  }
  claimStdin("the input");
  let isFile = false;
  try {
    isFile = fstatSync(0).isFile();
  } catch {
    throw new CliError("standard input is closed");
  }
  // A redirected file gets large reads too; pipes and terminals keep their
  // natural reads (one chunk per write with --rt).
  if (isFile) return { stream: createReadStream("", { fd: 0, autoClose: false, highWaterMark: FILE_READ_SIZE }), fromTerminal: false };
  return { stream: process.stdin, fromTerminal: Boolean(process.stdin.isTTY) };
}

/** The input's buffers, one per read, as an async iterator (resumable after a partial read). */
export function inputChunks(input: Input): AsyncIterator<Uint8Array> {
  return (input.stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
}

const ARMOR_END = "-----END AGE ENCRYPTED FILE-----";

/**
 * Reads a terminal input up to the armor's end line (or end of input), then
 * stops reading the terminal, so a passphrase prompt can have it. Armor is
 * the only thing one types; the text is small.
 */
export async function bufferTerminalInput(input: Input): Promise<Input> {
  const parts: Buffer[] = [];
  let tail = "";
  for await (const chunk of input.stream as AsyncIterable<Buffer>) {
    parts.push(chunk);
    tail = (tail + chunk.toString("latin1")).slice(-(ARMOR_END.length + 64));
    if (tail.includes(ARMOR_END + "\n") || tail.includes(ARMOR_END + "\r\n")) break; // for-await's break destroys the stream
  }
  return { stream: Readable.from(parts), fromTerminal: true };
}
