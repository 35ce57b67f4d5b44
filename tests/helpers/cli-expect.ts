// Assertions and data the CLI test files share: the error contract of a run
// (one "age-rt: error:" line, non-zero status, no stack) and reproducible
// payloads.
import { expect } from "vitest";
import type { RunResult } from "./cli.js";

/** `n` bytes of a seeded LCG: the same for the same seed on every run. */
export function payload(n: number, seed = 7): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) out[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return out;
}

/** The error contract: non-zero exit, exactly one stderr line, "age-rt: error: …", no stack. */
export function expectError(r: RunResult, message: RegExp): void {
  expect(r.status, r.stderr).not.toBe(0);
  expect(r.stderr).toMatch(/^age-rt: error: [^\n]*\n$/);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

export function expectOk(r: RunResult): void {
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
}
