// Types of web/serve.mjs (the demo's static server), for the browser tests.
import type { Server } from "node:http";
export interface Sample { bytes: Uint8Array; etag: string; plainSize: number; passphrase: string; type: string; name: string }
export function serve(options?: {
  port?: number;
  host?: string;
  bundleDir?: string | null;
  sampleSeconds?: number;
  logMedia?: boolean;
  /** false: the CSP without 'wasm-unsafe-eval' (browser tests). */
  wasm?: boolean;
  /** More paths to serve: [bytes, content type] (browser tests). */
  extra?: Record<string, [Uint8Array | string, string]>;
}): Promise<{
  server: Server;
  url: string;
  sample: Sample;
  /** [start, endExclusive, status] of every response for the media sample. */
  mediaLog: [number, number, number][];
}>;
