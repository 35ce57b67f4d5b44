// The worker side of file runs (file-runs.ts has the layout and the caller's
// side): a Node host extension of the pool's workers (hosts.ts,
// addNodeWorkerExtension), so the browsers' pool file carries none of it.
//
// Like poolWorkerMain, this function is started from its source text in
// the worker: it must not refer to anything outside its own body (no
// imports, no module-level names) and must stay plain ES2022.
import type { WorkerCore } from "./worker-main.js";

/**
 * Claims runs of full, non-final age v1 chunks from the shared counter,
 * reads each from the file straight into this worker's WebAssembly memory,
 * opens or seals it there and copies the result into this worker's next
 * slot, in the order it claimed them, after saying in the run ring which slot
 * that is. Stops at a run that fails (the caller takes over there), when the
 * caller sets the stop word, or when no runs are left; returns the runs it did.
 */
export function fileRunsWorker(job: any, w: WorkerCore): number {
  const TAG = 16;
  const TWO_32 = 2 ** 32;
  // Brackets, as in hosts.ts: the edge-runtime bundle test looks for Node globals in the text.
  const readSync = (globalThis as any)["process"]["getBuiltinModule"]("node:fs").readSync;
  const x = w.exports;
  const ctl = new Int32Array(job.sab, 0, job.controlWords);
  const opening = job.op === "open";
  const size = job.size;
  const perRun = job.runChunks;
  const inStride = opening ? size + TAG : size;
  const outStride = opening ? size : size + TAG;
  const src = w.reserve(perRun * (size + TAG) + perRun * size + 64);
  const dst = src + Math.ceil((perRun * inStride) / 64) * 64;
  const mem = w.memory(); // memory grows only in reserve(): this view stays valid
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
        const len = n * inStride;
        const at = job.at + run * perRun * inStride;
        let got = 0;
        for (let k = 1; got < len && k > 0; got += k) k = readSync(job.fd, mem, src + got, len - got, at + got);
        if (got === len) {
          w.setKey(job.stream);
          const c = job.counter + run * perRun;
          const hi = Math.floor(c / TWO_32);
          const lo = c >>> 0;
          if (opening) done = x.aead_stream_open_chunks(src, dst, n, size, hi, lo) >>> 0;
          else {
            x.aead_stream_seal_chunks(src, dst, n, size, hi, lo);
            done = n;
          }
          new Uint8Array(job.sab, job.slotData + slot * job.slotBytes, done * outStride).set(mem.subarray(dst, dst + done * outStride));
        }
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
    mem.fill(0, src, dst + perRun * outStride);
  }
  return did;
}
