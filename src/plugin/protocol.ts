// The client side of the age plugin protocol (C2SP age-plugin, "Wrapping
// with recipient-v1" and "Unwrapping with identity-v1"), as state machines
// over a channel of stanzas. The channel (a child process in Node:
// src/node/plugin-process.ts) and the user interface (the terminal in the
// CLI) are given, so these run, and are tested, without either.
//
// Every request of the plugin is answered (ok, fail, or "unsupported" for
// unknown ones, as the spec requires in bi-directional phases); anything
// that breaks the protocol is a PluginError naming the plugin.
import { PluginError } from "../errors.js";
import { decodeBase64 } from "../format/base64.js";
import type { Stanza } from "../format/stanza.js";
import { utf8Encode } from "../format/text.js";

export interface PluginChannel {
  send(stanzas: readonly Stanza[]): Promise<void>;
  /** The next stanza from the plugin; rejects with PluginError when it exits, goes silent or sends nonsense. */
  receive(): Promise<Stanza>;
}

/** How the plugin's requests reach the user; a missing or failing one answers "fail". */
export interface PluginUi {
  /** Shows a message; false when it cannot. */
  message?(plugin: string, text: string): Promise<boolean> | boolean;
  /** Asks for a value (hidden when `secret`); null when it cannot. */
  requestValue?(plugin: string, prompt: string, secret: boolean): Promise<string | null> | string | null;
  /** Asks to choose yes or no; null when it cannot. */
  confirm?(plugin: string, prompt: string, yes: string, no: string | null): Promise<boolean | null> | boolean | null;
}

const EMPTY = new Uint8Array(0);
const st = (type: string, args: string[] = [], body: Uint8Array = EMPTY): Stanza => ({ type, args, body });
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A random grease stanza (C2SP age-plugin "Grease"), so plugins keep ignoring unknown commands. */
function grease(): Stanza {
  const r = crypto.getRandomValues(new Uint8Array(8));
  const args = Array.from({ length: r[0]! % 3 }, (_, i) => String(r[1 + i]! % 100));
  return st(`grease-${Array.from(r.subarray(3, 7), (b) => b.toString(16).padStart(2, "0")).join("")}`, args, r[7]! % 2 ? crypto.getRandomValues(new Uint8Array(r[7]! % 50)) : EMPTY);
}

/** A plugin's text for an error message: one line, bounded. */
const quoted = (b: Uint8Array) => text(b).replace(/[\x00-\x1f\x7f]+/g, " ").slice(0, 500);

/**
 * Handles a command common to both state machines' phase 2: answers msg,
 * confirm, request-public and request-secret; acknowledges an error and
 * throws it; answers anything else "unsupported", as the spec requires.
 */
async function answerCommon(plugin: string, ch: PluginChannel, s: Stanza, ui: PluginUi): Promise<void> {
  const safely = async <T>(f: (() => Promise<T> | T) | undefined): Promise<T | null> => {
    if (f === undefined) return null;
    try {
      return await f();
    } catch {
      return null;
    }
  };
  switch (s.type) {
    case "msg": {
      const ok = await safely(ui.message && (() => ui.message!(plugin, text(s.body))));
      await ch.send([st(ok ? "ok" : "fail")]);
      return;
    }
    case "request-public":
    case "request-secret": {
      const secret = s.type === "request-secret";
      const value = await safely(ui.requestValue && (() => ui.requestValue!(plugin, text(s.body), secret)));
      await ch.send([value === null ? st("fail") : st("ok", [], utf8Encode(value))]);
      return;
    }
    case "confirm": {
      if (s.args.length !== 1 && s.args.length !== 2) throw new PluginError(plugin, "malformed confirm request: expected 1 or 2 arguments");
      const yes = decodeBase64(s.args[0]!);
      const no = s.args.length === 2 ? decodeBase64(s.args[1]!) : null;
      if (yes === null || (s.args.length === 2 && no === null)) throw new PluginError(plugin, "malformed confirm request: options are not canonical base64");
      const choice = await safely(ui.confirm && (() => ui.confirm!(plugin, text(s.body), text(yes), no && text(no))));
      await ch.send([choice === null ? st("fail") : st("ok", [choice ? "yes" : "no"])]);
      return;
    }
    case "error":
      await ch.send([st("ok")]);
      throw new PluginError(plugin, `${s.args.join(" ") || "error"}: ${quoted(s.body)}`);
    default:
      await ch.send([st("unsupported")]);
  }
}

function fileIndex(plugin: string, s: Stanza, what: string): number {
  const n = s.args[0];
  if (n === undefined || !/^(0|[1-9][0-9]{0,8})$/.test(n)) throw new PluginError(plugin, `malformed ${what}: invalid file index`);
  return Number(n);
}

/** One entry of phase 1 of recipient-v1: a recipient string, or an identity to encrypt to. */
export interface WrapTarget {
  kind: "recipient" | "identity";
  encoding: string;
}

/**
 * recipient-v1: wraps one file key to `targets` (all of this plugin);
 * returns the stanzas the plugin made (at least one, at most one per target).
 */
export async function wrapWithPlugin(plugin: string, ch: PluginChannel, targets: readonly WrapTarget[], fileKey: Uint8Array, ui: PluginUi = {}): Promise<Stanza[]> {
  // Phase 1: what to wrap, to whom.
  const phase1 = targets.map((t) => st(t.kind === "recipient" ? "add-recipient" : "add-identity", [t.encoding]));
  phase1.push(grease(), st("wrap-file-key", [], fileKey), st("done"));
  await ch.send(phase1);
  // Phase 2: the plugin's requests, then its stanzas.
  const stanzas: Stanza[] = [];
  for (;;) {
    const s = await ch.receive();
    switch (s.type) {
      case "recipient-stanza": {
        if (s.args.length < 2) throw new PluginError(plugin, "malformed recipient-stanza: expected a file index and a stanza type");
        if (fileIndex(plugin, s, "recipient-stanza") !== 0) throw new PluginError(plugin, "recipient-stanza for a file key that was not sent");
        stanzas.push({ type: s.args[1]!, args: s.args.slice(2), body: s.body });
        await ch.send([st("ok")]);
        break;
      }
      case "done":
        if (stanzas.length === 0) throw new PluginError(plugin, "it returned no stanza");
        if (stanzas.length > targets.length) throw new PluginError(plugin, `it returned ${stanzas.length} stanzas for ${targets.length} recipients`);
        return stanzas;
      default:
        await answerCommon(plugin, ch, s, ui);
    }
  }
}

/**
 * identity-v1: asks the plugin to unwrap the file key of one header's
 * stanzas with `identities` (all of this plugin). Returns the file key, or
 * null when the plugin found none of its stanzas it could open.
 */
export async function unwrapWithPlugin(plugin: string, ch: PluginChannel, identities: readonly string[], stanzas: readonly Stanza[], ui: PluginUi = {}): Promise<Uint8Array | null> {
  const phase1 = identities.map((id) => st("add-identity", [id]));
  phase1.push(grease());
  for (const s of stanzas) phase1.push(st("recipient-stanza", ["0", s.type, ...s.args], s.body));
  phase1.push(st("done"));
  await ch.send(phase1);
  let fileKey: Uint8Array | null = null;
  for (;;) {
    const s = await ch.receive();
    switch (s.type) {
      case "file-key": {
        if (s.args.length !== 1) throw new PluginError(plugin, "malformed file-key: expected 1 argument");
        if (fileIndex(plugin, s, "file-key") !== 0) throw new PluginError(plugin, "file-key for a file that was not sent");
        if (fileKey !== null) throw new PluginError(plugin, "it sent two file keys for one file");
        if (s.body.length !== 16) throw new PluginError(plugin, `malformed file-key: ${s.body.length} bytes, not 16`);
        fileKey = s.body.slice();
        await ch.send([st("ok")]);
        break;
      }
      case "done":
        return fileKey;
      default:
        await answerCommon(plugin, ch, s, ui);
    }
  }
}
