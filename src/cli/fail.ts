// How the commands fail: one line on stderr, "age-rt: error: …", and a
// non-zero exit status (API.md "Command line"). No stack traces, and no
// secrets: messages are built from file names, flag names and the library's
// own messages, which never quote keys or passphrases.
import { writeSync } from "node:fs";
import {
  AgeRTError, ArmorError, ChunkAuthenticationError, HeaderMacError, HeaderParseError, NoIdentityMatchError,
  StreamTruncatedError,
} from "../errors.js";

/** A failure with a message meant for the user as it is (usage, files, terminal). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = "CliError";
  }
}

const PREFIX = "age-rt: error: ";

/** What the decoding context knew when the error happened, to word it. */
export interface ErrorContext {
  /** The header had a scrypt stanza: "no match" means a wrong passphrase. */
  passphraseFile?: boolean;
}

/**
 * The one-line message for any error. Subclasses come before their bases:
 * NoIdentityMatchError and HeaderMacError are ChunkAuthenticationErrors too,
 * and keep their own wording.
 */
export function describe(e: unknown, ctx: ErrorContext = {}): string {
  if (e instanceof CliError) return e.message;
  if (e instanceof NoIdentityMatchError) {
    return ctx.passphraseFile ? "incorrect passphrase" : "no identity matched any of the recipients";
  }
  if (e instanceof HeaderParseError) return `invalid header: ${e.message}`;
  if (e instanceof HeaderMacError) return e.message;
  if (e instanceof StreamTruncatedError) return `the file is truncated: ${e.message}`;
  if (e instanceof ChunkAuthenticationError) return `decryption failed: ${e.message}`;
  if (e instanceof ArmorError) return e.message;
  if (e instanceof AgeRTError) return e.message;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === "EPIPE") return "failed to write output: broken pipe";
  if (e instanceof Error) return code ? e.message : `internal error: ${e.message}`;
  return `internal error: ${String(e)}`;
}

/** Writes the error line (synchronously, so it is out before exit) and returns the exit status. */
export function report(e: unknown, ctx?: ErrorContext): number {
  const line = describe(e, ctx).replace(/\s*[\r\n]+\s*/g, "; ");
  writeSync(2, PREFIX + line + "\n");
  return e instanceof CliError ? e.exitCode : 1;
}

/** The message of a failed open/read of `path`, without Node's "ENOENT: …, open 'x'" wrapping. */
export function fileError(what: string, path: string, e: unknown): CliError {
  return new CliError(`${what} "${path}": ${systemMessage(e)}`);
}

function systemMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case "ENOENT": return "no such file or directory";
    case "EACCES": case "EPERM": return "permission denied";
    case "EISDIR": return "is a directory";
    case "EEXIST": return "file exists";
    case "ENOTDIR": return "not a directory";
    case "ENOSPC": return "no space left on device";
    case "EPIPE": return "broken pipe";
    default: return err instanceof Error ? err.message : String(e);
  }
}
