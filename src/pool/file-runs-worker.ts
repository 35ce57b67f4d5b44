// The worker side of file runs (file-runs.ts has the layout and the caller's
// side): a Node host extension of the pool's workers (hosts.ts,
// addNodeWorkerExtension), so the browsers' pool file carries none of it.
//
// Like poolWorkerMain, this function is started from its source text in
// the worker: it must not refer to anything outside its own body (no
// imports, no module-level names) and must stay plain ES2022.
import type { exposeGc, gcPacer } from "./gc-pacer.js";
import type { opensslChunks } from "./openssl-chunks.js";
import type { WorkerCore } from "./worker-main.js";

/**
 * Claims runs of full, non-final age v1 chunks from the shared counter,
 * reads each from the file, opens or seals it and copies the result into
 * this worker's next slot, in the order it claimed them, after saying in the
 * run ring which slot that is. Stops at a run that fails (the caller takes
 * over there), when the caller sets the stop word, or when no runs are left;
 * returns the runs it did.
 *
 * `job.engine` says whose ChaCha20-Poly1305 does the work, the caller's own
 * runs' (file-runs.ts, RunCipher): "wasm", this worker's WebAssembly instance,
 * reading straight into its memory; "openssl", Node's node:crypto (the CLI,
 * src/cli/openssl-runs.ts) through `chunks` (openssl-chunks.ts), pacing
 * collections with `expose` and `pacer` (gc-pacer.ts): functions hosts.ts
 * hands in beside this one.
 */
export function fileRunsWorker(
  job: any,
  w: WorkerCore,
  chunks: typeof opensslChunks,
  expose: typeof exposeGc,
  pacer: typeof gcPacer,
): number {
  const TAG = 16;
  const TWO_32 = 2 ** 32;
  // Brackets, as in hosts.ts: the edge-runtime bundle test looks for Node globals in the text.
  const builtin = (globalThis as any)["process"]["getBuiltinModule"];
  const readSync = builtin("node:fs").readSync;
  const ctl = new Int32Array(job.sab, 0, job.controlWords);
  const opening = job.op === "open";
  const size = job.size;
  const perRun = job.runChunks;
  const inStride = opening ? size + TAG : size;
  const outStride = opening ? size : size + TAG;

  /** The engine: where a run's input is read to, and what turns it into `out` (returns the chunks done). */
  interface Engine {
    input(len: number): Uint8Array;
    crypt(counter: number, n: number, out: Uint8Array): number;
    wipe(): void;
  }

  function wasmEngine(): Engine {
    const x = w.exports;
    const src = w.reserve(perRun * (size + TAG) + perRun * size + 64);
    const dst = src + Math.ceil((perRun * inStride) / 64) * 64;
    const mem = w.memory(); // memory grows only in reserve(): this view stays valid
    return {
      input: (len) => mem.subarray(src, src + len),
      crypt(counter, n, out) {
        w.setKey(job.stream);
        const hi = Math.floor(counter / TWO_32);
        const lo = counter >>> 0;
        let done = n;
        if (opening) done = x.aead_stream_open_chunks(src, dst, n, size, hi, lo) >>> 0;
        else x.aead_stream_seal_chunks(src, dst, n, size, hi, lo);
        out.set(mem.subarray(dst, dst + done * outStride));
        return done;
      },
      wipe: () => mem.fill(0, src, dst + perRun * outStride),
    };
  }

  function opensslEngine(): Engine {
    const api = builtin("node:crypto");
    const key = w.key(job.stream);
    const buf = new Uint8Array(perRun * inStride);
    // node:crypto returns every chunk in a fresh buffer: collect them after every run, as the caller's thread does.
    const pace = pacer(() => expose(builtin("node:v8"), builtin("node:vm")), perRun * size);
    return {
      input: (len) => buf.subarray(0, len),
      crypt(counter, n, out) {
        pace(n * size);
        return chunks(api, job.op, key, counter, n, size, buf, out);
      },
      wipe: () => buf.fill(0),
    };
  }

  const engine = job.engine === "openssl" ? opensslEngine() : wasmEngine();
  let did = 0;
  try {
    for (let i = 0; ; i++) {
      const slot = job.firstSlot + (i % job.slots);
      const state = job.slotWords + 3 * slot;
      while (Atomics.load(ctl, state) !== 0) Atomics.wait(ctl, state, 1); // the caller has not written it out yet
      if (Atomics.load(ctl, job.stopWord) !== 0) break;
      const run = Atomics.add(ctl, job.nextWord, 1);
      if (run >= job.runs) break;
      Atomics.store(ctl, job.ringWords + (run % job.ring), slot + 1); // where run `run` will be
      Atomics.notify(ctl, job.ringWords + (run % job.ring));
      const n = Math.min(perRun, job.chunks - run * perRun);
      let done = -1;
      try {
        const into = engine.input(n * inStride);
        const at = job.at + run * perRun * inStride;
        let got = 0;
        for (let k = 1; got < into.length && k > 0; got += k) k = readSync(job.fd, into, got, into.length - got, at + got);
        if (got === into.length) done = engine.crypt(job.counter + run * perRun, n, new Uint8Array(job.sab, job.slotData + slot * job.slotBytes, n * outStride));
      } catch {
        done = -1; // the caller does this run itself and meets the error there
      }
      ctl[state + 1] = run;
      ctl[state + 2] = done;
      Atomics.store(ctl, state, 1);
      Atomics.notify(ctl, state);
      did++;
      if (done < n) break;
    }
  } finally {
    engine.wipe();
  }
  return did;
}
