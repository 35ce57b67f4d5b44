// The worker pool (issue 14, API.md "Several cores"): 128 MiB (X25519,
// age v1) through decryptStream and encryptStream with a pool of 2 workers
// against the single-threaded path, fed 1 MiB and 64 KiB pieces, side by
// side in one process and interleaved. Targets on a 2-core machine: ≥ 1.7×
// at 1 MiB pieces, ≥ 1.3× at 64 KiB. Also: how a 1 MiB run travels to a
// worker and back, by transfer or through a SharedArrayBuffer (the pool
// transfers; this row is why).
//   npm run bench -- pool          (ROUNDS=… to change the repetitions)
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import {
  AgeAutoDecoder, AgeEncoder, createWorkerPool, decryptStream, encodeBytes, encryptStream, generateIdentity, identityToRecipient,
} from "../src/index.js";
import { uninitializedBuffer } from "../src/pool/run-buffer.js";
import { interleaved, machineLine, writeSection } from "./harness.js";

const MiB = 2 ** 20;
const SIZE = 128 * MiB;
const ROUNDS = Number(process.env.ROUNDS ?? 5);

const plain = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i += 65536) crypto.getRandomValues(plain.subarray(i, i + 65536));
const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
const pool = createWorkerPool({ threads: 2 });

/** Fresh copies, as a socket's or a file stream's reads would be. */
function piecesOf(bytes: Uint8Array, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += n) out.push(bytes.slice(i, i + n));
  return out;
}

async function through(pieces: Uint8Array[], ts: TransformStream<Uint8Array, Uint8Array>, want: number): Promise<void> {
  let i = 0;
  const source = new ReadableStream<Uint8Array>({ pull: (c) => (i < pieces.length ? c.enqueue(pieces[i++]!) : c.close()) });
  let n = 0;
  await source.pipeThrough(ts).pipeTo(new WritableStream({ write: (c) => void (n += c.length) }));
  if (want >= 0 && n !== want) throw new Error(`got ${n} bytes, expected ${want}`);
}

/** CPU ms of this process (all threads) and of its main thread alone, and its page faults (Linux /proc), for one run of `fn`. */
async function cpuOf(fn: () => Promise<void>): Promise<{ all: number; main: number; faults: number }> {
  const mainCpu = () => {
    try {
      const f = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(f[11]) + Number(f[12])) * 10; // clock ticks of 10 ms
    } catch {
      return NaN;
    }
  };
  (globalThis as { gc?: () => void }).gc?.();
  const c0 = process.cpuUsage();
  const m0 = mainCpu();
  const f0 = process.resourceUsage().minorPageFault;
  await fn();
  const c = process.cpuUsage(c0);
  return { all: (c.user + c.system) / 1000, main: mainCpu() - m0, faults: process.resourceUsage().minorPageFault - f0 };
}

const rows: string[] = [];
const cpuRows: string[] = [];
for (const piece of [MiB, 64 * 1024]) {
  const cipher = piecesOf(file, piece);
  const plainPieces = piecesOf(plain, piece);
  const dec = () => new AgeAutoDecoder({ identities: [identity] });
  const enc = () => AgeEncoder.fromRecipients([recipient]);
  const m = await interleaved([
    { name: "decrypt 1", run: () => through(cipher, decryptStream(dec()), SIZE) },
    { name: "decrypt pool", run: () => through(cipher, decryptStream(dec(), { pool }), SIZE) },
    { name: "encrypt 1", run: () => through(plainPieces, encryptStream(enc()), file.length) },
    { name: "encrypt pool", run: () => through(plainPieces, encryptStream(enc(), { pool }), file.length) },
  ], ROUNDS, 1, { isolate: true });
  const mbs = (ms: number) => (SIZE / 1e6 / (ms / 1000)).toFixed(0);
  // CPU time says what an idle machine would show when the wall times are noisy: the pool's total
  // should stay near the single-threaded path's, and its main thread's share small.
  const cpu1 = await cpuOf(() => through(cipher, decryptStream(dec()), SIZE));
  const cpuP = await cpuOf(() => through(cipher, decryptStream(dec(), { pool }), SIZE));
  const ecpu1 = await cpuOf(() => through(plainPieces, encryptStream(enc()), file.length));
  const ecpuP = await cpuOf(() => through(plainPieces, encryptStream(enc(), { pool }), file.length));
  const p = piece === MiB ? "1 MiB" : "64 KiB";
  // The most two cores allow: the single-threaded path's CPU time (all its threads, V8's helpers too)
  // split evenly, and nothing added by the pool.
  const ceiling = (wall: number, cpu: number) => `${(wall / (cpu / 2)).toFixed(2)}×`;
  cpuRows.push(`| decryptStream | ${p} | ${cpu1.all.toFixed(0)} (main ${cpu1.main}) | ${cpuP.all.toFixed(0)} (main ${cpuP.main}) | ${cpu1.faults} / ${cpuP.faults} | ${ceiling(m.get("decrypt 1")!, cpu1.all)} |`);
  cpuRows.push(`| encryptStream | ${p} | ${ecpu1.all.toFixed(0)} (main ${ecpu1.main}) | ${ecpuP.all.toFixed(0)} (main ${ecpuP.main}) | ${ecpu1.faults} / ${ecpuP.faults} | ${ceiling(m.get("encrypt 1")!, ecpu1.all)} |`);
  for (const dir of ["decrypt", "encrypt"]) {
    const one = m.get(`${dir} 1`)!;
    const two = m.get(`${dir} pool`)!;
    const target = piece === MiB ? "≥ 1.7×" : "≥ 1.3×";
    rows.push(`| ${dir}Stream | ${piece === MiB ? "1 MiB" : "64 KiB"} | ${one.toFixed(0)} ms (${mbs(one)} MB/s) | ${two.toFixed(0)} ms (${mbs(two)} MB/s) | **${(one / two).toFixed(2)}×** | ${target} |`);
  }
}

// How a 1 MiB run goes to a worker and back: transferred ArrayBuffers, or copied through a SharedArrayBuffer.
// Two workers: the SharedArrayBuffer one blocks in Atomics.wait, so it takes no messages once started.
const echo = new Worker(
  `const { parentPort } = require("node:worker_threads");
   const mine = new Uint8Array(${MiB});
   parentPort.on("message", (m) => { const b = new Uint8Array(m.buf); mine.set(b); b.set(mine); parentPort.postMessage({ buf: m.buf }, [m.buf]); });`,
  { eval: true },
);
const sabEcho = new Worker(
  `const { parentPort } = require("node:worker_threads");
   parentPort.once("message", (m) => {
     const a = new Int32Array(m.sab, 0, 1), data = new Uint8Array(m.sab, 64), mine = new Uint8Array(data.length);
     for (;;) { Atomics.wait(a, 0, 0); if (a[0] === 2) break; mine.set(data); data.set(mine); Atomics.store(a, 0, 0); Atomics.notify(a, 0); }
   });`,
  { eval: true },
);
const RUN = MiB;
const TRIPS = 256;
const src = new Uint8Array(RUN);
const byTransfer = async () => {
  for (let i = 0; i < TRIPS; i++) {
    const buf = uninitializedBuffer(RUN); // as the pool makes its runs (run-buffer.ts)
    new Uint8Array(buf).set(src); // the main thread's one copy: input pieces into the run's buffer
    await new Promise<void>((resolve) => {
      echo.once("message", () => resolve());
      echo.postMessage({ buf }, [buf]);
    });
  }
};
const sab = new SharedArrayBuffer(64 + RUN);
const ctl = new Int32Array(sab, 0, 1);
const slot = new Uint8Array(sab, 64);
sabEcho.postMessage({ sab });
const bySab = async () => {
  for (let i = 0; i < TRIPS; i++) {
    slot.set(src);
    Atomics.store(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    // Atomics.waitAsync (ES2024; Node 16+) lets this thread wait without blocking, as a pool's main thread must.
    const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { value: Promise<string> | string } }).waitAsync;
    while (Atomics.load(ctl, 0) !== 0) await waitAsync(ctl, 0, 1).value;
    src.set(slot.subarray(0, 16)); // reading the result back
  }
};
const t = await interleaved([{ name: "transfer", run: byTransfer }, { name: "sab", run: bySab }], ROUNDS);
Atomics.store(ctl, 0, 2);
Atomics.notify(ctl, 0);
await echo.terminate();
await sabEcho.terminate();
await pool.close();
const us = (ms: number) => ((ms * 1000) / TRIPS).toFixed(0);

const table = `
| API | pieces | single-threaded | pool of 2 | speed-up | target |
|---|---|---|---|---|---|
${rows.join("\n")}

CPU ms for one run, all threads (the main thread's share), single-threaded against the pool, and the speed-up two
cores would give if the pool added no CPU time at all (the single-threaded wall time against half its CPU time:
that path already keeps more than one core busy, V8's helper threads beside the main one), and the process's page
faults in that run (src/pool/keep-freed-heap.ts: without it the pool took 10 000–15 000 per run at 1 MiB pieces):

| API | pieces | single-threaded | pool of 2 | page faults (single / pool) | ceiling on 2 cores |
|---|---|---|---|---|---|
${cpuRows.join("\n")}

A 1 MiB run to a worker and back (the worker copies it in and out, as it does into WebAssembly memory):
by transfer ${us(t.get("transfer")!)} µs (a fresh 1 MiB buffer per run, made as the pool makes them), through a SharedArrayBuffer ${us(t.get("sab")!)} µs
(one slot, reused). The pool transfers anyway: its runs are many in flight, so the trip's latency is hidden, and a
transferred buffer is handed to the consumer as it comes back, where a shared slot would cost the main thread one more
copy per byte (the slot is reused) — the main thread is the one that bounds the pool.`;
console.log(table);
writeSection("pool", `
### Worker pool (library), \`npm run bench -- pool\`

128 MiB, age v1 to X25519, through WHATWG streams fed fresh pieces, interleaved, medians of ${ROUNDS}.
${await machineLine()}.
${table}
`);
