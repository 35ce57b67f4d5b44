// age-rt encryption: age v1 by default (like Go age), age-rt v0.2 with --rt,
// where each read from the input becomes one chunk, written at once. On the
// worker pool: file-encrypt.ts for an age v1 file, the pooled encoder for
// the rest (pipes, armor, age-rt); typed input, small files and crypt-io on
// this thread alone.
// Optional ASCII armor is streamed line by line.
import { AgeEncoder } from "../encoder/age-encoder.js";
import { AgeRTEncoder } from "../encoder/agert-encoder.js";
import { ArmorEncoder } from "../format/armor.js";
import type { AnyEncoder } from "../io/iterators.js";
import type { Recipient } from "../recipients/types.js";
import { Rechunker } from "../io/rechunker.js";
import { gcPacer } from "./gc.js";
import { encryptFile, servesFile } from "./file-encrypt.js";
import { resumed, type Input } from "./input.js";
import { streamPool } from "./pool.js";
import { pooledIterate } from "../pool/iterate.js";
import { isPoolable } from "../pool/poolable.js";
import type { Output } from "./output.js";

export interface EncryptOptions {
  recipients: Recipient[];
  passphrase: string | null;
  workFactor: number | undefined;
  rt: boolean;
  maxChunk: number | undefined;
}

export function makeEncoder(o: EncryptOptions): AnyEncoder {
  if (o.passphrase !== null) {
    return o.rt
      ? AgeRTEncoder.fromPassphrase(o.passphrase, { workFactor: o.workFactor, maxChunkSize: o.maxChunk })
      : AgeEncoder.fromPassphrase(o.passphrase, { workFactor: o.workFactor });
  }
  // Plugin recipients are asynchronous: encrypt() awaits enc.pending.
  return o.rt ? AgeRTEncoder.fromRecipients(o.recipients, { maxChunkSize: o.maxChunk }) : AgeEncoder.fromRecipients(o.recipients);
}

export async function encrypt(enc: AnyEncoder, input: Input, out: Output, withArmor: boolean): Promise<void> {
  const armorer = withArmor ? new ArmorEncoder() : null;
  // An age v1 file, unarmored, output not to a terminal: sealed in runs read straight from the file.
  if (!withArmor && input.file !== undefined && out.writeSync !== undefined && servesFile(enc, input.file)) {
    return encryptFile(enc, input.file, out.writeSync);
  }
  const emit = (bytes: Uint8Array): Promise<void> | void =>
    armorer ? out.write(Buffer.from(armorer.push(bytes), "latin1")) : out.writeSync !== undefined ? out.writeSync(bytes) : out.write(bytes);
  await enc.pending; // an asynchronous recipient (a plugin)
  const pool = isPoolable(enc) ? streamPool(input) : null;
  if (pool !== null) {
    // A pipe (or armor, age-rt): runs of chunks sealed on the workers, written in order as each lands.
    const pace = gcPacer();
    for await (const sealed of pooledIterate(resumed([], input.chunks), (sink) => pool._encrypter(enc, sink)!, { recycle: out.writeSync !== undefined && !armorer })) {
      await emit(sealed);
      pace(sealed.length);
    }
    if (armorer) await out.write(Buffer.from(armorer.finish(), "latin1"));
    return;
  }
  const r = new Rechunker(enc);
  // The header first, at once: a reader downstream can derive the key while
  // the first plaintext is still being typed.
  await emit(r.header());
  const pace = gcPacer();
  const chunks = input.chunks;
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    for (const sealed of r.push(next.value)) await emit(sealed);
    pace(next.value.length);
  }
  for (const sealed of r.end()) await emit(sealed);
  if (armorer) await out.write(Buffer.from(armorer.finish(), "latin1"));
}
