// src/pool/lazy.ts, createWorkerPool as the ESM browser bundle has it, in
// Node: the pool's code (age-rt-pool.js there) is fetched through the lazy
// registry when a stream first uses the pool. Here no such file exists, so
// the first stream fails with the registry's UsageError and releases
// nothing; once the module is provided (as a static import of the file
// does), the next stream of the same pool works, byte for byte as without a
// pool; close() ends it. (tests/browser.test.ts runs the real file in Chromium.)
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeEncoder, UsageError, decryptStream, encodeBytes, encryptStream, generateIdentity, identityToRecipient, decodeBytes,
} from "../src/index.js";
import { _provideLazy } from "../src/lazy/registry.js";
import { createWorkerPool } from "../src/pool/lazy.js";

const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const plain = new Uint8Array(randomBytes(300_000)); // getRandomValues takes at most 64 KiB
const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of stream as unknown as AsyncIterable<Uint8Array>) parts.push(p);
  return new Uint8Array(Buffer.concat(parts));
}
const source = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();

describe("the browser bundle's pool shell", () => {
  it("fails a stream while the pool's file cannot load, then works once it is provided; close() ends it", async () => {
    const pool = createWorkerPool({ threads: 1 });
    expect(pool.threads).toBe(1);
    const dec = () => new AgeAutoDecoder({ identities: [identity] });

    const released: Uint8Array[] = [];
    const failed = source(file).pipeThrough(decryptStream(dec(), { pool }));
    const error = await collect(failed.pipeThrough(new TransformStream({ transform: (c, ctl) => void (released.push(c), ctl.enqueue(c)) }))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/cannot load \.\/age-rt-pool\.js/);
    expect(released).toHaveLength(0);

    // What a static `import "./age-rt-pool.js"` does: the file hands its module to the registry.
    _provideLazy("pool", await import("../src/pool/worker-pool.js"));
    try {
      expect(await collect(source(file).pipeThrough(decryptStream(dec(), { pool })))).toEqual(plain);
      const enc = AgeEncoder.fromRecipients([recipient]);
      const sealed = await collect(source(plain).pipeThrough(encryptStream(enc, { pool })));
      expect(new Uint8Array(Buffer.concat([...decodeBytes(sealed, dec())]))).toEqual(plain);
    } finally {
      await pool.close();
    }
    expect(() => decryptStream(dec(), { pool })).toThrow(UsageError);
  });
});
