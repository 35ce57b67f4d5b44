// A local HTTP server on 127.0.0.1 for the random-access tests: serves one
// file with Range (web/range.mjs, as the demo server does), counts every
// byte it sends, and can misbehave on purpose: ignore Range, answer with a
// wrong Content-Range, or change the file between requests.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { serveBytes } from "../../web/range.mjs";

export type Behaviour =
  | "ranges" // a correct server, strong ETag
  | "last-modified" // a correct server with Last-Modified as the only validator
  | "ignore-range" // answers 200 with the whole file
  | "shifted-range" // after the first request, a Content-Range one byte off what was asked
  | "wrong-total" // after the first request, a Content-Range with another total size
  | "changes" // after the first request the file is replaced (same size, new ETag); If-Range honoured
  | "changes-ignoring-if-range" // the same, but the server sends 206 of the new file anyway
  | "changes-no-validator"; // replaced, and the server names no validator at all

export interface RangeServer {
  url: string;
  /** Every response: [start, endExclusive, status] of the bytes sent. */
  sent: [number, number, number][];
  /** The request headers of every request. */
  requests: IncomingHttpHeaders[];
  bytesSent(): number;
  close(): Promise<void>;
}

export async function rangeServer(file: Uint8Array, behaviour: Behaviour = "ranges", replacement?: Uint8Array): Promise<RangeServer> {
  const sent: [number, number, number][] = [];
  const requests: IncomingHttpHeaders[] = [];
  let current = { bytes: file, etag: '"v1"' };
  const server: Server = createServer((req, res) => {
    requests.push(req.headers);
    const later = requests.length > 1;
    if (later && behaviour.startsWith("changes") && replacement) current = { bytes: replacement, etag: '"v2"' };
    const log = (start: number, end: number, status: number) => void sent.push([start, end, status]);
    const validators = behaviour === "last-modified"
      ? { lastModified: "Sun, 06 Dec 2026 04:00:00 GMT" }
      : behaviour === "changes-no-validator" ? {} : { etag: current.etag };
    if (behaviour === "ignore-range") {
      const { range: _, ...rest } = req.headers;
      req.headers = rest;
    }
    if (behaviour === "changes-ignoring-if-range") delete req.headers["if-range"];
    if (later && (behaviour === "shifted-range" || behaviour === "wrong-total")) {
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "")!;
      const [start, end] = [Number(m[1]), Number(m[2])];
      const range = behaviour === "shifted-range" ? `bytes ${start + 1}-${end + 1}/${file.length}` : `bytes ${start}-${end}/${file.length + 1}`;
      res.writeHead(206, { "Content-Range": range, "Content-Length": String(end - start + 1), ETag: current.etag });
      log(start, end + 1, 206);
      return res.end(file.subarray(start, end + 1));
    }
    serveBytes(req, res, { bytes: current.bytes, ...validators, log });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/file.age`,
    sent,
    requests,
    bytesSent: () => sent.reduce((n, [s, e]) => n + (e - s), 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
