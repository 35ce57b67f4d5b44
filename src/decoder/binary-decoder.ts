// The binary decoder shared by AgeDecoder, AgeRTDecoder and AgeAutoDecoder:
// header (1 byte per feed, like the reference) → identities and header MAC
// (unlock.ts)
// → 16-byte nonce → payload (age v1 STREAM or age-rt frames). Glue only:
// parsing lives in src/format/, keys in src/crypto/kdf.ts and
// src/recipients/, chunk crypto in src/stream/.
import { payloadKey } from "../crypto/kdf.js";
import { ChunkAuthenticationError, HeaderParseError, StreamTruncatedError } from "../errors.js";
import { HeaderReader, type Header } from "../format/header.js";
import { isThenable } from "../recipients/types.js";
import type { Version } from "../format/version.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK } from "../format/chunk-size.js";
import { AgeStreamReader } from "../stream/age-reader.js";
import { AgeRTStreamReader } from "../stream/agert-reader.js";
import { Decoder, type PoolPayload } from "./decoder.js";
import type { ResolvedOptions } from "./options.js";
import { unlockFileKey } from "./unlock.js";

const NONCE_SIZE = 16;

export type Formats = "age" | "age-rt" | "any";

export class BinaryDecoder extends Decoder {
  readonly #header: HeaderReader;
  #fileKey: Uint8Array | null = null;
  #payload: AgeStreamReader | AgeRTStreamReader | null = null;
  #key: Uint8Array | null = null;
  #versionChecked = false;

  constructor(private readonly opts: ResolvedOptions, private readonly formats: Formats) {
    super();
    this.#header = new HeaderReader(opts.limits);
  }

  /** @internal The format, once the version line has been read (AgeAutoDecoder reads it). */
  get version(): Version | null {
    return this.#header.versionSoFar;
  }

  get bytesWanted(): number {
    if (this.pending !== null) return 0;
    if (this.#payload !== null) return this.#payload.wanted;
    return this.#fileKey !== null ? NONCE_SIZE : 1;
  }

  /** Whether the final chunk has been read and authenticated. */
  isDone(): boolean {
    return this.#payload?.done ?? false;
  }

  override get _acceptsShortRead(): boolean {
    return this.#payload instanceof AgeStreamReader && !this.#payload.done;
  }

  override get _runUnit(): number {
    return this.#payload instanceof AgeStreamReader && !this.#payload.done ? AGE_SEALED_CHUNK : 0;
  }

  override get _poolPayload(): PoolPayload | null {
    const p = this.#payload;
    if (p === null || p.done || this.#key === null) return null;
    if (p instanceof AgeStreamReader) return { format: "age", key: this.#key, maxChunk: AGE_CHUNK, counter: p.chunkIndex };
    return p.atFrameStart ? { format: "age-rt", key: this.#key, maxChunk: p.maxChunk, counter: p.chunkIndex } : null;
  }

  override _skipChunks(chunks: number, bytes: number): void {
    const p = this.#payload!;
    if (p instanceof AgeStreamReader) p.skip(chunks);
    else p.skip(chunks, bytes);
  }

  protected override run(sealed: Uint8Array): Uint8Array[] {
    return (this.#payload as AgeStreamReader).readRun(sealed);
  }

  protected step(data: Uint8Array): Uint8Array | null {
    if (this.#payload !== null) {
      const plaintext = this.#payload.read(data);
      if (this.#payload.done) this.wipe();
      return plaintext;
    }
    if (this.#fileKey !== null) {
      this.#startPayload(data);
      return null;
    }
    this.#header.push(data);
    if (!this.#versionChecked && this.#header.versionSoFar !== null) this.#checkVersion(this.#header.versionSoFar);
    if (this.#header.header !== null) this.#unlock(this.#header.header);
    return null;
  }

  /** The file key, now or (asynchronous identities) once `pending` resolves. */
  #unlock(header: Header): void {
    const fileKey = unlockFileKey(header, this.opts.identities);
    if (!isThenable(fileKey)) {
      this.#fileKey = fileKey;
      return;
    }
    this.waitFor(fileKey.then((k) => {
      this.#fileKey = k;
    }));
  }

  protected end(): void {
    if (this.isDone()) return;
    if (this.#fileKey === null && this.#payload === null) throw new HeaderParseError("input ended inside the header");
    // Go age reads the nonce with the header; CCTV calls a short nonce a header failure.
    if (this.#payload === null) throw new HeaderParseError("input ended inside the 16-byte payload nonce");
    throw new StreamTruncatedError("input ended before the final chunk");
  }

  protected afterDone(data: Uint8Array): void {
    throw new ChunkAuthenticationError(`${data.length} bytes of trailing data after the final chunk`);
  }

  /** age-rt ends at its final chunk (a live source may go on); age v1 forbids trailing data ("Payload"). */
  override get _checksTrailing(): boolean {
    return this.#header.versionSoFar?.format !== "age-rt";
  }

  protected wipe(): void {
    this.#fileKey?.fill(0);
    this.#key?.fill(0);
  }

  #checkVersion(version: Version): void {
    this.#versionChecked = true;
    if (this.formats !== "any" && version.format !== this.formats) {
      const want = this.formats === "age" ? "an age v1 file" : "an age-rt v0.2 stream";
      throw new HeaderParseError(`not ${want}: the version line is ${version.format === "age" ? "age v1" : "age-rt v0.2"} (use AgeAutoDecoder for either)`);
    }
    if (version.format === "age-rt" && version.maxChunk > this.opts.maxChunkSize) {
      throw new HeaderParseError(`header announces maxchunk ${version.maxChunk}, above this decoder's limit of ${this.opts.maxChunkSize} (option maxChunkSize)`);
    }
  }

  #startPayload(nonce: Uint8Array): void {
    this.#key = payloadKey(this.#fileKey!, nonce);
    this.#fileKey!.fill(0);
    const version = this.#header.versionSoFar!;
    this.#payload = version.format === "age"
      ? new AgeStreamReader(this.#key)
      : new AgeRTStreamReader(this.#key, version.maxChunk);
  }
}
