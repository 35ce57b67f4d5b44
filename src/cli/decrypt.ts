// age-rt decryption: age v1, age-rt v0.2 and ASCII armor, detected from the
// input (AgeAutoDecoder). Each chunk is written as soon as it authenticates
// (on the worker pool, each run of chunks once all of it has, in order:
// file-decrypt.ts for an age v1 file, the pooled decoder for the rest) and
// nothing else is ever written; the input is never held whole.
import { AgeAutoDecoder } from "../decoder/auto-decoder.js";
import type { Decoder } from "../decoder/decoder.js";
import { resolveOptions } from "../decoder/options.js";
import { MAX_CHUNK_CAP } from "../format/version.js";
import { Feeder } from "../io/feeder.js";
import { generateIdentity } from "../recipients/keys.js";
import type { Identity } from "../recipients/types.js";
import { CliError, type ErrorContext } from "./fail.js";
import { hasScrypt, isPassphraseEncrypted, peekHeader } from "./header-peek.js";
import { gcPacer } from "./gc.js";
import { decryptFile } from "./file-decrypt.js";
import { resumed, type Input } from "./input.js";
import { streamPool } from "./pool.js";
import { pooledIterate } from "../pool/iterate.js";
import { identitiesFor, type CliIdentity } from "./key-files.js";
import type { Output } from "./output.js";

export interface DecryptOptions {
  /** Identity strings, or from -i files (plugins: asynchronous); locked ones are unlocked only when the header needs them. */
  identities: (string | CliIdentity)[];
  /** Called only for a passphrase-encrypted file. */
  getPassphrase: () => Promise<string>;
  maxWorkFactor: number | undefined;
  /** Largest age-rt chunk accepted (default: the format's cap, 16 MiB). */
  maxChunk: number | undefined;
}

/** Decrypts `input` to `out`; `ctx` learns what the header said, to word errors. */
export async function decrypt(input: Input, out: Output, o: DecryptOptions, ctx: ErrorContext): Promise<void> {
  const chunks = input.chunks;
  const peeked = await peekHeader(chunks);
  const stanzas = peeked.stanzas;
  let passphrase: string | undefined;
  let identities: (string | Identity)[] = [];
  if (stanzas !== null && isPassphraseEncrypted(stanzas)) {
    ctx.passphraseFile = true;
    passphrase = await o.getPassphrase();
  } else if (stanzas !== null && !hasScrypt(stanzas) && o.identities.length === 0) {
    throw new CliError("the file is not passphrase-encrypted: identities are required (-i/--identity)");
  } else {
    // Encrypted keys are asked for only when the header has a stanza for them.
    identities = await identitiesFor(stanzas, o.identities);
  }
  if (identities.length === 0 && passphrase === undefined) {
    // The input ended inside the header, or the header is invalid (scrypt
    // with other stanzas): the decoder will say how, but it needs something
    // to try. A throwaway identity never matches anything.
    identities = [generateIdentity()];
  }
  const decoderOptions = { identities, passphrase, maxWorkFactor: o.maxWorkFactor, maxChunkSize: o.maxChunk ?? MAX_CHUNK_CAP };
  // An age v1 file, output not to a terminal: opened in runs read straight from the file.
  if (input.file !== undefined && out.writeSync !== undefined && stanzas !== null) {
    if (await decryptFile(input.file, out.writeSync, resolveOptions(decoderOptions))) return;
  }
  const dec = new AgeAutoDecoder(decoderOptions);
  const pool = stanzas !== null ? streamPool(input) : null;
  if (pool === null) return decodeTo(dec, peeked.read, chunks, out);
  // A pipe (or armor, age-rt): runs of chunks opened on the workers, written in order as each lands.
  const pace = gcPacer();
  const write = out.writeSync;
  for await (const plaintext of pooledIterate(resumed(peeked.read, chunks), (sink) => pool._decrypter(dec, sink), { recycle: write !== undefined })) {
    if (write !== undefined) write(plaintext);
    else await out.write(plaintext);
    pace(plaintext.length);
  }
}

/**
 * Feeds `first` (bytes already read) and then the rest of the input to
 * `dec`, writing each plaintext chunk as soon as it authenticates; throws the
 * decoder's error (what was written before it stays written).
 */
export async function decodeTo(dec: Decoder, first: readonly Uint8Array[], chunks: AsyncIterator<Uint8Array>, out: Output): Promise<void> {
  const feeder = new Feeder(dec);
  const writeAll = async (plaintext: Iterable<Uint8Array>) => {
    for (const chunk of plaintext) if (chunk.length > 0) await out.write(chunk);
  };
  const push = async (blob: Uint8Array) => {
    await writeAll(feeder.push(blob));
    if (feeder.waiting === null) return;
    // An asynchronous identity: what the input queued meanwhile is written once it answered.
    const held: Uint8Array[] = [];
    await feeder.settle((chunk) => held.push(chunk));
    await writeAll(held);
  };
  for (const blob of first) await push(blob);
  const pace = gcPacer();
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    await push(next.value);
    pace(next.value.length);
  }
  await writeAll(feeder.end());
}
