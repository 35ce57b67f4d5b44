// Reading a secret from the terminal with no echo, as Go age's tui.go does:
// the controlling terminal (/dev/tty) is used even when standard input
// carries the data, and standard input only when it is itself a terminal and
// /dev/tty cannot be opened. The prompt goes to the terminal, not to stderr,
// and is erased afterwards.
import { closeSync, openSync, writeSync } from "node:fs";
import type { ReadStream } from "node:tty";
import { CliError } from "./fail.js";
import { isTerminal, tty } from "./tty.js";

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_U = 0x15;
const BACKSPACE = 0x7f;
const BS = 0x08;
const MAX_SECRET = 64 * 1024;

interface Terminal {
  input: ReadStream;
  outFd: number;
  close(): void;
}

function openTerminal(): Terminal {
  let fd: number;
  try {
    fd = openSync("/dev/tty", "r+");
  } catch (e) {
    if (process.stdin.isTTY && isTerminal(2)) {
      const input = process.stdin as ReadStream;
      return { input, outFd: 2, close: () => input.pause() };
    }
    throw new CliError(`no terminal to read the passphrase from (${(e as NodeJS.ErrnoException).code ?? "unavailable"}); set AGE_PASSPHRASE to pass it non-interactively`);
  }
  // The ReadStream takes over the descriptor (libuv reopens the tty onto it)
  // and closes it when destroyed; writes go to a second descriptor.
  const outFd = openSync("/dev/tty", "w");
  const input = new (tty().ReadStream)(fd);
  return {
    input,
    outFd,
    close: () => {
      input.destroy();
      closeSync(outFd);
    },
  };
}

/** Prints `prompt` on the terminal and reads one line without echoing it (with `echo`, a public value, shown as typed). */
export function readSecret(prompt: string, opts: { echo?: boolean } = {}): Promise<string> {
  const term = openTerminal();
  const { input } = term;
  writeSync(term.outFd, prompt + " ");
  input.setRawMode(true);
  const bytes: number[] = [];
  return new Promise<string>((resolve, reject) => {
    const finish = (err: Error | null) => {
      input.off("data", onData);
      input.setRawMode(false);
      // A new line always works; then erase the prompt where escapes do.
      writeSync(term.outFd, "\r\n\x1b[F\x1b[K");
      term.close();
      const text = Buffer.from(bytes).toString("utf8");
      bytes.fill(0);
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (data: Buffer) => {
      try {
        for (const b of data) {
          if (b === 0x0d || b === 0x0a) return finish(null);
          if (b === CTRL_C) return finish(new CliError("interrupted", 130));
          if (b === CTRL_D) {
            if (bytes.length === 0) return finish(new CliError("could not read passphrase: end of input"));
            return finish(null);
          }
          if (b === BACKSPACE || b === BS) {
            // Drop one UTF-8 character: continuation bytes, then its lead byte.
            while (bytes.length > 0 && (bytes[bytes.length - 1]! & 0xc0) === 0x80) bytes.pop();
            bytes.pop();
            continue;
          }
          if (b === CTRL_U) {
            bytes.length = 0;
            continue;
          }
          if (bytes.length >= MAX_SECRET) return finish(new CliError("could not read passphrase: too long"));
          bytes.push(b);
          if (opts.echo) writeSync(term.outFd, Uint8Array.of(b));
        }
      } finally {
        data.fill(0); // the typed secret does not linger in the read buffer
      }
    };
    input.on("data", onData);
    input.resume();
  });
}
