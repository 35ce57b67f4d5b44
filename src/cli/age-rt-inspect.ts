#!/usr/bin/env node
// The age-rt-inspect command (API.md "Command line"): what an age v1, age-rt
// or armored file is, without decrypting it, as Go's age-inspect prints it;
// --json gives Go age-inspect's fields plus `chunks`. The work is in
// inspect.ts; this file reads the flags and the input.
import { readSync, writeSync } from "node:fs";
import { parseArgs, type FlagSpec } from "./args.js";
import { CliError, report } from "./fail.js";
import { openInput } from "./input.js";
import { describeInspection, inspect, type InspectSource } from "./inspect.js";
import { INSPECT_USAGE } from "./usage.js";
import { packageVersion } from "./version.js";

const FLAGS: FlagSpec[] = [
  { names: ["json"], kind: "bool" },
  { names: ["version", "v"], kind: "bool" },
  { names: ["help", "h"], kind: "bool" },
];

async function main(argv: string[]): Promise<number> {
  try {
    const a = parseArgs(argv, FLAGS, "age-rt-inspect --help");
    if (a.bools.has("help")) {
      writeSync(1, INSPECT_USAGE);
      return 0;
    }
    if (a.bools.has("version")) {
      writeSync(1, packageVersion() + "\n");
      return 0;
    }
    if (a.positional.length > 1) throw new CliError("too many arguments: give at most one INPUT (see age-rt-inspect --help)");
    const name = a.positional[0];
    if (name === undefined && process.stdin.isTTY) {
      // Nothing to inspect would come from someone typing: show how to use it.
      writeSync(2, INSPECT_USAGE);
      return 1;
    }
    const input = openInput(name);
    let source: InspectSource;
    if (input.file !== undefined) {
      const { fd, size, start } = input.file;
      source = {
        kind: "file",
        size: size - start,
        readAt: (offset, length) => {
          const buf = Buffer.allocUnsafe(length);
          let n = 0;
          while (n < length) {
            const k = readSync(fd, buf, n, length - n, start + offset + n);
            if (k === 0) break;
            n += k;
          }
          return buf.subarray(0, n);
        },
      };
    } else {
      source = { kind: "stream", chunks: input.chunks };
    }
    const result = await inspect(source);
    writeSync(1, a.bools.has("json") ? JSON.stringify(result, null, 4) + "\n" : describeInspection(name === undefined || name === "-" ? "<stdin>" : name, result));
    return 0;
  } catch (e) {
    return report(e);
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => process.exit(report(e)));
