// A tiny static server for the demo page (web/) and the browser bundle
// (dist/browser/age-rt.js, and age-rt-fallback.js, which it imports only where
// WebAssembly cannot run, age-rt-pq.js / age-rt-tag.js / age-rt-ssh.js, which
// it imports only for post-quantum, tagged or SSH keys, and age-rt-random.js),
// on 127.0.0.1 only. node:http, no dependencies.
//
//   PORT=8080 node web/serve.mjs        (npm start builds first)
//
// Only the files listed below are served, so there is no path to traverse,
// and the encrypted media sample (web/sample.mjs) made at start-up, at
// /media/sample.wav.age, with HTTP Range requests (web/range.mjs); each
// range it sends is logged (on the console when run directly, and in the
// `mediaLog` that serve() returns, for the tests).
// The Content-Security-Policy is the strict one a real deployment would use:
// scripts from this origin only, plus 'wasm-unsafe-eval', which browsers
// require before they compile WebAssembly under a CSP. The browser tests also
// serve it without 'wasm-unsafe-eval' (the library must then fall back to
// pure JS), and add their own files.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serveBytes } from "./range.mjs";
import { encryptedSample } from "./sample.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));

const FILES = {
  "/": ["web/index.html", "text/html; charset=utf-8"],
  "/index.html": ["web/index.html", "text/html; charset=utf-8"],
  "/style.css": ["web/style.css", "text/css; charset=utf-8"],
  "/app.js": ["web/app.js", "text/javascript; charset=utf-8"],
  "/worker.js": ["web/worker.js", "text/javascript; charset=utf-8"],
  "/media.js": ["web/media.js", "text/javascript; charset=utf-8"],
  "/sw.js": ["web/sw.js", "text/javascript; charset=utf-8"],
  "/age-rt.js": ["dist/browser/age-rt.js", "text/javascript; charset=utf-8"],
  "/age-rt-fallback.js": ["dist/browser/age-rt-fallback.js", "text/javascript; charset=utf-8"],
  "/age-rt-pq.js": ["dist/browser/age-rt-pq.js", "text/javascript; charset=utf-8"],
  "/age-rt-tag.js": ["dist/browser/age-rt-tag.js", "text/javascript; charset=utf-8"],
  "/age-rt-random.js": ["dist/browser/age-rt-random.js", "text/javascript; charset=utf-8"],
  "/age-rt-ssh.js": ["dist/browser/age-rt-ssh.js", "text/javascript; charset=utf-8"],
  "/age-rt-pool.js": ["dist/browser/age-rt-pool.js", "text/javascript; charset=utf-8"],
};

const csp = (wasm) => [
  "default-src 'none'",
  wasm ? "script-src 'self' 'wasm-unsafe-eval'" : "script-src 'self'",
  "worker-src 'self' blob:", // the worker pool starts its workers from a Blob of their code (src/pool/hosts.ts)
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'", // the seek panel's <video> plays what the Service Worker decrypts
  "connect-src 'self' blob:", // the test fetches result blobs to hash them
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/**
/**
 * Starts the server; resolves with it, its URL, the media sample and the log
 * of the byte ranges sent of it ([start, endExclusive, status] per request).
 * Port 0 picks a free port. `sampleSeconds` sets the clip's length. Tests
 * only: `bundleDir` serves the bundle files from another directory than
 * dist/browser; `wasm: false` leaves 'wasm-unsafe-eval' out of the CSP;
 * `extra` maps more paths to [bytes, content type].
 */
export async function serve({
  port = 8080, host = "127.0.0.1", bundleDir = null, sampleSeconds = 120, logMedia = false, wasm = true, extra = {},
} = {}) {
  const CSP = csp(wasm);
  const send = (res, status, type, body) => {
    res.writeHead(status, {
      "Content-Type": type,
      "Content-Security-Policy": CSP,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    });
    res.end(body);
  };
  const sample = await encryptedSample({ seconds: sampleSeconds });
  const mediaLog = [];
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/media/sample.wav.age" && (req.method === "GET" || req.method === "HEAD")) {
      return serveBytes(req, res, {
        bytes: sample.bytes, etag: sample.etag, headers: { "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff" },
        log: (start, end, status) => {
          mediaLog.push([start, end, status]);
          if (logMedia) console.log(`${status} ${path} bytes ${start}-${end - 1} (${end - start} B)`);
        },
      });
    }
    const entry = Object.hasOwn(FILES, path) ? FILES[path] : undefined;
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "method not allowed\n");
    if (Object.hasOwn(extra, path)) return send(res, 200, extra[path][1], req.method === "HEAD" ? null : extra[path][0]);
    if (entry === undefined) return send(res, 404, "text/plain", "not found\n");
    try {
      const file = bundleDir && entry[0].startsWith("dist/browser/") ? join(bundleDir, path) : join(root, entry[0]);
      const body = await readFile(file);
      send(res, 200, entry[1], req.method === "HEAD" ? null : body);
    } catch {
      const hint = entry[0].startsWith("dist/") ? " (run `npm run build` first)" : "";
      send(res, 500, "text/plain", `cannot read ${entry[0]}${hint}\n`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const { port: actual } = server.address();
  return { server, url: `http://${host}:${actual}/`, sample, mediaLog };
}

// Run directly (not imported by the tests): serve until interrupted.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { url, sample } = await serve({ port: Number(process.env.PORT ?? 8080), logMedia: true });
  console.log(`age-rt demo: ${url}  (the media sample's passphrase: "${sample.passphrase}")`);
}
