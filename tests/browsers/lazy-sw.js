// A module Service Worker for tests/browser-sw.test.ts. The test serves it
// twice: as /sw-static.js with the lazily loaded files of the browser
// bundle imported statically (AGE_RT_STATIC_IMPORTS below becomes those
// import lines), as a Service Worker must, and as /sw-bare.js without them,
// where the library's import() is refused (Service Workers may not call it)
// and the error must say what to do. It answers one message op per request
// through the MessageChannel port it is given.
import { AgeDecoder, AgeEncoder, decodeBytes, decryptStream, encodeBytes } from "./age-rt.js";
/* AGE_RT_STATIC_IMPORTS */

const b64 = (bytes) => {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
};
const unb64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const join = (parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

async function run({ op, file, identity, recipient, plaintext }) {
  if (op === "decrypt") {
    // The asynchronous path first (it would fetch the file with import() if it had to), then the synchronous one.
    // (Read by hand: Response.arrayBuffer() would replace the stream's error with a bare "Failed to fetch".)
    const parts = [];
    const reader = new Blob([unb64(file)]).stream().pipeThrough(decryptStream(new AgeDecoder({ identities: [identity] }))).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
    const streamed = join(parts);
    const sync = join([...decodeBytes(unb64(file), new AgeDecoder({ identities: [identity] }))]);
    return { streamed: b64(streamed), sync: b64(sync) };
  }
  if (op === "encrypt") return { file: b64(encodeBytes([unb64(plaintext)], AgeEncoder.fromRecipients([recipient]))) };
  throw new Error(`unknown op ${op}`);
}

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("message", (event) => {
  const port = event.ports[0];
  run(event.data).then((r) => port.postMessage(r), (e) => port.postMessage({ error: `${e.name}: ${e.message}` }));
});
