// AES-256-GCM and XChaCha20-Poly1305 of the WebAssembly core (both builds)
// against independent implementations: node:crypto (OpenSSL) and
// @noble/ciphers for GCM, @noble/ciphers for XChaCha20-Poly1305, over random
// lengths 0..200 KiB, random AAD and unaligned views; and no key, round key
// or plaintext left in the instance's memory after a call.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { gcm as nobleGcm } from "@noble/ciphers/aes.js";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { describe, expect, it } from "vitest";
import simdBytes from "../build/core.simd.wasm";
import scalarBytes from "../build/core.scalar.wasm";
import { gcmOver, xchachaOver } from "../src/wasm/gcm.js";
import { gcm, xchacha } from "../src/crypto/aead.js";
import { UsageError } from "../src/errors.js";

/** `n` random bytes as a view at an odd offset into a bigger buffer. */
function unaligned(n: number, offset = 1 + 2 * Math.floor(Math.random() * 30)): Uint8Array {
  const big = randomBytes(n + offset + 7);
  return new Uint8Array(big.buffer, big.byteOffset + offset, n);
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const contains = (hay: Uint8Array, needle: Uint8Array) =>
  Buffer.from(hay.buffer, hay.byteOffset, hay.length).indexOf(Buffer.from(needle)) !== -1;

function nodeSeal(key: Uint8Array, iv: Uint8Array, pt: Uint8Array, aad: Uint8Array): Buffer {
  const c = createCipheriv("aes-256-gcm", key, iv);
  c.setAAD(aad);
  return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
}

function nodeOpen(key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  const d = createDecipheriv("aes-256-gcm", key, iv);
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
}

const EDGE = [0, 1, 15, 16, 17, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1023, 1024, 6143, 6144, 6145, 65535, 65536, 65537];
const RANDOM = Array.from({ length: 10 }, () => Math.floor(Math.random() * 200 * 1024));
const builds = [["simd", simdBytes], ["scalar", scalarBytes]] as const;

describe.each(builds)("%s build", (_name, bytes) => {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const ours = gcmOver(instance);
  const ourX = xchachaOver(instance);
  const memory = instance.exports.memory as WebAssembly.Memory;

  it("AES-256-GCM agrees with node:crypto and @noble/ciphers at edge and random lengths, with AAD, at odd offsets", () => {
    for (const len of [...EDGE, ...RANDOM]) {
      const key = unaligned(32), iv = unaligned(12), pt = unaligned(len), aad = unaligned(len % 97);
      const sealed = ours.seal(key, iv, pt, aad);
      expect(same(sealed, nodeSeal(key, iv, pt, aad)), `seal ${len}`).toBe(true);
      if (len <= 4096) expect(same(sealed, nobleGcm(key, iv, aad).encrypt(pt)), `noble ${len}`).toBe(true);
      expect(same(ours.open(key, iv, sealed, aad)!, pt)).toBe(true);
      const theirs = nodeSeal(key, iv, pt, aad);
      expect(same(ours.open(key, iv, theirs, aad)!, pt)).toBe(true);
      expect(same(nodeOpen(key, iv, sealed, aad), pt)).toBe(true);
    }
  });

  it("XChaCha20-Poly1305 agrees with @noble/ciphers at edge and random lengths, with AAD", () => {
    for (const len of [...EDGE, ...RANDOM.slice(0, 4)]) {
      const key = unaligned(32), nonce = unaligned(24), pt = unaligned(len), aad = unaligned(len % 61);
      const sealed = ourX.seal(key, nonce, pt, aad);
      expect(same(sealed, xchacha20poly1305(key, nonce, aad).encrypt(pt)), `seal ${len}`).toBe(true);
      expect(same(ourX.open(key, nonce, sealed, aad)!, pt)).toBe(true);
    }
  });

  it("a forged tag, ciphertext, IV or AAD opens nothing", () => {
    const key = randomBytes(32), iv = randomBytes(12), pt = randomBytes(3000), aad = randomBytes(20);
    const sealed = ours.seal(key, iv, pt, aad);
    for (const at of [0, 1500, 2999, 3000, 3015]) {
      const bad = Uint8Array.from(sealed);
      bad[at]! ^= 0x01;
      expect(ours.open(key, iv, bad, aad)).toBeNull();
    }
    const iv2 = Uint8Array.from(iv);
    iv2[11]! ^= 1;
    expect(ours.open(key, iv2, sealed, aad)).toBeNull();
    expect(ours.open(key, iv, sealed, aad.subarray(1))).toBeNull();
    expect(ours.open(key, iv, sealed.subarray(0, 15), aad)).toBeNull();
  });

  it("leaves memory as it found it: nothing after a call depends on its key, IV, AAD or data", () => {
    // Long enough for the SIMD build's lane GHASH and for the round-1 cache of GCTR (both sit outside the small secret block).
    const run = () => {
      const key = randomBytes(32), iv = randomBytes(12), pt = randomBytes(6000), aad = randomBytes(3000);
      ours.open(key, iv, ours.seal(key, iv, pt, aad), aad);
      return Uint8Array.from(new Uint8Array(memory.buffer));
    };
    const first = run(), second = run();
    expect(first.length).toBe(second.length);
    expect(same(first, second)).toBe(true);
  });

  it("leaves no key, plaintext or keystream in the instance's memory", () => {
    const key = randomBytes(32), iv = randomBytes(12), pt = randomBytes(5000);
    const sealed = ours.seal(key, iv, pt);
    ours.open(key, iv, sealed);
    const xkey = randomBytes(32);
    ourX.seal(xkey, randomBytes(24), pt);
    const mem = new Uint8Array(memory.buffer);
    expect(contains(mem, key)).toBe(false);
    expect(contains(mem, xkey)).toBe(false);
    expect(contains(mem, pt.subarray(0, 32))).toBe(false);
    // keystream = ciphertext xor plaintext
    const ks = sealed.subarray(0, 32).map((b, i) => b ^ pt[i]!);
    expect(contains(mem, ks)).toBe(false);
  });

  it("refuses keys and nonces of the wrong length with a UsageError", () => {
    expect(() => ours.seal(new Uint8Array(16), new Uint8Array(12), new Uint8Array(1))).toThrow(UsageError);
    expect(() => ours.seal(new Uint8Array(32), new Uint8Array(24), new Uint8Array(1))).toThrow(UsageError);
    expect(() => ourX.open(new Uint8Array(32), new Uint8Array(12), new Uint8Array(20))).toThrow(UsageError);
  });
});

describe("the backends the library picks", () => {
  it("gcm() and xchacha() are the WebAssembly core here and round-trip", () => {
    const key = randomBytes(32), iv = randomBytes(12), pt = randomBytes(777);
    expect(same(gcm().seal(key, iv, pt), nodeSeal(key, iv, pt, new Uint8Array(0)))).toBe(true);
    const n = randomBytes(24);
    expect(same(xchacha().open(key, n, xchacha().seal(key, n, pt))!, pt)).toBe(true);
  });
});
