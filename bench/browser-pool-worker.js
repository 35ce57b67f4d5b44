// The Web Worker of bench/browser-pool.bench.ts, run in headless Chromium:
// the shipped browser bundle (/age-rt.js, which fetches /age-rt-pool.js on
// first use of the pool) encrypts and decrypts the same 64 MiB through
// encryptStream/decryptStream, fed 1 MiB pieces, with a pool of 2 workers
// and on this worker alone, interleaved.
import * as ours from "/age-rt.js";
import { randomBytes, timeRounds } from "/common.js";

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
  const plain = randomBytes(size);
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
  const medians = await timeRounds(cases, rounds); // the warm-up fetches the pool's file and starts its workers
  await pool.close();
  return { userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, medians };
}
