// Whether the Go reference CLI (Debian package `age`) is installed. In CI it
// must be (.ci/run installs it): a missing peer is a failure there, not a skip.
import { execFileSync } from "node:child_process";

function probe(): boolean {
  try {
    execFileSync("age", ["--version"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
}

export const goAgeAvailable = probe();
if (!goAgeAvailable && process.env.CI) throw new Error("the Go age CLI is required in CI (apt-get install -y age)");
