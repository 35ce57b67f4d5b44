// a23crypt in a host that refuses to compile WebAssembly from bytes at run
// time (edge runtimes): the core comes precompiled (init()), but zstd's
// module cannot be compiled, so compressed records decode with the pure-JS
// inflater and cannot be written (a UsageError when encoding starts).
import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { A23Encoder, UsageError, decrypt, decryptStream, ready } from "../src/a23crypt/index.js";
import { zstdLoaded } from "../src/a23crypt/zstd.js";
import { streamed } from "./helpers/streams.js";

const DIR = new URL("../../shared/vectors/a23crypt/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("manifest.json", DIR), "utf8")) as Record<string, { file: string; plaintext: { length: number } }>;
const record = new Uint8Array(readFileSync(new URL(manifest.zstd3_150000!.file, DIR)));
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const KEYS = { serverKey: new Uint8Array(32).fill(0x73), clientKey: new Uint8Array(32).fill(0x63), recordKey: hex("7265635f303031") };

describe("a23crypt where compiling WebAssembly at run time is refused", () => {
  it("compressed records still decode (pure-JS zstd); compressing fails with a UsageError", async () => {
    const compile = vi.spyOn(WebAssembly, "compile").mockRejectedValue(new WebAssembly.CompileError("refused by the host"));
    try {
      await ready().catch(() => {}); // the core's own compile is refused too: it stays on what it has
      expect(zstdLoaded()).toBe(true);
      expect(decrypt(record, KEYS).length).toBe(manifest.zstd3_150000!.plaintext.length);
      const out = await streamed(new ReadableStream({ start(c) { c.enqueue(record); c.close(); } }).pipeThrough(decryptStream(KEYS)));
      expect(out.length).toBe(manifest.zstd3_150000!.plaintext.length);
      const enc = new A23Encoder(KEYS, { compressLevel: 3 });
      expect(enc.pending).toBeNull(); // zstd is loaded: the pure-JS one
      expect(() => enc.encodeChunk(new Uint8Array(10), true)).toThrow(UsageError);
      expect(compile).toHaveBeenCalled();
    } finally {
      compile.mockRestore();
    }
  });
});
