// The Web Worker of bench/browser-pieces.bench.ts, in headless Chromium: the
// shipped bundle (/age-rt.js) decrypts and encrypts the same 32 MiB fed in
// 1 KiB to 64 KiB pieces through its streaming APIs, as pieces.bench.ts does
// in Node, with the same floors (an identity TransformStream, pipeTo and a
// read() loop over the pieces alone). Cases interleaved, each after a full
// garbage collection.
import * as ours from "/age-rt.js";

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
  const plain = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(plain.subarray(i, i + 65536));
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
  const cases = Object.entries(apis).flatMap(([api, f]) => sizes.map((p) => [`${api} ${p}`, () => f(p)]));
  const samples = Object.fromEntries(cases.map(([k]) => [k, []]));
  for (const [, f] of cases) await f(); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) {
      const [name, f] = cases[(i + r) % cases.length]; // rotating order, a collection before each case
      self.gc();
      const t0 = performance.now();
      await f();
      samples[name].push(performance.now() - t0);
    }
  }
  return { userAgent: navigator.userAgent, apis: Object.keys(apis), medians: Object.fromEntries(cases.map(([k]) => [k, median(samples[k])])) };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
