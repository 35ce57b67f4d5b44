// `age-rt -d FILE` (or `< FILE`) for an age v1 file: its payload opened in
// runs by this thread and the CLI's worker pool (src/pool/file-runs.ts),
// straight from the file into WebAssembly memory and from there to the
// output, with no copies, allocation or garbage per chunk.
//
// The file's size gives every chunk's position, and every chunk before the
// last is non-final by position (age v1 "Payload"), so those are opened in
// runs, in any order, and written in file order, a run only once all of it
// authenticated. The last chunk, and everything from the first chunk that
// fails, go through the push decoders' AgeStreamReader one chunk at a time,
// so the errors — and the plaintext released before them — are the
// decoders' own.
//
// Anything else (armor, age-rt, a small file, a header that does not parse
// within the first read) is left to the usual path, which reports it.
import { payloadKey } from "../crypto/kdf.js";
import type { ResolvedOptions } from "../decoder/options.js";
import { unlockFileKey } from "../decoder/unlock.js";
import { ChunkAuthenticationError, StreamTruncatedError } from "../errors.js";
import { HeaderReader } from "../format/header.js";
import { AGE_SEALED_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";
import { chunksBeforeLast, doFileRuns, type SyncWrite } from "../pool/file-runs.js";
import { AgeStreamReader } from "../stream/age-reader.js";
import { coreModule } from "../wasm/loader.js";
import { readAt, type FileInput } from "./input.js";
import { cliRuns } from "./openssl-runs.js";
import { filePool } from "./pool.js";

/** Where the header is looked for; a larger one (rare) takes the usual path. */
const HEAD_READ = 64 * 1024;
const NONCE = 16;
/** Below this many full chunks (4 runs) the usual path is as fast. */
const MIN_CHUNKS = 4 * RUN_CHUNKS;

/**
 * Decrypts the age v1 file `input` to `write` and returns true, or returns
 * false without writing anything when this path does not serve the file.
 * Throws the decoders' typed errors, after writing what authenticated, and
 * a WorkerPoolError if a worker dies.
 */
export async function decryptFile(input: FileInput, write: SyncWrite, opts: ResolvedOptions): Promise<boolean> {
  if (coreModule() === null) return false;
  const head = new Uint8Array(Math.max(0, Math.min(HEAD_READ, input.size - input.start)));
  if (readAt(input.fd, head, input.start) !== head.length) return false;
  const reader = new HeaderReader(opts.limits);
  let headerLength: number;
  try {
    headerLength = reader.push(head);
  } catch {
    return false; // malformed: the usual path says how
  }
  const header = reader.header;
  // The nonce must lie within what was read too.
  if (header === null || header.version.format !== "age" || headerLength + NONCE > head.length) return false;
  const payloadStart = input.start + headerLength + NONCE;
  const bulk = chunksBeforeLast(input.size - payloadStart, AGE_SEALED_CHUNK);
  if (bulk < MIN_CHUNKS) return false;

  const fileKey = await unlockFileKey(header, opts.identities); // identities may be asynchronous
  const key = payloadKey(fileKey, head.subarray(headerLength, headerLength + NONCE));
  fileKey.fill(0);
  try {
    const released = await doFileRuns(filePool(input), { op: "open", fd: input.fd, at: payloadStart, chunks: bulk, counter: 0, key, readAt: (buf, at) => readAt(input.fd, buf, at), runs: cliRuns() }, write);
    finishSequentially(input, payloadStart, key, released, write);
  } finally {
    key.fill(0);
  }
  return true;
}

/**
 * From chunk `from` to the end of the file, one chunk at a time through
 * AgeStreamReader (the last chunk; after a failure, the failing chunk and
 * the rest), with the push decoders' rules and errors.
 */
function finishSequentially(input: FileInput, payloadStart: number, key: Uint8Array, from: number, write: SyncWrite): void {
  const reader = new AgeStreamReader(key, from);
  const chunk = new Uint8Array(AGE_SEALED_CHUNK);
  let at = payloadStart + from * AGE_SEALED_CHUNK;
  for (;;) {
    const n = readAt(input.fd, chunk, at);
    if (n === 0) break;
    // What is left of the file: at least the n bytes just read, if it grew since its size was taken.
    if (reader.done) throw new ChunkAuthenticationError(`${Math.max(n, input.size - at)} bytes of trailing data after the final chunk`);
    const plaintext = reader.read(chunk.subarray(0, n));
    if (plaintext.length > 0) write(plaintext);
    plaintext.fill(0);
    at += n;
  }
  if (!reader.done) throw new StreamTruncatedError("input ended before the final chunk");
}
