// Run by vitest.nowasm.config.ts only (the name keeps it out of the default
// run): proves the codec tests alongside it really ran on the pure-JS path,
// and that the WebAssembly start-up API behaves as documented without it.
import { describe, expect, it } from "vitest";
import { aead, gcm, xchacha } from "../src/crypto/aead.js";
import { jsAead } from "../src/crypto/aead-js.js";
import { backend as a23Backend } from "../src/a23crypt/chunk-cipher.js";
import { jsNoise } from "../src/a23crypt/noise.js";
import { loadZstd, zstdCompress, zstdLoaded } from "../src/a23crypt/zstd.js";
import { A23Encoder, decrypt, encrypt } from "../src/a23crypt/index.js";
import { jsGcm, jsXChaCha } from "../src/crypto/nonce-aead-js.js";
import { wasmGcm, wasmXChaCha } from "../src/wasm/gcm.js";
import { coreModule, hasWebAssembly } from "../src/wasm/loader.js";
import { wasmAead } from "../src/wasm/aead.js";
import { wasmScrypt } from "../src/wasm/scrypt.js";
import {
  AgeAutoDecoder, AgeEncoder, UsageError, decodeBytes, encodeBytes, init, ready,
} from "../src/index.js";

describe("no WebAssembly: the pure-JS path", () => {
  it("a23crypt picks the @noble AEADs and the JS noise loop; zstd inflates in pure JS and cannot compress", async () => {
    const b = a23Backend();
    expect(b.gcm).toBe(jsGcm);
    expect(b.chacha).toBe(jsAead);
    expect(b.noise).toBe(jsNoise);
    await loadZstd();
    expect(zstdLoaded()).toBe(true);
    expect(() => zstdCompress(new Uint8Array(1), 3)).toThrow(UsageError);
    const keys = { serverKey: new Uint8Array(32), clientKey: new Uint8Array(32), recordKey: new Uint8Array(1) };
    expect(() => new A23Encoder(keys, { compressLevel: 3 })).toThrow(/needs WebAssembly/);
    expect(decrypt(encrypt(new Uint8Array(5), keys), keys)).toEqual(new Uint8Array(5));
  });

  it("the engine really has no WebAssembly", () => {
    expect(typeof (globalThis as { WebAssembly?: unknown }).WebAssembly).toBe("undefined");
    expect(hasWebAssembly()).toBe(false);
    expect(coreModule()).toBeNull();
  });

  it("both primitives pick the @noble backends", () => {
    expect(wasmAead()).toBeNull();
    expect(wasmScrypt()).toBeNull();
    expect(aead()).toBe(jsAead);
  });

  it("AES-256-GCM and XChaCha20-Poly1305 (crypt-io) pick the @noble backends", () => {
    expect(wasmGcm()).toBeNull();
    expect(wasmXChaCha()).toBeNull();
    expect(gcm()).toBe(jsGcm);
    expect(xchacha()).toBe(jsXChaCha);
  });

  it("ready() resolves (nothing to compile); init() refuses with a typed error", async () => {
    await expect(ready()).resolves.toBeUndefined();
    await expect(init(new Uint8Array(8))).rejects.toBeInstanceOf(UsageError);
  });

  it("encrypts and decrypts with a passphrase (scrypt in JS) and stays on the JS path", () => {
    const plain = new Uint8Array(70_000).map((_, i) => i & 255);
    const file = encodeBytes([plain], AgeEncoder.fromPassphrase("no wasm", { workFactor: 10 }));
    const out = Buffer.concat([...decodeBytes(file, new AgeAutoDecoder("no wasm"))]);
    expect(Buffer.compare(out, plain)).toBe(0);
    expect(aead()).toBe(jsAead);
  });
});
