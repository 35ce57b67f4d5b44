// The input a pooled decryption has not handed on yet: the caller's blobs,
// held by reference (as the Feeder holds them) until a run is copied out of
// them into the buffer that travels to a worker, or a feed is taken for the
// decoder. Peeks at single bytes serve age-rt's frame lengths.

const CONSUMED = new Uint8Array(0);

export class ByteQueue {
  private blobs: Uint8Array[] = [];
  private first = 0; // blobs before this index are consumed
  private head = 0; // bytes of blobs[first] consumed
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(blob: Uint8Array): void {
    if (blob.length === 0) return;
    this.blobs.push(blob);
    this.total += blob.length;
  }

  /** Puts bytes back in front (a run's sealed rest, after a chunk failed in a worker). */
  unshift(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.compact();
    this.blobs.unshift(bytes);
    this.total += bytes.length;
  }

  /** The byte `at` bytes from the front (at < length). */
  peek(at: number): number {
    let i = this.first;
    at += this.head;
    while (at >= this.blobs[i]!.length) at -= this.blobs[i++]!.length;
    return this.blobs[i]![at]!;
  }

  /** Big-endian 32-bit integer `at` bytes from the front (at + 4 ≤ length). */
  peekU32(at: number): number {
    return ((this.peek(at) << 24) | (this.peek(at + 1) << 16) | (this.peek(at + 2) << 8) | this.peek(at + 3)) >>> 0;
  }

  /** Moves the next `out.length` bytes into `out`. */
  takeInto(out: Uint8Array): void {
    let o = 0;
    while (o < out.length) {
      const blob = this.blobs[this.first]!;
      const k = Math.min(out.length - o, blob.length - this.head);
      out.set(blob.subarray(this.head, this.head + k), o);
      o += k;
      this.skip(k);
    }
  }

  /** Removes and returns the next n bytes: a view when they lie in one blob, else a copy. */
  take(n: number): Uint8Array {
    const front = this.blobs[this.first];
    if (front !== undefined && front.length - this.head >= n) {
      const out = front.subarray(this.head, this.head + n);
      this.skip(n);
      return out;
    }
    const out = new Uint8Array(n);
    this.takeInto(out);
    return out;
  }

  /** Drops everything. */
  clear(): void {
    this.blobs = [];
    this.first = 0;
    this.head = 0;
    this.total = 0;
  }

  private skip(n: number): void {
    this.total -= n;
    this.head += n;
    while (this.first < this.blobs.length && this.head >= this.blobs[this.first]!.length) {
      this.head -= this.blobs[this.first]!.length;
      this.blobs[this.first++] = CONSUMED; // let the blob go now: a stream's queue rarely empties
    }
    if (this.first === this.blobs.length) this.clear();
    else if (this.first >= 1024) this.compact();
  }

  private compact(): void {
    if (this.head > 0) {
      this.blobs[this.first] = this.blobs[this.first]!.subarray(this.head);
      this.head = 0;
    }
    this.blobs.splice(0, this.first);
    this.first = 0;
  }
}
