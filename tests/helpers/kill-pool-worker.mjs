// Preloaded into the CLI (`node --import`) by tests/cli-parallel.test.ts: the
// first time the CLI hands its pool's worker a job of file runs ("claim",
// src/pool/file-runs.ts), that worker is terminated AGE_RT_TEST_KILL_MS
// milliseconds later, as a crash or an out-of-memory kill would end it. The
// CLI's own code is unchanged: only worker_threads' Worker is wrapped.
import { Worker } from "node:worker_threads";

const delay = Number(process.env.AGE_RT_TEST_KILL_MS ?? 0);
const post = Worker.prototype.postMessage;
let armed = true;
Worker.prototype.postMessage = function (msg, ...rest) {
  const result = post.call(this, msg, ...rest);
  if (armed && msg?.t === "claim") {
    armed = false;
    setTimeout(() => {
      process.stderr.write("[test] terminating the pool's worker\n");
      void this.terminate();
    }, delay);
  }
  return result;
};
