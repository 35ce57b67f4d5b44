// The worker thread of the CLI's parallel file decryption
// (parallel-decrypt.ts): claims runs of chunks from the shared counter, reads
// each straight into its own WebAssembly instance, opens it there and copies
// the plaintext into the next shared slot, in the order it claimed them. It
// stops at the first run that fails (the main thread takes over from there),
// when the main thread says stop, or when no runs are left.
import { workerData } from "node:worker_threads";
import { AGE_CHUNK } from "../format/chunk-size.js";
import { ChunkRuns } from "../wasm/chunk-runs.js";
import {
  EMPTY, FULL, NEXT, RUN_CHUNKS, SLOTS, STOP, controlWords, readRun, runLength, slotData, slotWord, type RunJob,
} from "./payload-runs.js";

const { module, fd, plan, key, sab } = workerData as RunJob;
const ctl = controlWords(sab);
const runs = new ChunkRuns(new WebAssembly.Instance(module, {}), AGE_CHUNK, RUN_CHUNKS);

try {
  for (let i = 0; ; i++) {
    const s = i % SLOTS;
    const state = slotWord(s);
    while (Atomics.load(ctl, state) !== EMPTY) Atomics.wait(ctl, state, FULL);
    if (Atomics.load(ctl, STOP) !== 0) break;
    const run = Atomics.add(ctl, NEXT, 1);
    if (run >= plan.runs) break;
    const n = runLength(plan, run);
    const opened = openRun(run, n, slotData(sab, s));
    // Publish: the main thread waits on this slot for exactly this run.
    ctl[state + 1] = run;
    ctl[state + 2] = opened;
    Atomics.store(ctl, state, FULL);
    Atomics.notify(ctl, state);
    if (opened < n) break;
  }
} finally {
  key.fill(0);
  runs.wipe();
}

/** Chunks of the run that authenticated, copied into `slot`; -1 when it could not be read or opened. */
function openRun(run: number, n: number, slot: Uint8Array): number {
  try {
    if (!readRun(fd, plan, run, runs.sealedView(n))) return -1;
    const opened = runs.open(key, run * RUN_CHUNKS, n);
    slot.set(runs.plaintextView(opened));
    return opened;
  } catch {
    return -1; // the main thread redoes this run itself and meets the error there
  }
}
