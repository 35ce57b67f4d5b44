// Whether a descriptor is a terminal, without loading node:tty (which loads
// node:net and Node's stream modules with it) or creating process.stdout
// where the answer is plainly no: a file, a pipe, or one of Linux's memory
// devices (/dev/null, /dev/zero: character devices of major number 1, never
// terminals). The commands ask at every start; node:tty is required only when
// a character device might be one.
import { fstatSync } from "node:fs";
import { createRequire } from "node:module";

let ttyModule: typeof import("node:tty") | null = null;

/** node:tty, required on first use. */
export function tty(): typeof import("node:tty") {
  return (ttyModule ??= createRequire(import.meta.url)("node:tty") as typeof import("node:tty"));
}

/** Like tty.isatty(fd) (false for a closed descriptor). */
export function isTerminal(fd: number): boolean {
  let st;
  try {
    st = fstatSync(fd);
  } catch {
    return false;
  }
  if (!st.isCharacterDevice()) return false;
  if (process.platform === "linux" && ((st.rdev >> 8) & 0xfff) === 1) return false;
  return tty().isatty(fd);
}
