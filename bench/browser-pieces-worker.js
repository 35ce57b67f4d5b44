// The Web Worker of bench/browser-pieces.bench.ts, in headless Chromium: the
// shipped bundle (/age-rt.js) decrypts and encrypts the same 32 MiB fed in
// 1 KiB to 64 KiB pieces through its streaming APIs, as pieces.bench.ts does
// in Node, with the same floors (an identity TransformStream, pipeTo and a
// read() loop over the pieces alone). Cases interleaved, each after a full
// garbage collection (/common.js).
import * as ours from "/age-rt.js";
import { randomBytes, timeRounds } from "/common.js";

self.onmessage = async ({ data: { size, rounds, pieces } }) => {
  try {
    self.postMessage({ ok: true, result: await run(size, rounds, pieces) });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e?.stack ?? e) });
  }
};

/** Fresh copies, as a socket's reads would be. */
function piecesOf(bytes, n) {
  const out = [];
  for (let i = 0; i < bytes.length; i += n) out.push(bytes.slice(i, i + n));
  return out;
}

/** A source handing out the pieces one pull at a time. */
function sourceOf(pieces) {
  let i = 0;
  return new ReadableStream({ pull: (c) => (i < pieces.length ? c.enqueue(pieces[i++]) : c.close()) });
}

async function sunk(stream) {
  let n = 0;
  await stream.pipeTo(new WritableStream({ write: (c) => void (n += c.length) }));
  return n;
}

async function readAlone(pieces) {
  const reader = sourceOf(pieces).getReader();
  let n = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.length;
  return n;
}

async function* asyncPieces(pieces) {
  for (const piece of pieces) yield piece;
}

async function run(size, rounds, sizes) {
  await ours.ready();
  const plain = randomBytes(size);
  const identity = ours.generateIdentity();
  const recipient = ours.identityToRecipient(identity);
  const file = ours.encodeBytes([plain], ours.AgeEncoder.fromRecipients([recipient]));
  const dec = () => new ours.AgeAutoDecoder({ identities: [identity] });
  const enc = () => ours.AgeEncoder.fromRecipients([recipient]);
  const check = (n, want) => {
    if (n !== want) throw new Error(`got ${n} bytes, expected ${want}`);
  };
  const cipher = new Map(sizes.map((p) => [p, piecesOf(file, p)]));
  const clear = new Map(sizes.map((p) => [p, piecesOf(plain, p)]));
  const apis = {
    "aiterDecodeChunks (async source)": async (p) => {
      let n = 0;
      for await (const c of ours.aiterDecodeChunks(asyncPieces(cipher.get(p)), dec())) n += c.length;
      check(n, size);
    },
    decryptStream: async (p) => check(await sunk(sourceOf(cipher.get(p)).pipeThrough(ours.decryptStream(dec()))), size),
    decryptReadable: async (p) => check(await sunk(ours.decryptReadable(sourceOf(cipher.get(p)), dec())), size),
    "echo (ciphertext pieces)": async (p) => check(await sunk(sourceOf(cipher.get(p)).pipeThrough(new TransformStream())), file.length),
    "pipeTo alone (ciphertext pieces)": async (p) => check(await sunk(sourceOf(cipher.get(p))), file.length),
    "read() alone (ciphertext pieces)": async (p) => check(await readAlone(cipher.get(p)), file.length),
    encryptStream: async (p) => check(await sunk(sourceOf(clear.get(p)).pipeThrough(ours.encryptStream(enc()))), file.length),
    encryptReadable: async (p) => check(await sunk(ours.encryptReadable(sourceOf(clear.get(p)), enc())), file.length),
  };
  const cases = Object.fromEntries(Object.entries(apis).flatMap(([api, f]) => sizes.map((p) => [`${api} ${p}`, () => f(p)])));
  return { userAgent: navigator.userAgent, apis: Object.keys(apis), medians: await timeRounds(cases, rounds) };
}
