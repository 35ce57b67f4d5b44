// Types of web/range.mjs, for the tests.
import type { IncomingMessage, ServerResponse } from "node:http";
export function serveBytes(req: IncomingMessage, res: ServerResponse, opts: {
  bytes: Uint8Array;
  type?: string;
  etag?: string;
  lastModified?: string;
  headers?: Record<string, string>;
  log?: (start: number, end: number, status: number) => void;
}): void;
