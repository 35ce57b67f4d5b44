// ChaCha20-Poly1305 (RFC 8439 §2.8) and age STREAM chunks over the
// WebAssembly core (assembly/aead/): the AeadBackend of src/crypto/backend.ts.
//
// One long-lived instance serves every call. A call copies its input into the
// instance's I/O window once, the core works in place (or window to window
// for batches), and the result is copied out once with slice(). The
// Uint8Array view of memory is cached: reading `memory.buffer` costs ~50 ns
// on V8, as much as a sixth of the core's work on a 64-byte message, so the
// view is re-created only when it is detached, which is what memory.grow
// does to the old buffer.
import type { AeadBackend } from "../crypto/backend.js";
import { UsageError, assertBytes } from "../errors.js";
import { checkLength, ioWindow } from "./io-window.js";
import { newInstance } from "./loader.js";
import { oneShot } from "./one-shot.js";

/** The exports of assembly/aead/index.ts (the calling convention is described there). */
interface AeadExports {
  readonly memory: WebAssembly.Memory;
  aead_key_ptr(): number;
  aead_reserve(bytes: number): number;
  aead_seal(aad: number, aadLen: number, data: number, len: number): void;
  aead_open(aad: number, aadLen: number, data: number, len: number): number;
  aead_stream_seal(data: number, len: number, hi: number, lo: number, final: number): void;
  aead_stream_open(data: number, len: number, hi: number, lo: number, final: number): number;
  aead_stream_seal_chunks(src: number, dst: number, n: number, size: number, hi: number, lo: number): void;
  aead_stream_open_chunks(src: number, dst: number, n: number, size: number, hi: number, lo: number): number;
  chacha20_block(counter: number, out: number): void;
  chacha20_xor(counter: number, data: number, len: number): void;
  poly1305_mac(key: number, msg: number, len: number, out: number): void;
}

const TAG = 16;
const TWO_32 = 2 ** 32;

/** Checks a STREAM counter range: counter .. counter + count - 1 must be safe integers >= 0. */
function checkCounter(counter: number, count = 1): void {
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw new UsageError(`counter expected a safe integer >= 0, got ${counter}`);
  }
  if (count > 1 && !Number.isSafeInteger(counter + count - 1)) {
    throw new UsageError(`counter ${counter} + ${count} chunks exceeds the safe integer range`);
  }
}

/** The bytes a caller asks to have left before a sealed chunk (age-rt's length prefix). */
function checkPrefix(prefix: number): void {
  if (!Number.isSafeInteger(prefix) || prefix < 0) throw new UsageError(`prefix expected a non-negative integer, got ${prefix}`);
}

function checkChunkSize(chunkSize: number): void {
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
    throw new UsageError(`chunkSize expected a positive integer, got ${chunkSize}`);
  }
}

/** Rounds an I/O window offset up to 64 bytes, so a second buffer starts cache-line aligned. */
function align64(n: number): number {
  return Math.ceil(n / 64) * 64;
}

/** The backend over one instance of the core (tests pass the scalar build's instance here). */
export function aeadOver(instance: WebAssembly.Instance): AeadBackend {
  const x = instance.exports as unknown as AeadExports;
  const KEY = x.aead_key_ptr();
  const NONCE = KEY + 32;
  const { io, view: window } = ioWindow(x);
  // The general AEAD opens and seals keys (a stanza's file key): plaintexts of
  // up to 64 bytes leave no copy in the long-lived instance. Longer messages
  // are stream chunks (crypt-io): like the STREAM entry points, the window
  // keeps the last one until the next call (SECURITY.md).
  const chacha = oneShot(x, { keyAt: KEY, nonceAt: NONCE, nonceLength: 12, seal: x.aead_seal, open: x.aead_open, wipeUpTo: 64 });

  /**
   * The core zeroes the key slot (and all its scratch) before every return;
   * if a call traps instead, the facade zeroes the key slot itself.
   */
  function wipeKey(error: unknown): unknown {
    new Uint8Array(x.memory.buffer).fill(0, KEY, KEY + 32);
    return error;
  }

  /**
   * Seals full non-final chunks from the I/O window into frames after it;
   * returns the view and where the frames lie (valid until the next call).
   */
  function sealRun(key: Uint8Array, counter: number, plaintext: Uint8Array, chunkSize: number) {
    checkLength("key", key, 32);
    assertBytes("plaintext", plaintext);
    checkChunkSize(chunkSize);
    if (plaintext.length % chunkSize !== 0) {
      throw new UsageError(`plaintext length expected a multiple of chunkSize ${chunkSize}, got ${plaintext.length}`);
    }
    const n = plaintext.length / chunkSize;
    checkCounter(counter, n);
    const dst = io + align64(plaintext.length);
    const end = dst + n * (chunkSize + TAG);
    const m = window(end - io);
    m.set(key, KEY);
    m.set(plaintext, io);
    try {
      x.aead_stream_seal_chunks(io, dst, n, chunkSize, Math.floor(counter / TWO_32), counter >>> 0);
    } catch (error) {
      throw wipeKey(error);
    }
    return { m, dst, end };
  }

  return {
    seal: chacha.seal,
    open: chacha.open,

    sealChunk(key, counter, final, plaintext, prefix = 0) {
      checkLength("key", key, 32);
      checkCounter(counter);
      assertBytes("plaintext", plaintext);
      checkPrefix(prefix);
      const len = plaintext.length;
      const m = window(len + TAG);
      m.set(key, KEY);
      m.set(plaintext, io);
      try {
        x.aead_stream_seal(io, len, Math.floor(counter / TWO_32), counter >>> 0, final ? 1 : 0);
      } catch (error) {
        throw wipeKey(error);
      }
      if (prefix === 0) return m.slice(io, io + len + TAG);
      const out = new Uint8Array(prefix + len + TAG);
      out.set(m.subarray(io, io + len + TAG), prefix);
      return out;
    },

    openChunk(key, counter, final, sealed) {
      checkLength("key", key, 32);
      checkCounter(counter);
      assertBytes("sealed", sealed);
      if (sealed.length < TAG) return null;
      const len = sealed.length - TAG;
      const m = window(sealed.length);
      m.set(key, KEY);
      m.set(sealed, io);
      let ok = 0;
      try {
        ok = x.aead_stream_open(io, len, Math.floor(counter / TWO_32), counter >>> 0, final ? 1 : 0);
      } catch (error) {
        throw wipeKey(error);
      }
      if (ok === 0) {
        m.fill(0, io, io + sealed.length);
        return null;
      }
      return m.slice(io, io + len);
    },

    sealChunks(key, counter, plaintext, chunkSize) {
      const { m, dst, end } = sealRun(key, counter, plaintext, chunkSize);
      const frames: Uint8Array[] = [];
      for (let o = dst; o < end; o += chunkSize + TAG) frames.push(m.slice(o, o + chunkSize + TAG));
      return frames;
    },

    sealChunksInto(key, counter, plaintext, chunkSize, out, offset, prefix = 0) {
      assertBytes("out", out);
      assertBytes("plaintext", plaintext);
      checkChunkSize(chunkSize);
      checkPrefix(prefix);
      // Room is checked before any sealing: a refused call does no work.
      const frame = chunkSize + TAG;
      const room = Math.ceil(plaintext.length / chunkSize) * (prefix + frame);
      if (!Number.isSafeInteger(offset) || offset < 0 || offset + room > out.length) {
        throw new UsageError(`out expected room for ${room} bytes at offset ${offset}, has ${out.length}`);
      }
      const { m, dst, end } = sealRun(key, counter, plaintext, chunkSize);
      for (let o = dst; o < end; o += frame, offset += prefix + frame) out.set(m.subarray(o, o + frame), offset + prefix);
    },

    openChunks(key, counter, sealed, chunkSize) {
      checkLength("key", key, 32);
      assertBytes("sealed", sealed);
      checkChunkSize(chunkSize);
      const stride = chunkSize + TAG;
      if (sealed.length % stride !== 0) {
        throw new UsageError(`sealed length expected a multiple of chunkSize + 16 = ${stride}, got ${sealed.length}`);
      }
      const n = sealed.length / stride;
      checkCounter(counter, n);
      const dst = io + align64(sealed.length);
      const m = window(dst - io + n * chunkSize);
      m.set(key, KEY);
      m.set(sealed, io);
      let opened = 0;
      try {
        opened = x.aead_stream_open_chunks(io, dst, n, chunkSize, Math.floor(counter / TWO_32), counter >>> 0) >>> 0;
      } catch (error) {
        throw wipeKey(error);
      }
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < opened; i++) chunks.push(m.slice(dst + i * chunkSize, dst + (i + 1) * chunkSize));
      if (opened < n) m.fill(0, io, dst + n * chunkSize);
      return chunks;
    },
  };
}

/**
 * The raw RFC 8439 primitives of one instance, for the test vectors of §2.3,
 * §2.4 and §2.5 (the AEAD itself never needs them from JS).
 */
export function primitivesOver(instance: WebAssembly.Instance) {
  const x = instance.exports as unknown as AeadExports;
  const KEY = x.aead_key_ptr();
  const io = x.aead_reserve(0);
  const window = (bytes: number): Uint8Array => {
    if (x.aead_reserve(bytes) === 0) throw new RangeError(`cannot grow WebAssembly memory to ${io + bytes} bytes`);
    return new Uint8Array(x.memory.buffer);
  };
  return {
    /** The 64-byte ChaCha20 block (§2.3) for key, nonce and block counter. */
    chacha20Block(key: Uint8Array, nonce: Uint8Array, counter: number): Uint8Array {
      checkLength("key", key, 32);
      checkLength("nonce", nonce, 12);
      const m = window(64);
      m.set(key, KEY);
      m.set(nonce, KEY + 32);
      x.chacha20_block(counter, io);
      return m.slice(io, io + 64);
    },
    /** ChaCha20 encryption (§2.4) of data from block `counter`. */
    chacha20(key: Uint8Array, nonce: Uint8Array, counter: number, data: Uint8Array): Uint8Array {
      checkLength("key", key, 32);
      checkLength("nonce", nonce, 12);
      assertBytes("data", data);
      const m = window(data.length);
      m.set(key, KEY);
      m.set(nonce, KEY + 32);
      m.set(data, io);
      x.chacha20_xor(counter, io, data.length);
      return m.slice(io, io + data.length);
    },
    /** The Poly1305 tag (§2.5) of msg under a 32-byte one-time key. */
    poly1305(key: Uint8Array, msg: Uint8Array): Uint8Array {
      checkLength("key", key, 32);
      assertBytes("msg", msg);
      const keyAt = io + align64(msg.length);
      const m = window(keyAt - io + 48);
      m.set(msg, io);
      m.set(key, keyAt);
      x.poly1305_mac(keyAt, io, msg.length, keyAt + 32);
      const tag = m.slice(keyAt + 32, keyAt + 48);
      m.fill(0, keyAt, keyAt + 48);
      return tag;
    },
  };
}

let sharedInstance: WebAssembly.Instance | null = null;

/** The one long-lived instance of the core that the AEAD facades share (gcm.ts, noise.ts too), or null (see wasmAead). */
export function coreInstance(): WebAssembly.Instance | null {
  sharedInstance ??= newInstance();
  return sharedInstance;
}

/**
 * A getter of the facade `build` makes over the shared instance, built on
 * first use; it returns null while the module cannot be instantiated (no
 * WebAssembly, or synchronous compilation refused before ready()), and the
 * next call tries again. Its callers mark the call pure, so a bundle that
 * never calls a getter leaves its facade out.
 */
export function onCoreInstance<T>(build: (instance: WebAssembly.Instance) => T): () => T | null {
  let built: T | null = null;
  return () => {
    if (built === null) {
      const instance = coreInstance();
      if (instance !== null) built = build(instance);
    }
    return built;
  };
}

/** The WebAssembly backend over the shared instance, or null (callers then use the pure-JS path). */
export const wasmAead: () => AeadBackend | null = /* @__PURE__ */ onCoreInstance(aeadOver);
