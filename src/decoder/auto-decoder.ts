// AgeAutoDecoder: decodes age v1, age-rt v0.2, and either of them in ASCII
// armor (C2SP age.md "ASCII armor"), telling them apart by the first byte:
// a binary header starts with its version line, armor with "-----BEGIN" or
// whitespace.
//
// Armored input is de-armored incrementally in constant memory, one
// character per feed (so one feed completes at most one chunk, keeping
// feed()'s contract); the iterators and streams feed whole blobs through
// the internal _feedText() instead.
import { ArmorError } from "../errors.js";
import { ArmorDecoder, isArmorLeadByte } from "../format/armor.js";
import { BinaryDecoder } from "./binary-decoder.js";
import { Decoder, TEXT_BLOCK, type PoolPayload } from "./decoder.js";
import { resolveOptions, type DecoderOptions } from "./options.js";

const enum Mode { Detect, Binary, Armor }

/**
 * Push decoder for age v1, age-rt v0.2 and either in ASCII armor, told apart
 * from the input itself.
 */
export class AgeAutoDecoder extends Decoder {
  readonly #inner: BinaryDecoder;
  readonly #forceArmor: boolean | undefined;
  #mode = Mode.Detect;
  #armor: ArmorDecoder | null = null;
  // De-armored bytes not yet fed to `inner`: buffered[0, bufferedLength), a
  // buffer grown by doubling and compacted in place, since the push API
  // appends ≤ 3 bytes per character (a fresh array per feed was quadratic).
  #buffered = new Uint8Array(0);
  #bufferedLength = 0;
  #deferred: unknown = null; // an error found after chunks that must be released first
  #innerError: unknown = null; // the inner decoder's error, waiting for its armor line to end

  constructor(passphrase: string, opts?: DecoderOptions);
  constructor(opts: DecoderOptions);
  constructor(first: string | DecoderOptions, opts?: DecoderOptions) {
    super();
    const resolved = resolveOptions(first, opts);
    this.#inner = new BinaryDecoder(resolved, "any");
    this.#forceArmor = resolved.armored;
  }

  /** "age" or "age-rt" once the version line has been read, else null. */
  get format(): "age" | "age-rt" | null {
    return this.#inner.version?.format ?? null;
  }

  /** Whether the input is ASCII-armored (known after the first byte). */
  get armored(): boolean {
    return this.#mode === Mode.Armor;
  }

  override get pending(): Promise<void> | null {
    return this.#inner.pending;
  }

  get bytesWanted(): number {
    if (this.pending !== null) return 0;
    switch (this.#mode) {
      case Mode.Detect: return 1;
      case Mode.Binary: return this.#inner.bytesWanted;
      case Mode.Armor:
        // One character per feed: the armor decoder then releases at most one
        // base64 quartet (3 bytes), which cannot complete two chunks (the
        // smallest unit after a chunk is a 4-byte length or a 16-byte tag).
        return this.isDone() ? 0 : 1;
    }
  }

  /** Whether the final chunk (and, for armor, the end line) has been read. */
  isDone(): boolean {
    if (this.#mode === Mode.Armor) return this.#inner.isDone() && this.#armor!.ended;
    return this.#inner.isDone();
  }

  override get _acceptsShortRead(): boolean {
    return this.#mode !== Mode.Armor && this.#inner._acceptsShortRead;
  }

  override get _runUnit(): number {
    return this.#mode === Mode.Binary ? this.#inner._runUnit : 0;
  }

  override get _poolPayload(): PoolPayload | null {
    return this.#mode === Mode.Binary ? this.#inner._poolPayload : null;
  }

  override _skipChunks(chunks: number, bytes: number): void {
    this.#inner._skipChunks(chunks, bytes);
  }

  protected override run(sealed: Uint8Array): Uint8Array[] {
    return this.#inner._feedRun(sealed);
  }

  protected step(data: Uint8Array): Uint8Array | null {
    if (this.#mode === Mode.Detect) {
      const armorStart = this.#forceArmor ?? isArmorLeadByte(data[0]!); // "-" or whitespace
      this.#mode = armorStart ? Mode.Armor : Mode.Binary;
      if (armorStart) this.#armor = new ArmorDecoder();
    }
    if (this.#mode === Mode.Binary) return this.#inner.feed(data);
    return this.#armoredStep(data);
  }

  #armoredStep(text: Uint8Array): Uint8Array | null {
    const out = this.#absorb(text);
    if (out.length > 1) throw new Error("unreachable: one armored character completed two chunks");
    return out[0] ?? null;
  }

  /**
   * De-armors text and feeds the bytes to the inner decoder; returns the
   * chunks completed. If an error follows chunks that authenticated, they
   * are returned and the error is thrown by the next call.
   */
  #absorb(text: Uint8Array): Uint8Array[] {
    if (this.#deferred !== null) throw this.#deferred;
    if (this.#innerError !== null) return this.#awaitLineEnd(text);
    const out: Uint8Array[] = [];
    try {
      this.#absorbInto(text, out);
    } catch (e) {
      if (e instanceof ArmorError || !this.#armor!.inLine) {
        if (out.length === 0) throw e;
        this.#deferred = e;
      } else {
        // The bytes that failed came from an armor line not yet complete:
        // the armor is judged first (ArmorError wins if that line is bad).
        this.#innerError = e;
        if (out.length === 0) return this.#awaitLineEnd(new Uint8Array(0));
      }
    }
    return out;
  }

  /** Holds an inner error until the armor line it came from is complete, then throws it. */
  #awaitLineEnd(text: Uint8Array): Uint8Array[] {
    this.#armor!.push(text); // throws ArmorError if the line turns out malformed
    if (!this.#armor!.inLine) throw this.#innerError;
    return [];
  }

  #absorbInto(text: Uint8Array, out: Uint8Array[]): void {
    this.#append(this.#armor!.push(text));
    let i = 0;
    // An asynchronous identity pauses the loop; the text fed after `pending` resolves (even empty) resumes it.
    while (!this.#inner.isDone() && this.#inner.pending === null && this.#bufferedLength - i >= this.#inner.bytesWanted) {
      const n = this.#inner.bytesWanted;
      const chunk = this.#inner.feed(this.#buffered.subarray(i, i + n));
      i += n;
      if (chunk !== null) out.push(chunk);
    }
    this.#consume(i);
    if (this.#inner.pending !== null) return;
    const rest = () => this.#buffered.subarray(0, this.#bufferedLength);
    if (this.#inner.isDone() && this.#bufferedLength > 0) this.#inner._trailing(rest()); // throws: trailing data
    if (this.#armor!.ended && !this.#inner.isDone()) {
      // The armor closed, so the binary inside ends here too: an age v1
      // final chunk may be short and is fed as the final read.
      if (this.#bufferedLength > 0 && this.#inner._acceptsShortRead) {
        const chunk = this.#inner.feed(rest());
        this.#consume(this.#bufferedLength);
        if (chunk !== null) out.push(chunk);
      }
      this.#inner._end();
    }
  }

  #append(bytes: Uint8Array): void {
    const need = this.#bufferedLength + bytes.length;
    if (need > this.#buffered.length) {
      const bigger = new Uint8Array(Math.max(need, 2 * this.#buffered.length, 64));
      bigger.set(this.#buffered.subarray(0, this.#bufferedLength));
      this.#buffered = bigger;
    }
    this.#buffered.set(bytes, this.#bufferedLength);
    this.#bufferedLength = need;
  }

  /** Drops the first n buffered bytes, moving the rest to the front. */
  #consume(n: number): void {
    if (n === 0) return;
    this.#buffered.copyWithin(0, n, this.#bufferedLength);
    this.#bufferedLength -= n;
  }

  override get _takesText(): boolean {
    return this.#mode === Mode.Armor && !this.isDone();
  }

  protected override text(text: Uint8Array): Uint8Array[] {
    return this.#absorb(text);
  }

  protected end(): void {
    if (this.#deferred !== null) throw this.#deferred;
    if (this.#mode === Mode.Armor) this.#armor!.finish();
    if (this.#innerError !== null) throw this.#innerError;
    this.#inner._end();
  }

  protected afterDone(data: Uint8Array): void {
    if (this.#mode === Mode.Armor) this.#armor!.push(data); // whitespace may follow the END line; anything else throws
    else this.#inner._trailing(data);
  }

  override get _checksTrailing(): boolean {
    return this.#mode === Mode.Armor || this.#inner._checksTrailing;
  }

  /**
   * Characters to read next: at most what the armor must still hold before
   * the inner decoder's next feed can complete (its exact bytesWanted for
   * the header, the nonce and age-rt frames), or, once the inner decoder is
   * done, before the end line is complete. So an armored age-rt stream is
   * released as its text arrives and no read goes past the end line. An age
   * v1 final chunk is found as in binary: by a read that comes back short.
   */
  override get _textWanted(): number {
    // The inner decoder's next feed takes bytesWanted bytes, of which bufferedLength are here.
    return Math.min(TEXT_BLOCK, this.#armor!.charsWanted(this.#inner.isDone() ? 0 : Math.max(0, this.#inner.bytesWanted - this.#bufferedLength)));
  }

  protected wipe(): void {
    this.#buffered.fill(0);
    this.#bufferedLength = 0;
  }
}
