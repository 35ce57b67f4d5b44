// Finds the JavaScript runtimes and browser engines the runtime tests drive:
// workerd, Deno and Bun from their npm packages (devDependencies), the
// browsers from Debian's packages (.ci/run installs them).
//
// npm may or may not have run these packages' install scripts (npm 11 asks
// before running them): the binary then sits either inside the platform
// package (`@cloudflare/workerd-linux-64/bin/workerd`, `@deno/linux-x64-glibc/deno`,
// `@oven/bun-linux-x64/bin/bun`) or where the script moved it. Each candidate
// is tried with `--version`; the first that runs wins.
//
// A missing engine fails the run under CI=true and is a loud skip elsewhere.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The repository's root: the nearest directory up with age-rt's package.json (also from a bundled bench/.cache/ file). */
export function repoRoot(from = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "age-rt") return dir;
    if (dirname(dir) === dir) throw new Error(`no age-rt package.json above ${from}`);
  }
}

const NM = join(repoRoot(), "node_modules");

export interface Runtime {
  /** Absolute path of the executable. */
  bin: string;
  /** Its own version string, e.g. "2.9.6". */
  version: string;
}

function firstWorking(candidates: string[], versionOf: (out: string) => string): Runtime | null {
  for (const bin of candidates) {
    if (!existsSync(bin)) continue;
    try {
      const out = execFileSync(bin, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 30_000 });
      return { bin, version: versionOf(out.trim()) };
    } catch {
      // a placeholder left by a package whose install script did not run: try the next
    }
  }
  return null;
}

/** workerd, Cloudflare's Workers runtime (npm `workerd`). */
export function findWorkerd(): Runtime | null {
  const arch = process.arch === "x64" ? "64" : process.arch; // "workerd-linux-64"
  return firstWorking(
    [join(NM, "@cloudflare", `workerd-${process.platform}-${arch}`, "bin", "workerd"), join(NM, "workerd", "bin", "workerd")],
    (out) => out.replace(/^workerd\s+/, ""),
  );
}

/** Deno (npm `deno`). */
export function findDeno(): Runtime | null {
  return firstWorking(
    [join(NM, "@deno", `${process.platform}-${process.arch}-glibc`, "deno"), join(NM, "deno", "bin", "deno"), join(NM, "deno", "deno")],
    (out) => /^deno (\S+)/.exec(out)?.[1] ?? out,
  );
}

/** Bun (npm `bun`). Its install script moves the binary to bun/bin/bun.exe. */
export function findBun(): Runtime | null {
  return firstWorking(
    [join(NM, "@oven", `bun-${process.platform}-${process.arch}`, "bin", "bun"), join(NM, "bun", "bin", "bun.exe"), join(NM, "bun", "bin", "bun")],
    (out) => out,
  );
}

/** A Debian-installed program by absolute path, with its `--version` output. */
export function findSystem(bin: string, versionOf: (out: string) => string = (o) => o): Runtime | null {
  return firstWorking([bin], versionOf);
}

/**
 * Whether a test group can run: throws under CI=true when something is
 * missing (.ci/run installs everything), otherwise warns loudly and returns
 * false so the group is skipped.
 */
export function available(what: string, missing: string[], hint: string): boolean {
  if (missing.length === 0) return true;
  const msg = `${what}: ${missing.join(", ")} missing (${hint})`;
  if (process.env.CI === "true") throw new Error(`${msg} — required under CI`);
  console.warn(`\n*** SKIPPED ${msg} ***\n`);
  return false;
}
