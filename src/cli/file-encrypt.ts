// `age-rt -r … FILE` (or `< FILE`) to age v1, unarmored: the payload sealed
// in runs by this thread and the CLI's worker pool (src/pool/file-runs.ts),
// straight from the file into WebAssembly memory and from there to the
// output. The output is byte for byte the single-threaded path's.
//
// The file's size fixes the chunks (age v1 "Payload": all full but the
// last, which is final): every chunk before the last is sealed in runs; the
// rest of the file, read to its end (it may have grown meanwhile), goes
// through the Rechunker, which seals the final chunk as the encoder always
// does. A file that shrank while it was read is an error.
import { AGE_CHUNK, FILE_READ_SIZE, RUN_CHUNKS } from "../format/chunk-size.js";
import { Rechunker } from "../io/rechunker.js";
import { chunksBeforeLast, doFileRuns, type SyncWrite } from "../pool/file-runs.js";
import type { PoolableEncoder } from "../pool/poolable.js";
import { coreModule } from "../wasm/loader.js";
import { CliError } from "./fail.js";
import { readAt, type FileInput } from "./input.js";
import { cliRuns } from "./openssl-runs.js";
import { filePool } from "./pool.js";

/** Below this many full chunks (4 runs) the usual path is as fast. */
const MIN_CHUNKS = 4 * RUN_CHUNKS;

/** Whether encryptFile serves this encoder and file. */
export function servesFile(enc: { _chunkSize?: number }, input: FileInput): enc is PoolableEncoder {
  return enc._chunkSize === AGE_CHUNK && typeof (enc as Partial<PoolableEncoder>)._poolKey === "function" &&
    coreModule() !== null && chunksBeforeLast(input.size - input.start, AGE_CHUNK) >= MIN_CHUNKS;
}

/** Writes `enc`'s header, then the payload of the file `input`, to `write`. */
export async function encryptFile(enc: PoolableEncoder, input: FileInput, write: SyncWrite): Promise<void> {
  await enc.pending; // an asynchronous recipient (a plugin)
  write(enc.getHeader());
  const bulk = chunksBeforeLast(input.size - input.start, AGE_CHUNK);
  const counter = enc._reserveChunks(bulk);
  const done = await doFileRuns(filePool(input), { op: "seal", fd: input.fd, at: input.start, chunks: bulk, counter, key: enc._poolKey(), readAt: (buf, at) => readAt(input.fd, buf, at), runs: cliRuns() }, write);
  if (done < bulk) throw new CliError("failed to read the input: the file shrank while it was being encrypted");
  const r = new Rechunker(enc);
  const buf = new Uint8Array(FILE_READ_SIZE);
  for (let at = input.start + bulk * AGE_CHUNK; ; ) {
    const n = readAt(input.fd, buf, at);
    if (n === 0) break;
    for (const sealed of r.push(buf.subarray(0, n))) write(sealed);
    at += n;
  }
  for (const sealed of r.end()) write(sealed);
  buf.fill(0);
}
