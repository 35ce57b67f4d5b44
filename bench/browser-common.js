// What the browser benches' Web Workers share (served as /common.js by
// bench/chromium-worker.ts): random test data, and the timing loop of
// bench/harness.ts's interleaved() in a worker — a warm-up of each case,
// then rounds in rotating order, each case after a full garbage collection
// (Chromium runs with --expose-gc): rotation keeps the cyclic order, so
// without the collection each case would pay for the garbage of the one
// before it. Returns each case's median in milliseconds.

/** `size` random bytes (getRandomValues fills at most 64 KiB per call). */
export function randomBytes(size) {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

/** Times `cases` (name → function, possibly async) over `rounds` interleaved rounds. */
export async function timeRounds(cases, rounds) {
  const names = Object.keys(cases);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) await cases[name](); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      self.gc();
      const t0 = performance.now();
      await cases[name]();
      samples[name].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
