// Fuzzed plugin conversations (issue 13): a seeded generator of what a
// broken or odd plugin may say after phase 1 — valid and invalid requests,
// wrong stanza shapes, duplicate or wrong-size file keys, unknown commands,
// malformed lines and bodies, early ends — with the outcome the client must
// reach (a file key, stanzas, null, or a PluginError). The bytes go to the
// client either through an in-memory channel (ByteChannel, the StanzaReader
// as in PluginProcess) or through a real child process (age-plugin-rtfuzz).
import { PluginError } from "../../src/errors.js";
import { encodeStanza } from "../../src/format/header.js";
import type { Stanza } from "../../src/format/stanza.js";
import { StanzaReader } from "../../src/format/stanza-reader.js";
import type { PluginChannel } from "../../src/plugin/protocol.js";

export type Machine = "identity-v1" | "recipient-v1";
export type Expected = { kind: "error" } | { kind: "file-key"; fileKey: Uint8Array | null } | { kind: "stanzas"; stanzas: Stanza[] };

export interface Script {
  bytes: Uint8Array;
  expected: Expected;
  /** What was emitted, for failure messages. */
  ops: string[];
}

const b64 = (s: string) => Buffer.from(s).toString("base64").replace(/=+$/, "");
const enc = (type: string, args: string[] = [], body: Uint8Array = new Uint8Array(0)) => Buffer.from(encodeStanza({ type, args, body }), "latin1");

/** A script for `machine` from `rand`; `targets` recipients were sent in phase 1 (recipient-v1). */
export function makeScript(machine: Machine, rand: () => number, targets = 1): Script {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
  const parts: Buffer[] = [];
  const ops: string[] = [];
  let fileKey: Uint8Array | null = null;
  const stanzas: Stanza[] = [];
  const fin = (expected: Expected): Script => ({ bytes: new Uint8Array(Buffer.concat(parts)), expected, ops });
  const steps = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < steps; i++) {
    const op = pick([
      "ui-msg", "ui-secret", "ui-public", "ui-confirm", "ui-confirm-1", "confirm-bad-args", "confirm-bad-b64", "unknown", "grease-args",
      "result", "result", "result", "result", "result-bad-index", "result-bad-shape", "error", "done", "done", "done", "done", "garbage-line", "bad-body", "control-byte",
      "truncated", "eof", "long-line",
    ] as const);
    ops.push(op);
    switch (op) {
      case "ui-msg": parts.push(enc("msg", [], bytes(Math.floor(rand() * 100)))); break;
      case "ui-secret": parts.push(enc("request-secret", [], Buffer.from("PIN?"))); break;
      case "ui-public": parts.push(enc("request-public", [], Buffer.from("name?"))); break;
      case "ui-confirm": parts.push(enc("confirm", [b64("yes"), b64("no")], Buffer.from("sure?"))); break;
      case "ui-confirm-1": parts.push(enc("confirm", [b64("go")], Buffer.from("ok?"))); break;
      case "confirm-bad-args": parts.push(enc("confirm", [], Buffer.from("?"))); return fin({ kind: "error" });
      case "confirm-bad-b64": parts.push(enc("confirm", ["A"], Buffer.from("?"))); return fin({ kind: "error" });
      case "unknown": parts.push(enc(pick(["frobnicate", "labels", "recipient-stanza", "file-key", "add-identity"].filter((t) => !(machine === "identity-v1" && t === "file-key") && !(machine === "recipient-v1" && t === "recipient-stanza"))), ["1"], bytes(3))); break;
      case "grease-args": parts.push(enc(`grease-${Math.floor(rand() * 1e6)}`, ["a", "b"], bytes(Math.floor(rand() * 80)))); break;
      case "result":
        if (machine === "identity-v1") {
          const key = bytes(16);
          parts.push(enc("file-key", ["0"], key));
          if (fileKey !== null) return fin({ kind: "error" }); // a second file key for one file
          fileKey = key;
        } else {
          const s: Stanza = { type: pick(["rttest", "X25519", "yubikey"]), args: rand() < 0.5 ? [] : ["x", b64("y")], body: bytes(Math.floor(rand() * 60)) };
          parts.push(enc("recipient-stanza", ["0", s.type, ...s.args], s.body));
          stanzas.push(s);
        }
        break;
      case "result-bad-index":
        parts.push(machine === "identity-v1" ? enc("file-key", [pick(["1", "-1", "01", "x"])], bytes(16)) : enc("recipient-stanza", [pick(["1", "01", "z"]), "t"], bytes(4)));
        return fin({ kind: "error" });
      case "result-bad-shape":
        parts.push(machine === "identity-v1" ? enc("file-key", rand() < 0.5 ? ["0", "extra"] : ["0"], bytes(pick([0, 15, 17, 32]))) : enc("recipient-stanza", ["0"], bytes(4)));
        return fin({ kind: "error" });
      case "error": parts.push(enc("error", ["internal"], Buffer.from("boom"))); return fin({ kind: "error" });
      case "done":
        parts.push(enc("done"));
        if (machine === "identity-v1") return fin({ kind: "file-key", fileKey });
        return fin(stanzas.length === 0 || stanzas.length > targets ? { kind: "error" } : { kind: "stanzas", stanzas });
      case "garbage-line": parts.push(Buffer.from(pick(["hello\n", "->\n", "-> \n", "->  x\n", "-> a  b\n", "--- x\n"]))); return fin({ kind: "error" });
      case "bad-body": parts.push(Buffer.from(pick(["-> msg\nAB=\n", "-> msg\n!!\n", "-> msg\nAB\n", "-> ok\n" + "A".repeat(65) + "\n"]))); return fin({ kind: "error" });
      case "control-byte": parts.push(Buffer.from("-> msg\x07\n\n")); return fin({ kind: "error" });
      case "truncated": {
        const s = enc("file-key", ["0"], bytes(16));
        parts.push(s.subarray(0, Math.floor(rand() * (s.length - 1))));
        return fin({ kind: "error" });
      }
      case "eof": return fin({ kind: "error" });
      case "long-line": parts.push(Buffer.from("-> " + "x".repeat(17 * 1024) + "\n")); return fin({ kind: "error" });
    }
  }
  return fin({ kind: "error" }); // ended without "done"
}

/**
 * The client's end of an in-memory plugin: `bytes` arrive in random pieces
 * through a StanzaReader (as in PluginProcess); the end of the bytes is the
 * plugin's exit. What the client sends is recorded.
 */
export class ByteChannel implements PluginChannel {
  readonly sent: Stanza[] = [];
  private readonly reader = new StanzaReader();
  private readonly queue: Stanza[] = [];
  private failure: PluginError | null = null;

  constructor(bytes: Uint8Array, rand: () => number, readonly name = "fuzz") {
    try {
      for (let i = 0; i < bytes.length; ) {
        const n = 1 + Math.floor(rand() * 40);
        this.queue.push(...this.reader.push(bytes.subarray(i, i + n)));
        i += n;
      }
    } catch (e) {
      this.failure = new PluginError(name, `sent a malformed message: ${(e as Error).message}`);
    }
  }

  async send(stanzas: readonly Stanza[]): Promise<void> {
    this.sent.push(...stanzas);
  }

  async receive(): Promise<Stanza> {
    const s = this.queue.shift();
    if (s !== undefined) return s;
    throw this.failure ?? new PluginError(this.name, "exited before finishing the protocol");
  }
}
