// Records what each runtime/engine test measured, for the README's "Where it
// runs" table (scripts/where-it-runs.mjs renders it from these records). One
// JSON file per runtime under bench/.cache/where-it-runs/, written by the
// test that ran it: tests run in parallel processes, so no shared file.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const RUNS_DIR = join(import.meta.dirname, "..", "..", "bench", ".cache", "where-it-runs");

export interface RunRecord {
  /** Runtime or engine, as the README names it ("Deno", "Firefox ESR"). */
  runtime: string;
  /** Its version as it reports itself. */
  version: string;
  /** "WebAssembly" or "pure JS": the core the library ran on there. */
  path: string;
  /** MB/s (2^20 bytes per second) of `what`, or null where it was not timed. */
  mbps: number | null;
  /** What was timed, e.g. "16 MiB X25519 decrypt". */
  what: string;
}

export function recordRun(r: RunRecord): void {
  mkdirSync(RUNS_DIR, { recursive: true });
  const slug = `${r.runtime}-${r.path}`.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  writeFileSync(join(RUNS_DIR, `${slug}.json`), JSON.stringify({ ...r, date: new Date().toISOString() }, null, 2) + "\n");
}
