// The Web Worker of bench/browser-pool.bench.ts, run in headless Chromium:
// the shipped browser bundle (/age-rt.js, which fetches /age-rt-pool.js on
// first use of the pool) encrypts and decrypts the same 64 MiB through
// encryptStream/decryptStream, fed 1 MiB pieces, with a pool of 2 workers
// and on this worker alone, interleaved.
import * as ours from "/age-rt.js";

self.onmessage = async ({ data: { size, rounds } }) => {
  try {
    self.postMessage({ ok: true, result: await run(size, rounds) });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e?.stack ?? e) });
  }
};

const PIECE = 1 << 20;

async function through(pieces, ts, want) {
  let i = 0;
  const source = new ReadableStream({ pull: (c) => (i < pieces.length ? c.enqueue(pieces[i++]) : c.close()) });
  let n = 0;
  await source.pipeThrough(ts).pipeTo(new WritableStream({ write: (c) => void (n += c.length) }));
  if (n !== want) throw new Error(`got ${n} bytes, expected ${want}`);
}

async function run(size, rounds) {
  await ours.ready();
  const plain = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(plain.subarray(i, i + 65536));
  const identity = ours.generateIdentity();
  const recipient = ours.identityToRecipient(identity);
  const file = ours.encodeBytes([plain], ours.AgeEncoder.fromRecipients([recipient]));
  const piecesOf = (b) => Array.from({ length: Math.ceil(b.length / PIECE) }, (_, k) => b.slice(k * PIECE, (k + 1) * PIECE));
  const cipher = piecesOf(file);
  const plainPieces = piecesOf(plain);
  const pool = ours.createWorkerPool({ threads: 2 });
  const dec = () => new ours.AgeDecoder({ identities: [identity] });
  const enc = () => ours.AgeEncoder.fromRecipients([recipient]);
  const cases = {
    "decrypt, one worker": () => through(cipher, ours.decryptStream(dec()), size),
    "decrypt, pool of 2": () => through(cipher, ours.decryptStream(dec(), { pool }), size),
    "encrypt, one worker": () => through(plainPieces, ours.encryptStream(enc()), file.length),
    "encrypt, pool of 2": () => through(plainPieces, ours.encryptStream(enc(), { pool }), file.length),
  };
  const names = Object.keys(cases);
  const samples = Object.fromEntries(names.map((k) => [k, []]));
  for (const name of names) await cases[name](); // warm-up (and the pool's file and workers)
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      self.gc();
      const t0 = performance.now();
      await cases[name]();
      samples[name].push(performance.now() - t0);
    }
  }
  await pool.close();
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, medians: Object.fromEntries(names.map((k) => [k, median(samples[k])])) };
}
