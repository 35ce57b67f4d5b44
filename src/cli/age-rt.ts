#!/usr/bin/env node
// The age-rt command (API.md "Command line"): Go age 1.1's flags and
// behaviour, plus --rt for real-time age-rt v0.2 streams. This file checks
// the flags the way Go age does and wires the pieces together; the work is
// in encrypt.ts and decrypt.ts.
import { writeSync } from "node:fs";
import { parseArgs, type FlagSpec, type ParsedArgs } from "./args.js";
import { decrypt } from "./decrypt.js";
import { encrypt, makeEncoder } from "./encrypt.js";
import { CliError, report, type ErrorContext } from "./fail.js";
import { bufferTerminalInput, openInput } from "./input.js";
import { readIdentityFile } from "./key-files.js";
import { isFileOutput, openOutput, type Output } from "./output.js";
import { closePool, warmPool } from "./pool.js";
import { isTerminal } from "./tty.js";
import { passphraseForDecryption, passphraseForEncryption, workFactorFromEnv } from "./passphrase.js";
import { collectRecipients, parseMaxChunk } from "./recipients.js";
import { AGE_RT_USAGE } from "./usage.js";
import { packageVersion } from "./version.js";

const FLAGS: FlagSpec[] = [
  { names: ["encrypt", "e"], kind: "bool" },
  { names: ["decrypt", "d"], kind: "bool" },
  { names: ["passphrase", "p"], kind: "bool" },
  { names: ["armor", "a"], kind: "bool" },
  { names: ["output", "o"], kind: "string" },
  { names: ["recipient", "r"], kind: "list" },
  { names: ["recipients-file", "R"], kind: "list" },
  { names: ["identity", "i"], kind: "list" },
  { names: ["plugin", "j"], kind: "string" },
  { names: ["rt"], kind: "bool" },
  { names: ["max-chunk"], kind: "string" },
  { names: ["crypt-io"], kind: "bool" },
  { names: ["key-file"], kind: "string" },
  { names: ["algorithm"], kind: "string" },
  { names: ["chunk-size-log2"], kind: "string" },
  { names: ["version"], kind: "bool" },
  { names: ["help", "h"], kind: "bool" },
];
const HELP = "age-rt --help";

/** --crypt-io: a key file instead of recipients, identities or passphrases; no armor, no age-rt flags. */
function checkCryptIoFlags(a: ParsedArgs): void {
  const has = (k: string) => a.bools.has(k);
  if (!has("crypt-io")) {
    for (const f of ["key-file", "algorithm", "chunk-size-log2"]) if (a.strings.has(f)) throw new CliError(`--${f} needs --crypt-io`);
    return;
  }
  if (!a.strings.has("key-file")) throw new CliError("--crypt-io needs --key-file PATH (32 raw bytes or 64 hex characters)");
  for (const f of ["recipient", "recipients-file", "identity"]) {
    if ((a.lists.get(f)?.length ?? 0) > 0) throw new CliError(`--${f} can't be used with --crypt-io (it takes a --key-file)`);
  }
  for (const f of ["passphrase", "armor", "rt"]) if (has(f)) throw new CliError(`--${f} can't be used with --crypt-io`);
  if (a.strings.has("max-chunk")) throw new CliError("--max-chunk can't be used with --crypt-io (use --chunk-size-log2)");
  if (has("decrypt")) {
    if (has("encrypt")) throw new CliError("-e/--encrypt can't be used with -d/--decrypt");
    for (const f of ["algorithm", "chunk-size-log2"]) {
      if (a.strings.has(f)) throw new CliError(`--${f} can't be used with -d/--decrypt (the stream's header says)`);
    }
  }
}

/** The flag combinations Go age refuses, with its reasons; ours for --rt. */
function checkFlags(a: ParsedArgs): void {
  const has = (k: string) => a.bools.has(k);
  const n = (k: string) => a.lists.get(k)?.length ?? 0;
  if (a.positional.length > 1) throw new CliError("too many arguments: the input file must come after all flags, and there can be only one");
  checkCryptIoFlags(a);
  if (has("crypt-io")) return;
  if (has("decrypt")) {
    if (has("encrypt")) throw new CliError("-e/--encrypt can't be used with -d/--decrypt");
    if (has("armor")) throw new CliError("-a/--armor can't be used with -d/--decrypt (armored files are detected automatically)");
    if (has("passphrase")) throw new CliError("-p/--passphrase can't be used with -d/--decrypt (passphrase-encrypted files are detected automatically)");
    if (n("recipient") > 0) throw new CliError("-r/--recipient can't be used with -d/--decrypt (did you mean -i/--identity?)");
    if (n("recipients-file") > 0) throw new CliError("-R/--recipients-file can't be used with -d/--decrypt (did you mean -i/--identity?)");
    if (has("rt")) throw new CliError("--rt can't be used with -d/--decrypt (age-rt streams are detected automatically)");
    if (a.strings.has("plugin")) throw new CliError("-j can't be used with -d/--decrypt (plugin identities go in -i files)");
    return;
  }
  if (n("identity") > 0 && !has("encrypt")) {
    throw new CliError("-i/--identity can't be used in encryption mode unless -e/--encrypt is given explicitly (did you forget -d/--decrypt?)");
  }
  const j = a.strings.has("plugin") ? 1 : 0;
  if (n("recipient") + n("recipients-file") + n("identity") + j === 0 && !has("passphrase")) {
    throw new CliError("missing recipients: specify -r/--recipient, -R/--recipients-file, -j PLUGIN or -p/--passphrase");
  }
  if (has("passphrase") && j > 0) throw new CliError("-p/--passphrase can't be combined with -j");
  if (has("passphrase") && n("recipient") > 0) throw new CliError("-p/--passphrase can't be combined with -r/--recipient");
  if (has("passphrase") && n("recipients-file") > 0) throw new CliError("-p/--passphrase can't be combined with -R/--recipients-file");
  if (has("passphrase") && n("identity") > 0) throw new CliError("-p/--passphrase can't be combined with -i/--identity");
  if (a.strings.has("max-chunk") && !has("rt")) throw new CliError("--max-chunk needs --rt (age v1 chunks are always 64 KiB)");
}

async function main(argv: string[]): Promise<number> {
  const ctx: ErrorContext = {};
  let out: Output | null = null;
  try {
    if (argv.length === 0) throw new CliError(`missing arguments (see ${HELP})`);
    const a = parseArgs(argv, FLAGS, HELP);
    // Synchronous writes: process.exit() follows, and must not cut them off.
    if (a.bools.has("help")) {
      writeSync(1, AGE_RT_USAGE);
      return 0;
    }
    if (a.bools.has("version")) {
      writeSync(1, packageVersion() + "\n");
      return 0;
    }
    checkFlags(a);
    const outPath = a.strings.get("output");
    const maxChunk = parseMaxChunk(a.strings.get("max-chunk"));

    if (a.bools.has("crypt-io")) {
      // Imported here: crypt-io's ciphers (AES-GCM, ChaCha20-Poly1305 framing) are not parsed at every start.
      const { decryptCryptIo, encryptCryptIo, parseAlgorithm, parseChunkSizeLog2, readCryptIoKey } = await import("./crypt-io.js");
      const algorithm = parseAlgorithm(a.strings.get("algorithm"));
      const log2 = parseChunkSizeLog2(a.strings.get("chunk-size-log2"));
      const key = readCryptIoKey(a.strings.get("key-file")!);
      const input = openInput(a.positional[0]);
      const decrypting = a.bools.has("decrypt");
      if (!decrypting && outPath === undefined && isTerminal(1)) {
        throw new CliError(`refusing to output binary to the terminal (force with "-o -")`);
      }
      out = openOutput(outPath, { bufferAll: !isFileOutput(outPath) && isTerminal(1) && input.fromTerminal });
      if (decrypting) await decryptCryptIo(key, input, out);
      else await encryptCryptIo(key, algorithm, log2, input, out);
    } else if (a.bools.has("decrypt")) {
      const identities = (a.lists.get("identity") ?? []).flatMap(readIdentityFile);
      const maxWorkFactor = workFactorFromEnv("AGE_PASSPHRASE_MAX_WORK_FACTOR");
      let input = openInput(a.positional[0]);
      warmPool(input);
      // Someone typing the file: take it all before a passphrase prompt
      // needs the same terminal (Go age does the same).
      if (input.fromTerminal) input = await bufferTerminalInput(input);
      out = openOutput(outPath, { bufferAll: !isFileOutput(outPath) && isTerminal(1) && input.fromTerminal });
      await decrypt(input, out, { identities, getPassphrase: passphraseForDecryption, maxWorkFactor, maxChunk }, ctx);
    } else {
      const recipients = await collectRecipients(a.lists.get("recipient") ?? [], a.lists.get("recipients-file") ?? [], a.lists.get("identity") ?? [], a.strings.get("plugin"));
      const workFactor = workFactorFromEnv("AGE_PASSPHRASE_WORK_FACTOR");
      const input = openInput(a.positional[0]);
      warmPool(input);
      const armor = a.bools.has("armor");
      if (outPath === undefined && isTerminal(1) && !armor) {
        throw new CliError(`refusing to output binary to the terminal: did you mean to use -a/--armor? (force with "-o -")`);
      }
      const passphrase = a.bools.has("passphrase") ? await passphraseForEncryption() : null;
      const enc = makeEncoder({ recipients, passphrase, workFactor, rt: a.bools.has("rt"), maxChunk });
      out = openOutput(outPath, { bufferAll: !isFileOutput(outPath) && isTerminal(1) && input.fromTerminal });
      await encrypt(enc, input, out, armor);
    }
    await out.close();
    await closePool();
    return 0;
  } catch (e) {
    await closePool();
    // What authenticated and was written stays written; flush it, then say why we stopped.
    if (out !== null) await out.abort();
    return report(e, ctx);
  }
}

// Exit explicitly: an input stream left open after an error must not keep us alive.
main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => process.exit(report(e)));
