// age-rt encryption: age v1 by default (like Go age), age-rt v0.2 with --rt,
// where each read from the input becomes one chunk, written at once.
// Optional ASCII armor is streamed line by line.
import { AgeEncoder } from "../encoder/age-encoder.js";
import { AgeRTEncoder } from "../encoder/agert-encoder.js";
import { ArmorEncoder } from "../format/armor.js";
import type { AnyEncoder } from "../io/iterators.js";
import type { Recipient } from "../recipients/types.js";
import { Rechunker } from "../io/rechunker.js";
import { gcPacer } from "./gc.js";
import type { Input } from "./input.js";
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
  const emit = (bytes: Uint8Array): Promise<void> =>
    armorer ? out.write(Buffer.from(armorer.push(bytes), "latin1")) : out.write(bytes);
  await enc.pending; // an asynchronous recipient (a plugin)
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
