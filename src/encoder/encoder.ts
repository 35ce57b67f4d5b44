// What both encoders share (API.md "Encoders"): a fresh 16-byte file key
// wrapped by each recipient, the header with its MAC (C2SP age.md "Header
// MAC"), a fresh 16-byte payload nonce, the payload key, and the STREAM
// counter. Subclasses frame the chunks.
import { aead } from "../crypto/aead.js";
import { headerMac, payloadKey, randomBytes } from "../crypto/kdf.js";
import { UsageError } from "../errors.js";
import { AGE_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";
import { concat } from "../format/bytes.js";
import { encodeHeaderWithoutMac, encodeMacLine } from "../format/header.js";
import type { Version } from "../format/version.js";
import type { Stanza } from "../format/stanza.js";
import { isPostQuantum, isThenable, type Recipient } from "../recipients/types.js";

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
 * What {@link AgeEncoder} and {@link AgeRTEncoder} share: the header (with
 * the payload nonce), then sealed chunks with a running counter, the last
 * one marked final.
 */
export abstract class Encoder {
  #header: Uint8Array | null = null;
  #key: Uint8Array | null = null;
  #waiting: Promise<void> | null = null;
  #counter = 0;
  #isFinalized = false;

  protected constructor(version: Version, recipients: readonly Recipient[]) {
    if (recipients.length === 0) throw new UsageError("an encoder needs at least one recipient");
    checkLabels(recipients);
    const fileKey = randomBytes(16);
    let wrapped: Array<Stanza[] | PromiseLike<Stanza[]>>;
    try {
      wrapped = recipients.map((r) => r.wrapFileKey(fileKey));
    } catch (e) {
      fileKey.fill(0);
      throw e;
    }
    if (!wrapped.some(isThenable)) {
      this.#finishHeader(version, fileKey, wrapped as Stanza[][]);
      return;
    }
    // An asynchronous recipient: the header exists once every stanza does (see `pending`).
    const done = Promise.all(wrapped).then(
      (stanzas) => {
        this.#waiting = null;
        this.#finishHeader(version, fileKey, stanzas);
      },
      (e: unknown) => {
        fileKey.fill(0);
        throw e;
      },
    );
    done.catch(() => {}); // rejects again for whoever awaits `pending`; an abandoned encoder must not cause an unhandled rejection
    this.#waiting = done;
  }

  /**
   * Non-null while an asynchronous recipient is wrapping the file key: await
   * it before getHeader() or encodeChunk() (the asynchronous iterators and
   * streams do). It rejects with the recipient's error.
   */
  get pending(): Promise<void> | null {
    return this.#waiting;
  }

  #finishHeader(version: Version, fileKey: Uint8Array, wrapped: readonly Stanza[][]): void {
    try {
      const head = encodeHeaderWithoutMac(version, wrapped.flat());
      const macLine = encodeMacLine(headerMac(fileKey, head));
      const nonce = randomBytes(16);
      this.#header = concat(head, macLine, nonce);
      this.#key = payloadKey(fileKey, nonce);
    } finally {
      fileKey.fill(0);
    }
  }

  /** The age header and the 16-byte payload nonce: what goes before the first chunk. */
  getHeader(): Uint8Array {
    this.#ready();
    return this.#header!.slice();
  }

  /** True once the final chunk has been emitted. */
  get finalized(): boolean {
    return this.#isFinalized;
  }

  /**
   * Seals one chunk as the next in the stream, `prefix` bytes into the
   * returned array; wipes the payload key after the final one.
   */
  protected seal(plaintext: Uint8Array, final: boolean, prefix = 0): Uint8Array {
    this.checkOpen();
    this.#ready();
    const sealed = aead().sealChunk(this.#key!, this.#counter, final, plaintext, prefix);
    this.#advance(1, final);
    return sealed;
  }

  /** Seals full non-final chunks in one call into the AEAD core; one sealed array per chunk. */
  protected sealRun(plaintext: Uint8Array, chunkSize: number): Uint8Array[] {
    this.checkOpen();
    this.#ready();
    const sealed = aead().sealChunks(this.#key!, this.#counter, plaintext, chunkSize);
    this.#advance(plaintext.length / chunkSize, false);
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
      this.#ready();
      const run = plaintext.subarray(i, i + perCall);
      const chunks = run.length / chunkSize;
      aead().sealChunksInto(this.#key!, this.#counter, run, chunkSize, out, offset, prefix);
      this.#advance(chunks, false);
      offset += chunks * (prefix + chunkSize + 16);
    }
    return offset;
  }

  /** @internal The payload key, for a worker pool's workers (src/pool/pooled-encrypt.ts); the encoder keeps using it. */
  _poolKey(): Uint8Array {
    this.checkOpen();
    this.#ready();
    return this.#key!;
  }

  /** @internal Counters for `chunks` non-final chunks a worker pool seals; returns the first. */
  _reserveChunks(chunks: number): number {
    this.checkOpen();
    this.#ready();
    const first = this.#counter;
    this.#advance(chunks, false);
    return first;
  }

  /** @internal Nothing sealed yet: the whole payload can still be encoded in one go. */
  get _isFresh(): boolean {
    return this.#counter === 0 && !this.#isFinalized;
  }

  /** How many chunks have been sealed so far. */
  protected get chunkCount(): number {
    return this.#counter;
  }

  protected checkOpen(): void {
    if (this.#isFinalized) throw new UsageError("encodeChunk() after the final chunk: this encoder is finalized");
  }

  #advance(chunks: number, final: boolean): void {
    this.#counter += chunks;
    if (final) {
      this.#isFinalized = true;
      this.#key!.fill(0);
    }
  }

  /** Throws a UsageError while an asynchronous recipient works (no header or payload key yet). */
  #ready(): void {
    if (this.#header === null || this.#key === null) {
      throw new UsageError(
        "an asynchronous recipient is still wrapping the file key: await the encoder's pending promise first " +
          "(aiterEncodeChunks, encryptStream and age-rt/node's helpers do)",
      );
    }
  }
}

/**
 * Go age's rule: post-quantum recipients never share a header with classic
 * ones, since the file would be only as safe as the classic key (C2SP
 * age.md: the same file "SHOULD NOT be encrypted to both").
 */
function checkLabels(recipients: readonly Recipient[]): void {
  const pq = recipients.filter(isPostQuantum).length;
  if (pq > 0 && pq < recipients.length) {
    throw new UsageError(
      "post-quantum recipients (age1pq1…, age1tagpq1…) cannot be mixed with classic ones (age1…, ssh-…, age1tag1…, others) in one file: " +
        "it would be only as strong as the classic key",
    );
  }
}
