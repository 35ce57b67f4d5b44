// Identity files (-i, age-keygen output: AGE-SECRET-KEY-1… lines) and
// recipients files (-R: age1… lines), with "#" comments and empty lines
// ignored, read from a path or "-" (standard input). Returns the key strings
// the library takes; errors name the file and the line, never the key.
import { readFileSync } from "node:fs";
import { UsageError } from "../errors.js";
import { keyFileLines, parseIdentityFile, parseRecipientsFile } from "../recipients/keys.js";
import { CliError, fileError } from "./fail.js";
import { claimStdin } from "./stdin.js";

/** Key files larger than this are refused (as Go age does), so a wrong path cannot eat memory. */
const KEY_FILE_LIMIT = 16 << 20;

/** The bytes of a key file at `path` ("-": standard input), at most KEY_FILE_LIMIT; `what` names it in errors. */
export function readKeyFileBytes(path: string, what: string): Buffer {
  let bytes: Buffer;
  try {
    if (path === "-") {
      claimStdin(what);
      bytes = readFileSync(0);
    } else {
      bytes = readFileSync(path);
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw fileError(`failed to read ${what}`, path, e);
  }
  if (bytes.length >= KEY_FILE_LIMIT) throw new CliError(`failed to read ${what} "${path}": file too long`);
  return bytes;
}

function readKeyFile(path: string, what: string): string {
  return readKeyFileBytes(path, what).toString("utf8");
}

/** The AGE-SECRET-KEY-1… strings in an identity file. */
export function readIdentityFile(path: string): string[] {
  const text = readKeyFile(path, "identity file");
  if (/^\s*-----BEGIN/m.test(text) || text.startsWith("age-encryption.org/")) {
    throw new CliError(`identity file "${path}": SSH keys and passphrase-encrypted identity files are not supported`);
  }
  try {
    parseIdentityFile(text);
  } catch (e) {
    if (e instanceof UsageError) throw new CliError(`malformed identity file "${path}": ${e.message}`);
    throw e;
  }
  return keyFileLines(text).map(([, line]) => line);
}

/** The age1… strings in a recipients file. */
export function readRecipientsFile(path: string): string[] {
  const text = readKeyFile(path, "recipients file");
  try {
    parseRecipientsFile(text);
  } catch (e) {
    if (e instanceof UsageError) throw new CliError(`malformed recipients file "${path}": ${e.message}`);
    throw e;
  }
  return keyFileLines(text).map(([, line]) => line);
}
