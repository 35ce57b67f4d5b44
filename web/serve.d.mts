// Types of web/serve.mjs (the demo's static server), for the browser test.
import type { Server } from "node:http";
export function serve(options?: {
  port?: number;
  host?: string;
  bundleDir?: string | null;
  wasm?: boolean;
  extra?: Record<string, [Uint8Array | string, string]>;
}): Promise<{ server: Server; url: string }>;
