// Opens and seals runs of full, non-final age STREAM chunks (age v1
// "Payload") in place, in one instance's memory, for callers that can read
// the input straight into that memory and write the output straight out of
// it: the caller's thread in a pool's file runs (src/pool/file-runs.ts),
// where the AeadBackend facade's copy in, fresh result arrays and their
// garbage cost as much as the crypto.
//
// Two windows: the sealed one (frames of chunkSize + 16) and the plaintext
// one. open() reads the first and fills the second; seal() the other way.
// The views handed out stay valid until the next call on the same object: the
// windows are reserved once, up front, so memory never grows (which would
// detach them) afterwards. Misuse (an internal caller's bug) throws plain
// RangeErrors.

interface RunExports {
  readonly memory: WebAssembly.Memory;
  aead_key_ptr(): number;
  aead_reserve(bytes: number): number;
  aead_stream_open_chunks(src: number, dst: number, n: number, size: number, hi: number, lo: number): number;
  aead_stream_seal_chunks(src: number, dst: number, n: number, size: number, hi: number, lo: number): void;
}

const TAG = 16;
const TWO_32 = 2 ** 32;

export class ChunkRuns {
  /** For file runs (src/pool/file-runs.ts, RunCipher): the pool's workers use their own instances. */
  readonly engine = "wasm";
  readonly #x: RunExports;
  readonly #mem: Uint8Array;
  readonly #key: number;
  readonly #src: number;
  readonly #dst: number;
  readonly #stride: number;

  /** Windows for up to `maxChunks` chunks of `chunkSize` plaintext bytes. */
  constructor(instance: WebAssembly.Instance, private readonly chunkSize: number, private readonly maxChunks: number) {
    this.#x = instance.exports as unknown as RunExports;
    this.#stride = chunkSize + TAG;
    this.#key = this.#x.aead_key_ptr();
    const io = this.#x.aead_reserve(0);
    this.#src = io;
    this.#dst = io + Math.ceil((maxChunks * this.#stride) / 64) * 64; // cache-line aligned
    if (this.#x.aead_reserve(this.#dst - io + maxChunks * chunkSize) === 0) {
      throw new RangeError(`cannot grow WebAssembly memory for ${maxChunks} chunks of ${chunkSize} bytes`);
    }
    this.#mem = new Uint8Array(this.#x.memory.buffer);
  }

  /** Where the caller puts `n` sealed chunks (frames of chunkSize + 16 bytes). */
  sealedView(n: number): Uint8Array {
    this.#checkCount(n);
    return this.#mem.subarray(this.#src, this.#src + n * this.#stride);
  }

  /**
   * Opens the `n` non-final chunks in sealedView(n) under `key`, counters
   * `counter`, `counter + 1`, …; stops at the first that does not
   * authenticate and returns how many did. Their plaintext is plaintextView().
   */
  open(key: Uint8Array, counter: number, n: number): number {
    this.#checkCount(n);
    this.#checkCounter(counter, n);
    this.#mem.set(key, this.#key); // the core wipes it before returning
    return this.#x.aead_stream_open_chunks(this.#src, this.#dst, n, this.chunkSize, Math.floor(counter / TWO_32), counter >>> 0) >>> 0;
  }

  /** The plaintext of the first `count` chunks opened by the last open(); where seal() takes its input. */
  plaintextView(count: number): Uint8Array {
    this.#checkCount(count);
    return this.#mem.subarray(this.#dst, this.#dst + count * this.chunkSize);
  }

  /**
   * Seals the `n` full chunks in plaintextView(n) as non-final chunks under
   * `key`, counters `counter`, `counter + 1`, …, into sealedView(n); the
   * plaintext window is zeroed afterwards.
   */
  seal(key: Uint8Array, counter: number, n: number): void {
    this.#checkCount(n);
    this.#checkCounter(counter, n);
    this.#mem.set(key, this.#key); // the core wipes it before returning
    this.#x.aead_stream_seal_chunks(this.#dst, this.#src, n, this.chunkSize, Math.floor(counter / TWO_32), counter >>> 0);
    this.#mem.fill(0, this.#dst, this.#dst + n * this.chunkSize);
  }

  /** Zeroes both windows (plaintext, and sealed bytes a failed run left). */
  wipe(): void {
    this.#mem.fill(0, this.#src, this.#dst + this.maxChunks * this.chunkSize);
  }

  #checkCounter(counter: number, n: number): void {
    if (!Number.isSafeInteger(counter + n) || counter < 0) throw new RangeError(`counter out of range: ${counter}`);
  }

  #checkCount(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > this.maxChunks) throw new RangeError(`expected 0..${this.maxChunks} chunks, got ${n}`);
  }
}
