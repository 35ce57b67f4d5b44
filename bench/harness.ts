// Shared measuring helpers for bench/*.bench.ts: interleaved repetitions,
// medians, throughput and a markdown section written to bench/results/.
import { writeFileSync } from "node:fs";

export type Case = { name: string; run: () => unknown | Promise<unknown> };

/** Wall time in ms of one call. */
export async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Runs every case once per round, `rounds` times, in rotating order so that
 * no implementation always goes first; returns the median ms of each case.
 * With `isolate`, a full garbage collection (outside the timing) precedes
 * each run. Rotation keeps the cyclic order, so without it the same case
 * always follows the same neighbour and pays for collecting its garbage:
 * with 128 MiB results that is most of a run's time.
 */
export async function interleaved(
  cases: Case[], rounds: number, warmup = 1, { isolate = false }: { isolate?: boolean } = {},
): Promise<Map<string, number>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (isolate && gc === undefined) throw new Error("interleaved({ isolate }) needs node --expose-gc (bench/run.mjs passes it)");
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let w = 0; w < warmup; w++) for (const c of cases) await c.run();
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + r) % cases.length]!;
      if (isolate) gc!();
      samples.get(c.name)!.push(await time(c.run));
    }
  }
  return new Map([...samples].map(([k, v]) => [k, median(v)]));
}

/** Writes bench/results/<name>.md (gathered into bench/RESULTS.md by bench/run.mjs). */
export function writeSection(name: string, markdown: string): void {
  writeFileSync(`bench/results/${name}.md`, markdown.trim() + "\n");
}

export const MB = 1e6;

/**
 * The machine a figure was measured on: lscpu's model name, whether the CPU
 * has AVX-512 (native OpenSSL and Go run ~2-2.5x faster per core with it),
 * cores and the 1-minute load average. Write it next to every figure.
 */
export async function machineLine(): Promise<string> {
  const { execFileSync } = await import("node:child_process");
  const { cpus, loadavg } = await import("node:os");
  let model = cpus()[0]?.model ?? "?";
  let flags = "";
  try {
    const out = execFileSync("lscpu", { encoding: "utf8" });
    model = /^Model name:\s*(.+)$/m.exec(out)?.[1]?.trim() ?? model;
    flags = /^Flags:\s*(.+)$/m.exec(out)?.[1] ?? "";
  } catch {
    // no lscpu: the model from os.cpus() stands
  }
  const has = (f: string) => flags.split(/\s+/).includes(f);
  const simd = flags === "" ? "flags unknown" : has("avx512f") ? "AVX-512 (avx512f), AVX2" : has("avx2") ? "AVX2, no AVX-512" : "no AVX2";
  return `${model}, ${simd}; ${cpus().length} cores, 1-minute load average ${loadavg()[0]!.toFixed(2)}`;
}
