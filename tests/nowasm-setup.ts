// Setup for vitest.nowasm.config.ts: an engine without WebAssembly (embedded
// JS engines, Safari's Lockdown Mode, V8 --jitless). Runs before each test
// file imports the library, so the library's first look finds nothing.
//
// Node's own fetch/Response (undici) compile and instantiate their HTTP
// parser in WebAssembly when first loaded, asynchronously; typage (used by
// some tests) reads streams through Response. One local request makes undici
// finish that first, so Node itself keeps working without the global.
import { createServer } from "node:http";

const server = createServer((_req, res) => res.end("ok"));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
try {
  const { port } = server.address() as { port: number };
  await (await fetch(`http://127.0.0.1:${port}/`)).text();
} finally {
  server.close();
}

delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
