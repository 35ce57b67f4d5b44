// Types of web/serve.mjs (the demo's static server), for the browser tests.
import type { Server } from "node:http";
export interface Sample { bytes: Uint8Array; etag: string; plainSize: number; passphrase: string; type: string; name: string }
export function serve(options?: { port?: number; host?: string; bundleDir?: string | null; sampleSeconds?: number; logMedia?: boolean }): Promise<{
  server: Server;
  url: string;
  sample: Sample;
  /** [start, endExclusive, status] of every response for the media sample. */
  mediaLog: [number, number, number][];
}>;
