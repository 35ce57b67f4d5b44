// HTTP Range responses (RFC 9110 §14) over bytes in memory, for the demo
// server (web/serve.mjs serves the encrypted media sample with it) and the
// random-access tests' server (tests/helpers/range-server.ts). One range per
// request, as rangeSource asks; If-Range with the strong ETag or the exact
// Last-Modified date, else the whole file (200), as the RFC says.

const RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * Answers `req` from `bytes`; calls `log(start, endExclusive, status)` with
 * what was sent, so a test or the demo's log can count the bytes served.
 */
export function serveBytes(req, res, { bytes, type = "application/octet-stream", etag, lastModified, headers = {}, log = () => {} }) {
  const size = bytes.length;
  const common = {
    "Content-Type": type,
    "Accept-Ranges": "bytes",
    "Cache-Control": "no-store",
    ...(etag ? { ETag: etag } : {}),
    ...(lastModified ? { "Last-Modified": lastModified } : {}),
    ...headers,
  };
  const whole = () => {
    res.writeHead(200, { ...common, "Content-Length": String(size) });
    log(0, size, 200);
    res.end(req.method === "HEAD" ? undefined : bytes);
  };
  const range = req.headers.range;
  if (range === undefined) return whole();
  const ifRange = req.headers["if-range"];
  if (ifRange !== undefined && ifRange !== etag && ifRange !== lastModified) return whole(); // changed: the whole new file
  const m = RANGE.exec(range);
  if (m === null || (m[1] === "" && m[2] === "")) return whole(); // several ranges or a malformed one: a server may ignore it
  let start;
  let end; // inclusive
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2])); // the last N bytes
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) {
    res.writeHead(416, { ...common, "Content-Range": `bytes */${size}` });
    log(start, start, 416);
    return res.end();
  }
  res.writeHead(206, { ...common, "Content-Range": `bytes ${start}-${end}/${size}`, "Content-Length": String(end - start + 1) });
  log(start, end + 1, 206);
  res.end(req.method === "HEAD" ? undefined : bytes.subarray(start, end + 1));
}
