// The WebAssembly ChaCha20-Poly1305 backend (both builds) against node:crypto
// (OpenSSL) for the general AEAD and against the pure-JS backend (@noble) for
// the age STREAM entry points; forgeries, wiping, memory growth and argument
// checks.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import simdBytes from "../build/core.simd.wasm";
import scalarBytes from "../build/core.scalar.wasm";
import { aeadOver, wasmAead } from "../src/wasm/aead.js";
import { jsAead } from "../src/crypto/aead-js.js";
import { aead } from "../src/crypto/aead.js";
import { streamNonce } from "../src/crypto/nonce.js";
import { UsageError } from "../src/errors.js";

function nodeSeal(key: Uint8Array, nonce: Uint8Array, pt: Uint8Array, aad?: Uint8Array): Buffer {
  const c = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  if (aad) c.setAAD(aad, { plaintextLength: pt.length });
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

function nodeOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Buffer {
  const d = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  if (aad) d.setAAD(aad, { plaintextLength: sealed.length - 16 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
}

/** `n` random bytes as a view at an odd offset into a bigger buffer. */
function unaligned(n: number, offset = 1 + 2 * Math.floor(Math.random() * 30)): Uint8Array {
  const big = randomBytes(n + offset + 7);
  return new Uint8Array(big.buffer, big.byteOffset + offset, n);
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** Whether `needle` occurs anywhere in `hay`. */
function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.length).indexOf(Buffer.from(needle)) !== -1;
}

const EDGE = [0, 1, 15, 16, 17, 63, 64, 65, 191, 192, 193, 255, 256, 257, 1000, 65535, 65536, 65537];
const RANDOM = Array.from({ length: 12 }, () => Math.floor(Math.random() * 200 * 1024));

const builds = [
  ["simd", simdBytes],
  ["scalar", scalarBytes],
] as const;

/** Concatenates arrays (the batch entry points return one array per chunk). */
const cat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

describe.each(builds)("%s build", (_name, bytes) => {
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, {});
  const ours = aeadOver(instance);
  const memory = instance.exports.memory as WebAssembly.Memory;

  it("seal and open agree with node:crypto at edge and random lengths, with AAD, at odd offsets", () => {
    for (const len of [...EDGE, ...RANDOM]) {
      const key = unaligned(32), nonce = unaligned(12), pt = unaligned(len);
      const aad = len % 3 === 0 ? undefined : unaligned((len * 7) % 70);
      const sealed = ours.seal(key, nonce, pt, aad);
      const expected = nodeSeal(key, nonce, pt, aad);
      expect(same(sealed, expected), `seal len ${len} aad ${aad?.length}`).toBe(true);
      expect(same(nodeOpen(key, nonce, sealed, aad), pt), `node opens len ${len}`).toBe(true);
      const input = unaligned(expected.length); // node's output, opened from an odd offset
      input.set(expected);
      const opened = ours.open(key, nonce, input, aad);
      expect(opened !== null && same(opened, pt), `open len ${len}`).toBe(true);
    }
  });

  it("open rejects a forged tag, a flipped bit, a wrong key, nonce or AAD, and short input", () => {
    const key = randomBytes(32), nonce = randomBytes(12), aad = randomBytes(5), pt = randomBytes(1000);
    const sealed = nodeSeal(key, nonce, pt, aad);
    const flip = (i: number) => {
      const s = Uint8Array.from(sealed);
      s[i]! ^= 0x80;
      return s;
    };
    expect(ours.open(key, nonce, flip(sealed.length - 1), aad)).toBeNull(); // tag
    expect(ours.open(key, nonce, flip(sealed.length - 16), aad)).toBeNull(); // tag, first byte
    expect(ours.open(key, nonce, flip(0), aad)).toBeNull(); // ciphertext
    expect(ours.open(key, nonce, flip(999), aad)).toBeNull();
    expect(ours.open(randomBytes(32), nonce, sealed, aad)).toBeNull();
    expect(ours.open(key, randomBytes(12), sealed, aad)).toBeNull();
    expect(ours.open(key, nonce, sealed, randomBytes(5))).toBeNull();
    expect(ours.open(key, nonce, sealed)).toBeNull();
    expect(ours.open(key, nonce, sealed.subarray(0, 15), aad)).toBeNull();
    expect(same(ours.open(key, nonce, sealed, aad)!, pt)).toBe(true);
  });

  it("decrypts nothing when the tag does not verify (checked inside WASM memory)", () => {
    const x = instance.exports as Record<string, (...a: number[]) => number>;
    const key = randomBytes(32), nonce = randomBytes(12), pt = randomBytes(700);
    const sealed = nodeSeal(key, nonce, pt);
    sealed[sealed.length - 3]! ^= 1;
    const io = x.aead_reserve!(sealed.length);
    const m = new Uint8Array(memory.buffer);
    m.set(key, x.aead_key_ptr!());
    m.set(nonce, x.aead_key_ptr!() + 32);
    m.set(sealed, io);
    expect(x.aead_open!(io, 0, io, 700)).toBe(0);
    expect(same(m.subarray(io, io + sealed.length), sealed)).toBe(true); // still the ciphertext
    // and the same memory with the right tag decrypts in place
    sealed[sealed.length - 3]! ^= 1;
    m.set(key, x.aead_key_ptr!());
    m.set(nonce, x.aead_key_ptr!() + 32);
    m.set(sealed, io);
    expect(x.aead_open!(io, 0, io, 700)).toBe(1);
    expect(same(m.subarray(io, io + 700), pt)).toBe(true);
  });

  it("leaves no key, one-time key or keystream in memory after seal and open", () => {
    const key = randomBytes(32), nonce = randomBytes(12), pt = randomBytes(300);
    // Keystream blocks 0..7: block 0 is the one-time key r || s, blocks 1..4
    // cover the payload, the SIMD build computes 4 at a time into scratch.
    const keystream = createCipheriv("chacha20", key, Buffer.concat([Buffer.alloc(4), nonce])).update(Buffer.alloc(512));
    const sealed = ours.seal(key, nonce, pt);
    const bad = Uint8Array.from(sealed);
    bad[0]! ^= 1;
    for (const step of ["seal", "open", "open forged"]) {
      if (step === "open") expect(same(ours.open(key, nonce, sealed)!, pt)).toBe(true);
      if (step === "open forged") expect(ours.open(key, nonce, bad)).toBeNull();
      const m = new Uint8Array(memory.buffer);
      expect(contains(m, key.subarray(0, 8)), `${step}: key`).toBe(false);
      expect(contains(m, key.subarray(24, 32)), `${step}: key tail`).toBe(false);
      for (let i = 0; i < keystream.length; i += 16) {
        expect(contains(m, keystream.subarray(i, i + 12)), `${step}: keystream at ${i}`).toBe(false);
      }
    }
  });

  it("STREAM chunks agree with the pure-JS backend and reject a wrong counter or final flag", () => {
    const key = randomBytes(32);
    for (const [counter, final, len] of [
      [0, false, 65536], [1, true, 0], [7, true, 1], [2 ** 32 - 1, false, 300], [2 ** 32, true, 65535],
      [Number.MAX_SAFE_INTEGER, true, 17],
    ] as const) {
      const pt = unaligned(len);
      const sealed = ours.sealChunk(key, counter, final, pt);
      expect(same(sealed, jsAead.sealChunk(key, counter, final, pt)), `sealChunk ${counter}`).toBe(true);
      expect(same(sealed, nodeSeal(key, streamNonce(counter, final), pt)), `nonce ${counter}`).toBe(true);
      expect(same(ours.openChunk(key, counter, final, sealed)!, pt)).toBe(true);
      expect(ours.openChunk(key, counter, !final, sealed)).toBeNull();
      expect(ours.openChunk(key, counter === 0 ? 1 : counter - 1, final, sealed)).toBeNull();
      expect(ours.openChunk(randomBytes(32), counter, final, sealed)).toBeNull();
    }
  });

  it("sealChunk with a prefix leaves that many bytes in front of the same sealed chunk (both backends)", () => {
    const key = randomBytes(32), pt = unaligned(1000);
    for (const backend of [ours, jsAead]) {
      const plain = backend.sealChunk(key, 7, true, pt);
      const framed = backend.sealChunk(key, 7, true, pt, 4);
      expect(framed.length).toBe(plain.length + 4);
      expect(same(framed.subarray(4), plain)).toBe(true);
    }
  });

  it("sealChunks and openChunks agree with the pure-JS backend across the 2^32 counter boundary", () => {
    const key = randomBytes(32);
    for (const [counter, size, n] of [[0, 65536, 3], [2 ** 32 - 2, 1000, 5], [5, 1, 4], [9, 64, 0]] as const) {
      const pt = unaligned(size * n);
      const frames = ours.sealChunks(key, counter, pt, size);
      expect(frames.length).toBe(n);
      expect(same(cat(frames), cat(jsAead.sealChunks(key, counter, pt, size))), `sealChunks ${counter}`).toBe(true);
      const opened = ours.openChunks(key, counter, cat(frames), size);
      expect(opened.length).toBe(n);
      expect(opened.every((c) => c.length === size)).toBe(true);
      expect(same(cat(opened), pt)).toBe(true);
      // each frame is an ordinary chunk
      if (n > 1) expect(same(ours.openChunk(key, counter + 1, false, frames[1]!)!, pt.subarray(size, 2 * size))).toBe(true);
    }
  });

  it("sealChunksInto writes the same frames as sealChunks, back to back at the offset (both backends)", () => {
    const key = randomBytes(32);
    for (const [counter, size, n] of [[0, 65536, 3], [2 ** 32 - 2, 1000, 5], [5, 1, 4], [9, 64, 0]] as const) {
      const pt = unaligned(size * n);
      const expected = cat(jsAead.sealChunks(key, counter, pt, size));
      for (const backend of [ours, jsAead]) {
        const out = new Uint8Array(expected.length + 10).fill(0xa5);
        backend.sealChunksInto(key, counter, pt, size, out, 7);
        expect(same(out.subarray(7, 7 + expected.length), expected), `counter ${counter}`).toBe(true);
        expect(out.subarray(0, 7).every((b) => b === 0xa5) && out.subarray(7 + expected.length).every((b) => b === 0xa5)).toBe(true);
      }
    }
    expect(() => ours.sealChunksInto(key, 0, unaligned(128), 64, new Uint8Array(170), 20)).toThrow("out expected room for 160 bytes at offset 20, has 170");
  });

  it("sealChunksInto with a prefix leaves that many bytes untouched before each frame (both backends)", () => {
    const key = randomBytes(32);
    for (const [counter, size, n, prefix] of [[3, 65536, 3, 4], [2 ** 32 - 2, 1000, 5, 4], [5, 1, 4, 9], [9, 64, 0, 4]] as const) {
      const pt = unaligned(size * n);
      const frames = jsAead.sealChunks(key, counter, pt, size);
      for (const backend of [ours, jsAead]) {
        const out = new Uint8Array(5 + n * (prefix + size + 16) + 3).fill(0xa5);
        backend.sealChunksInto(key, counter, pt, size, out, 5, prefix);
        let o = 5;
        for (const frame of frames) {
          expect(out.subarray(o, o + prefix).every((b) => b === 0xa5), `prefix at ${o}`).toBe(true);
          expect(same(out.subarray(o + prefix, o + prefix + frame.length), frame), `frame at ${o}`).toBe(true);
          o += prefix + frame.length;
        }
        expect(out.subarray(0, 5).every((b) => b === 0xa5) && out.subarray(o).every((b) => b === 0xa5)).toBe(true);
      }
    }
    expect(() => ours.sealChunksInto(key, 0, unaligned(128), 64, new Uint8Array(180), 20, 4)).toThrow("out expected room for 168 bytes at offset 20, has 180");
    expect(() => ours.sealChunksInto(key, 0, unaligned(128), 64, new Uint8Array(400), 0, -1)).toThrow("prefix expected a non-negative integer");
    expect(() => ours.sealChunksInto(key, 0, unaligned(128), 0, new Uint8Array(10), 0)).toThrow("chunkSize expected a positive integer");
  });

  it("openChunks with the 3rd of 5 chunks corrupted returns exactly the first 2 chunks", () => {
    const key = randomBytes(32), size = 4096, pt = randomBytes(5 * size);
    const sealed = cat(jsAead.sealChunks(key, 10, pt, size));
    sealed[2 * (size + 16) + 100]! ^= 4;
    const opened = ours.openChunks(key, 10, sealed, size);
    expect(opened.length).toBe(2);
    expect(same(cat(opened), pt.subarray(0, 2 * size))).toBe(true);
    expect(jsAead.openChunks(key, 10, sealed, size).length).toBe(2);
    // a wrong starting counter fails at once
    expect(ours.openChunks(key, 11, cat(jsAead.sealChunks(key, 10, pt, size)), size)).toEqual([]);
  });

  it("leaves the failing chunk undecrypted inside WASM memory", () => {
    const x = instance.exports as Record<string, (...a: number[]) => number>;
    const key = randomBytes(32), size = 1000, pt = randomBytes(3 * size);
    const sealed = cat(jsAead.sealChunks(key, 0, pt, size));
    sealed[size + 16 + 5]! ^= 1; // chunk 2 of 3
    const io = x.aead_reserve!(8192);
    const dst = io + 4096;
    const m = new Uint8Array(memory.buffer);
    m.fill(0, io, io + 8192);
    m.set(key, x.aead_key_ptr!());
    m.set(sealed, io);
    expect(x.aead_stream_open_chunks!(io, dst, 3, size, 0, 0)).toBe(1);
    expect(same(m.subarray(dst, dst + size), pt.subarray(0, size))).toBe(true);
    expect(m.subarray(dst + size, dst + 3 * size).every((b) => b === 0)).toBe(true);
  });

  it("grows memory for a 20 MiB message and keeps working after growth from elsewhere", () => {
    const fresh = new WebAssembly.Instance(module, {});
    const backend = aeadOver(fresh);
    const mem = fresh.exports.memory as WebAssembly.Memory;
    const before = mem.buffer.byteLength;
    const key = randomBytes(32), nonce = randomBytes(12), pt = randomBytes(20 * 1024 * 1024 + 3);
    const sealed = backend.seal(key, nonce, pt);
    expect(before).toBeLessThan(pt.length);
    expect(mem.buffer.byteLength).toBeGreaterThanOrEqual(pt.length + 16);
    expect(same(sealed, nodeSeal(key, nonce, pt))).toBe(true);
    expect(same(backend.open(key, nonce, sealed)!, pt)).toBe(true);
    const frames = backend.sealChunks(key, 0, pt.subarray(0, 40 * 65536), 65536);
    expect(same(cat(backend.openChunks(key, 0, cat(frames), 65536)), pt.subarray(0, 40 * 65536))).toBe(true);
    mem.grow(1); // detaches the view the backend cached
    const small = randomBytes(100);
    expect(same(backend.open(key, nonce, backend.seal(key, nonce, small))!, small)).toBe(true);
  });
});


describe("backend selection and argument checks", () => {
  it("aead() is the WebAssembly backend and is one long-lived instance", () => {
    const backend = wasmAead();
    expect(backend).not.toBeNull();
    expect(wasmAead()).toBe(backend);
    expect(aead()).toBe(backend);
  });

  it("throws UsageError with precise messages", () => {
    const ours = wasmAead()!;
    const key = new Uint8Array(32), nonce = new Uint8Array(12), data = new Uint8Array(64);
    const err = (f: () => unknown, message: string) => {
      expect(f).toThrow(UsageError);
      expect(f).toThrow(message);
    };
    err(() => ours.seal(new Uint8Array(31), nonce, data), "key expected 32 bytes, got 31");
    err(() => ours.open(key, new Uint8Array(8), data), "nonce expected 12 bytes, got 8");
    err(() => ours.seal(key, nonce, "text" as unknown as Uint8Array), "plaintext must be a Uint8Array, got string");
    err(() => ours.seal(key, nonce, data, [1, 2] as unknown as Uint8Array), "aad must be a Uint8Array, got Array");
    err(() => ours.sealChunk(key, -1, false, data), "counter expected a safe integer >= 0, got -1");
    err(() => ours.openChunk(key, 1.5, false, data), "counter expected a safe integer >= 0, got 1.5");
    err(() => ours.sealChunks(key, 0, data, 0), "chunkSize expected a positive integer, got 0");
    err(() => ours.sealChunks(key, 0, data, 48), "plaintext length expected a multiple of chunkSize 48, got 64");
    err(() => ours.openChunks(key, 0, data, 32), "sealed length expected a multiple of chunkSize + 16 = 48, got 64");
    err(() => ours.sealChunks(key, Number.MAX_SAFE_INTEGER, data, 16), "exceeds the safe integer range");
  });
});
