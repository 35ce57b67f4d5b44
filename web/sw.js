// The demo's Service Worker (a module worker): plays an age-encrypted media
// file with seeking. The page asks it, by message, to open a URL with a
// passphrase or identity (openRandomAccess over rangeSource: the header and
// the last chunk are fetched and authenticated); it then answers the media
// element's requests for /decrypted/<id>/<name> — range requests, as media
// elements make them — with a stream of just the chunks that range covers,
// each fetched with an HTTP Range request and authenticated before it is
// released. Nothing is decrypted ahead of what the element reads.
//
// A Service Worker may be stopped when idle; the files it opened go with it
// (the page then opens the file again).
import { openRandomAccess, rangeSource, ready } from "/age-rt.js";
// Service Workers may not call import(): the random-access code and the
// post-quantum code (for an AGE-SECRET-KEY-PQ-1… identity), which age-rt.js
// fetches on first use elsewhere, are imported here statically; each hands
// itself to age-rt.js as it loads (src/lazy/registry.ts).
import "/age-rt-random.js";
import "/age-rt-pq.js";

const opened = new Map(); // id → { file: AgeRandomAccess, type }

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event) => {
  const port = event.ports[0];
  if (event.data?.op !== "open" || !port) return;
  openFile(event.data).then((reply) => port.postMessage(reply), (e) => port.postMessage({ error: `${e.name}: ${e.message}` }));
});

async function openFile({ url, type, passphrase, identity }) {
  await ready();
  // Every request the source makes is reported to the pages, which show them.
  const reporting = (input, init) => {
    const range = new Headers(init?.headers).get("Range");
    void self.clients.matchAll().then((cs) => cs.forEach((c) => c.postMessage({ fetched: range })));
    return fetch(input, init);
  };
  const source = await rangeSource(new URL(url, self.location.origin), { fetch: reporting });
  const file = await openRandomAccess(source, identity ? { identities: [identity] } : { passphrase });
  const id = crypto.randomUUID();
  for (const old of opened.values()) old.file.close(); // one sample at a time: wipe the previous keys
  opened.clear();
  opened.set(id, { file, type });
  return { id, size: file.size };
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith("/decrypted/")) return;
  event.respondWith(answer(event.request, url));
});

const RANGE = /^bytes=(\d*)-(\d*)$/;

function answer(request, url) {
  const entry = opened.get(url.pathname.split("/")[2]);
  if (!entry) return new Response("not open (the Service Worker restarted?): open the file again\n", { status: 404 });
  const { file, type } = entry;
  const size = file.size;
  const headers = { "Content-Type": type, "Accept-Ranges": "bytes", "Cache-Control": "no-store" };
  const m = RANGE.exec(request.headers.get("Range") ?? "");
  if (!m || (m[1] === "" && m[2] === "")) {
    return new Response(file.stream(), { status: 200, headers: { ...headers, "Content-Length": String(size) } });
  }
  const start = m[1] === "" ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === "" || m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || start > end) {
    return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${size}` } });
  }
  return new Response(file.stream(start, end + 1), {
    status: 206,
    headers: { ...headers, "Content-Range": `bytes ${start}-${end}/${size}`, "Content-Length": String(end - start + 1) },
  });
}
