#!/usr/bin/env node
// The age-rt-keygen command: Go age-keygen 1.3's flags and output format
// (-pq for a post-quantum hybrid key).
// A new key goes to stdout or to -o OUTPUT, which must not exist yet and is
// created with mode 0600; the public key goes to stderr when the output is
// not a terminal. -y prints the recipients of an identity file.
import { closeSync, fstatSync, openSync, readFileSync, writeSync } from "node:fs";
import { parseArgs, type FlagSpec } from "./args.js";
import { CliError, fileError, report } from "./fail.js";
import { newKeyFile, recipientsOf } from "./keygen.js";
import { loadAllModules } from "./stanza-modules.js";
import { isTerminal } from "./tty.js";
import { KEYGEN_USAGE } from "./usage.js";
import { packageVersion } from "./version.js";

const FLAGS: FlagSpec[] = [
  { names: ["output", "o"], kind: "string" },
  { names: ["y"], kind: "bool" },
  { names: ["pq"], kind: "bool" },
  { names: ["version"], kind: "bool" },
  { names: ["help", "h"], kind: "bool" },
];

function main(argv: string[]): number {
  let fd = 1;
  try {
    const a = parseArgs(argv, FLAGS, "age-rt-keygen --help");
    if (a.bools.has("help")) {
      writeSync(1, KEYGEN_USAGE);
      return 0;
    }
    const convert = a.bools.has("y");
    if (convert && a.bools.has("pq")) throw new CliError("-pq cannot be used with -y");
    if (a.positional.length > (convert ? 1 : 0)) throw new CliError("too many arguments");
    if (a.bools.has("version")) {
      writeSync(1, packageVersion() + "\n");
      return 0;
    }
    const outPath = a.strings.get("output");
    if (outPath !== undefined && outPath !== "-") {
      try {
        // Never overwrite: the file may hold the only copy of another key.
        fd = openSync(outPath, "wx", 0o600);
      } catch (e) {
        throw fileError("failed to open output file", outPath, e);
      }
    }
    if (convert) {
      const inPath = a.positional[0];
      let text: string;
      try {
        text = readFileSync(inPath === undefined || inPath === "-" ? 0 : inPath, "utf8");
      } catch (e) {
        throw fileError("failed to open input file", inPath ?? "-", e);
      }
      writeAll(fd, recipientsOf(text));
    } else {
      const st = fstatSync(fd);
      if (st.isFile() && (st.mode & 0o004) !== 0) writeSync(2, "age-rt-keygen: warning: writing secret key to a world-readable file\n");
      const { text, recipient } = newKeyFile(new Date(), a.bools.has("pq"));
      if (!isTerminal(fd)) writeSync(2, `Public key: ${recipient}\n`);
      writeAll(fd, text);
    }
    if (fd !== 1) closeSync(fd);
    return 0;
  } catch (e) {
    return report(e);
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  for (let o = 0; o < bytes.length; ) o += writeSync(fd, bytes, o, bytes.length - o);
}

// The key types' code first: keygen turns keys into recipients synchronously.
void loadAllModules().then(() => {
  process.exitCode = main(process.argv.slice(2));
});
