// SHA-256 (FIPS 180-4 §6.2) for the keys age derives: HMAC, HKDF and
// PBKDF2 (hmac-sha256.ts) hash at most a few KiB per file (scrypt's PBKDF2
// outputs included), so size matters more than speed here. @noble/hashes'
// SHA-256 is a generic Merkle–Damgård class with its utilities and run-time
// checks, 1.7 kB gzip of the browser bundle; this one is what age needs,
// and as fast (bench/results/unlock.md).
// The constants are computed exactly, with integer roots (§4.2.2, §5.3.3),
// not typed in. tests/sha256.test.ts checks FIPS 180-2's examples and
// node:crypto over random lengths and splits.

const BLOCK = 64;

/** floor(n^(1/k)) for n ≥ 1: Newton's iteration from above, in integers. */
function iroot(n: bigint, k: bigint): bigint {
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / Number(k)));
  for (;;) {
    const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (y >= x) return x;
    x = y;
  }
}

/** The first 32 bits of the fractional part of the k-th root of the first `count` primes (as int32). */
function rootBits(count: number, k: bigint): Int32Array {
  const out = new Int32Array(count);
  for (let p = 2, i = 0; i < count; p++) {
    let prime = true;
    for (let d = 2; d * d <= p; d++) if (p % d === 0) prime = false;
    if (prime) out[i++] = Number(BigInt.asIntN(32, iroot(BigInt(p) << (32n * k), k)));
  }
  return out;
}

// Words are kept as int32 (Int32Array, `| 0`): V8 then computes on untagged
// 32-bit integers, where uint32 values above 2^31 would be doubles.
const K = rootBits(64, 3n); // cube roots of the first 64 primes (§4.2.2)
const IV = rootBits(8, 2n); // square roots of the first 8 primes (§5.3.3)
const W = new Int32Array(64); // the message schedule, wiped after each use

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** An incremental SHA-256. */
export class Sha256 {
  readonly #h = IV.slice();
  readonly #block = new Uint8Array(BLOCK);
  #filled = 0;
  #length = 0; // bytes hashed so far

  update(data: Uint8Array): this {
    let i = 0;
    this.#length += data.length;
    if (this.#filled > 0) {
      i = Math.min(BLOCK - this.#filled, data.length);
      this.#block.set(data.subarray(0, i), this.#filled);
      this.#filled += i;
      if (this.#filled < BLOCK) return this;
      this.#compress(this.#block, 0);
    }
    for (; i + BLOCK <= data.length; i += BLOCK) this.#compress(data, i); // whole blocks straight from the input
    this.#block.set(data.subarray(i), 0);
    this.#filled = data.length - i;
    return this;
  }

  /** Writes the digest into `out` (32 bytes); the state is used up (wiped). */
  digestInto(out: Uint8Array): void {
    const b = this.#block;
    b[this.#filled] = 0x80;
    b.fill(0, this.#filled + 1);
    if (this.#filled >= BLOCK - 8) {
      this.#compress(b, 0);
      b.fill(0);
    }
    // The length in bits, big-endian, in the last 8 bytes (§5.1.1).
    const high = Math.floor(this.#length / 2 ** 29);
    const low = (this.#length * 8) >>> 0;
    for (let i = 0; i < 4; i++) {
      b[BLOCK - 8 + i] = high >>> (24 - 8 * i);
      b[BLOCK - 4 + i] = low >>> (24 - 8 * i);
    }
    this.#compress(b, 0);
    for (let i = 0; i < 32; i++) out[i] = this.#h[i >> 2]! >>> (24 - 8 * (i & 3));
    this.destroy();
  }

  /** A copy of this state, into `to` if given. */
  clone(to = new Sha256()): Sha256 {
    to.#h.set(this.#h);
    to.#block.set(this.#block);
    to.#filled = this.#filled;
    to.#length = this.#length;
    return to;
  }

  /** Wipes the state. */
  destroy(): void {
    this.#h.fill(0);
    this.#block.fill(0);
    this.#filled = 0;
  }

  /** Hashes the 64 bytes of `b` from `at` into the state (§6.2.2). */
  #compress(b: Uint8Array, at: number): void {
    const s = this.#h;
    for (let t = 0; t < 16; t++, at += 4) W[t] = (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
    for (let t = 16; t < 64; t++) {
      const x = W[t - 15]!, y = W[t - 2]!;
      W[t] = ((rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10)) + W[t - 7]! + (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + W[t - 16]!) | 0;
    }
    // The working variables a..h of §6.2.2.
    let a = s[0]!, bb = s[1]!, c = s[2]!, d = s[3]!, e = s[4]!, f = s[5]!, g = s[6]!, h = s[7]!;
    for (let t = 0; t < 64; t++) {
      const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t]! + W[t]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = bb;
      bb = a;
      a = (t1 + t2) | 0;
    }
    s[0] = (s[0]! + a) | 0;
    s[1] = (s[1]! + bb) | 0;
    s[2] = (s[2]! + c) | 0;
    s[3] = (s[3]! + d) | 0;
    s[4] = (s[4]! + e) | 0;
    s[5] = (s[5]! + f) | 0;
    s[6] = (s[6]! + g) | 0;
    s[7] = (s[7]! + h) | 0;
    W.fill(0);
  }
}

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  new Sha256().update(data).digestInto(out);
  return out;
}
