// What both encoders share (API.md "Encoders"): a fresh 16-byte file key
// wrapped by each recipient, the header with its MAC (C2SP age.md "Header
// MAC"), a fresh 16-byte payload nonce, the payload key, and the STREAM
// counter. Subclasses frame the chunks.
import { aead } from "../crypto/aead.js";
import { headerMac, payloadKey, randomBytes } from "../crypto/kdf.js";
import { UsageError } from "../errors.js";
import { AGE_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";
import { encodeHeaderWithoutMac, encodeMacLine } from "../format/header.js";
import type { Stanza } from "../format/stanza.js";
import type { Version } from "../format/version.js";
import { syncResult, type Recipient } from "../recipients/types.js";

/** Plaintext per call into the AEAD core when sealing runs, whatever the chunk size (age v1: RUN_CHUNKS chunks). */
const RUN_BYTES = RUN_CHUNKS * AGE_CHUNK;

/** Options of the fromPassphrase() factories. */
export interface PassphraseOptions {
  /** scrypt work factor, log2 N (default 18, like Go age). */
  workFactor?: number;
  /** Called with the fraction of the scrypt derivation done (0..1). */
  onProgress?: (fraction: number) => void;
}

/**
 * A file key already wrapped by its recipients, for recipients that are
 * asynchronous (plugins): the CLI awaits them first, then builds the encoder
 * from the result. Internal until the encoders await recipients themselves.
 */
export class PrewrappedFileKey {
  constructor(readonly fileKey: Uint8Array, readonly stanzas: readonly Stanza[]) {
    if (fileKey.length !== 16) throw new UsageError("a file key is 16 bytes");
    if (stanzas.length === 0) throw new UsageError("an encoder needs at least one recipient");
  }

  /** Wraps a fresh file key with every recipient, awaiting the asynchronous ones. */
  static async wrap(recipients: readonly Recipient[]): Promise<PrewrappedFileKey> {
    if (recipients.length === 0) throw new UsageError("an encoder needs at least one recipient");
    const fileKey = randomBytes(16);
    const stanzas: Stanza[] = [];
    for (const r of recipients) stanzas.push(...(await r.wrapFileKey(fileKey)));
    return new PrewrappedFileKey(fileKey, stanzas);
  }
}

export abstract class Encoder {
  private readonly header: Uint8Array;
  private readonly key: Uint8Array;
  private counter = 0;
  private isFinalized = false;

  protected constructor(version: Version, recipients: readonly Recipient[] | PrewrappedFileKey) {
    const pre = recipients instanceof PrewrappedFileKey ? recipients : null;
    if (pre === null && (recipients as readonly Recipient[]).length === 0) throw new UsageError("an encoder needs at least one recipient");
    const fileKey = pre ? pre.fileKey.slice() : randomBytes(16);
    try {
      const stanzas = pre ? pre.stanzas : (recipients as readonly Recipient[]).flatMap((r) => syncResult(r.wrapFileKey(fileKey), "a recipient"));
      const head = encodeHeaderWithoutMac(version, stanzas);
      const macLine = encodeMacLine(headerMac(fileKey, head));
      const nonce = randomBytes(16);
      this.header = concat(head, macLine, nonce);
      this.key = payloadKey(fileKey, nonce);
    } finally {
      fileKey.fill(0);
    }
  }

  /** The age header and the 16-byte payload nonce: what goes before the first chunk. */
  getHeader(): Uint8Array {
    return this.header.slice();
  }

  /** True once the final chunk has been emitted. */
  get finalized(): boolean {
    return this.isFinalized;
  }

  /**
   * Seals one chunk as the next in the stream, `prefix` bytes into the
   * returned array; wipes the payload key after the final one.
   */
  protected seal(plaintext: Uint8Array, final: boolean, prefix = 0): Uint8Array {
    this.checkOpen();
    const sealed = aead().sealChunk(this.key, this.counter, final, plaintext, prefix);
    this.advance(1, final);
    return sealed;
  }

  /** Seals full non-final chunks in one call into the AEAD core; one sealed array per chunk. */
  protected sealRun(plaintext: Uint8Array, chunkSize: number): Uint8Array[] {
    this.checkOpen();
    const sealed = aead().sealChunks(this.key, this.counter, plaintext, chunkSize);
    this.advance(plaintext.length / chunkSize, false);
    return sealed;
  }

  /**
   * Seals `plaintext`, whole non-final chunks of `chunkSize`, into `out` from
   * `offset`: frames back to back, each after `prefix` bytes left for the
   * caller (age-rt's length), about 1 MiB per call into the AEAD core.
   * Returns the offset after the last frame.
   */
  protected sealFramesInto(plaintext: Uint8Array, chunkSize: number, out: Uint8Array, offset: number, prefix = 0): number {
    const perCall = Math.max(1, Math.floor(RUN_BYTES / chunkSize)) * chunkSize;
    for (let i = 0; i < plaintext.length; i += perCall) {
      this.checkOpen();
      const run = plaintext.subarray(i, i + perCall);
      const chunks = run.length / chunkSize;
      aead().sealChunksInto(this.key, this.counter, run, chunkSize, out, offset, prefix);
      this.advance(chunks, false);
      offset += chunks * (prefix + chunkSize + 16);
    }
    return offset;
  }

  /** @internal Nothing sealed yet: the whole payload can still be encoded in one go. */
  get _isFresh(): boolean {
    return this.counter === 0 && !this.isFinalized;
  }

  /** How many chunks have been sealed so far. */
  protected get chunkCount(): number {
    return this.counter;
  }

  protected checkOpen(): void {
    if (this.isFinalized) throw new UsageError("encodeChunk() after the final chunk: this encoder is finalized");
  }

  private advance(chunks: number, final: boolean): void {
    this.counter += chunks;
    if (final) {
      this.isFinalized = true;
      this.key.fill(0);
    }
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
