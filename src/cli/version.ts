// The package version for --version, read from package.json at run time so it
// never drifts: the built entry points and chunks sit two levels below it
// (dist/cli/*.js, dist/chunks/*.js).
import { readFileSync } from "node:fs";

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? `v${pkg.version}` : "(unknown)";
  } catch {
    return "(unknown)";
  }
}
