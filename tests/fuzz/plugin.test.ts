// Fuzzed plugins (issue 13): seeded scripts of what a broken plugin may say
// (tests/helpers/plugin-fuzz.ts) — malformed lines and bodies, wrong stanza
// shapes, duplicate or wrong-size results, unknown commands, early ends —
// played to the recipient-v1 and identity-v1 client state machines, in
// memory and through a real child process (age-plugin-rtfuzz). The oracle:
// exactly the expected file key / stanzas / null, or a PluginError naming
// the plugin; never another error, never a hang; every request answered.
//
//   npm test        2 000 in-memory cases and 24 child processes
//   npm run fuzz    AGE_RT_FUZZ=full: 40 000 in memory, 500 child processes
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PluginError } from "../../src/errors.js";
import { PluginIdentity, PluginRecipient } from "../../src/node/plugin.js";
import { encode as encodeBech32 } from "../../src/format/bech32.js";
import { unwrapWithPlugin, wrapWithPlugin, type PluginUi } from "../../src/plugin/protocol.js";
import { ByteChannel, makeScript, type Expected, type Machine } from "../helpers/plugin-fuzz.js";
import { seededRandom } from "../helpers/random.js";

const FULL = process.env.AGE_RT_FUZZ === "full";
const MEMORY_CASES = FULL ? 40_000 : 2_000;
const PROCESS_CASES = FULL ? 500 : 24;
const PLUGINS = join(import.meta.dirname, "..", "fixtures", "plugins");

const ui: PluginUi = {
  message: () => true,
  requestValue: (_p, _m, secret) => (secret ? "1234" : "public"),
  confirm: () => true,
};
const STANZAS = [{ type: "rttest", args: ["abc"], body: new Uint8Array(16) }];
const IDENTITY = encodeBech32("AGE-PLUGIN-RTFUZZ-", new Uint8Array(4));
const RECIPIENT = encodeBech32("age1rtfuzz", new Uint8Array(4));

async function play(machine: Machine, ch: ByteChannel | null, run: () => Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> {
  void ch;
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

function judge(expected: Expected, got: { value?: unknown; error?: unknown }, where: string): void {
  if (expected.kind === "error") {
    expect(got.error, `${where}: expected a PluginError, got ${JSON.stringify(got.value)}`).toBeInstanceOf(PluginError);
    expect((got.error as PluginError).plugin, where).toBe("rtfuzz");
    return;
  }
  expect(got.error, `${where}: ${(got.error as Error)?.message}`).toBeUndefined();
  if (expected.kind === "file-key") expect(got.value, where).toEqual(expected.fileKey);
  else expect(got.value, where).toEqual(expected.stanzas);
}

describe("fuzzed plugin conversations", () => {
  it(`${MEMORY_CASES} in-memory scripts: the right result or a PluginError, every request answered`, async () => {
    const outcomes = new Map<string, number>();
    for (let i = 0; i < MEMORY_CASES; i++) {
      const machine: Machine = i % 2 ? "identity-v1" : "recipient-v1";
      const rand = seededRandom(`plugin-mem-${i}`);
      const script = makeScript(machine, rand, 3);
      const ch = new ByteChannel(script.bytes, rand, "rtfuzz");
      const where = `case ${i} (${machine}): [${script.ops.join(", ")}]`;
      const got = await play(machine, ch, () =>
        machine === "identity-v1" ? unwrapWithPlugin("rtfuzz", ch, [IDENTITY], STANZAS, ui) : wrapWithPlugin("rtfuzz", ch, [0, 1, 2].map(() => ({ kind: "recipient" as const, encoding: RECIPIENT })), new Uint8Array(16), ui));
      judge(script.expected, got, where);
      // Phase 1 ends with done; then one answer per plugin request handled.
      const phase1End = ch.sent.findIndex((s) => s.type === "done");
      expect(phase1End, where).toBeGreaterThan(0);
      for (const s of ch.sent.slice(phase1End + 1)) expect(["ok", "fail", "unsupported"], where).toContain(s.type);
      const key = `${machine}:${script.expected.kind}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    }
    // The generator reaches every kind of outcome on both machines.
    for (const k of ["identity-v1:error", "identity-v1:file-key", "recipient-v1:error", "recipient-v1:stanzas"]) expect(outcomes.get(k) ?? 0, k).toBeGreaterThan(MEMORY_CASES / 100);
  });

  it(`${PROCESS_CASES} scripts from a real child process: the same outcomes, no hang`, async () => {
    const saved = process.env.PATH;
    process.env.PATH = `${PLUGINS}:${saved}`;
    try {
      for (let i = 0; i < PROCESS_CASES; i++) {
        const machine: Machine = i % 2 ? "identity-v1" : "recipient-v1";
        const rand = seededRandom(`plugin-proc-${i}`);
        const script = makeScript(machine, rand);
        process.env.AGE_RT_FUZZ_SCRIPT = Buffer.from(script.bytes).toString("base64");
        process.env.AGE_RT_FUZZ_EXIT = String(Math.floor(rand() * 3)); // 0, or an error status
        const opts = { ui, timeoutMs: 10_000 };
        const where = `process case ${i} (${machine}): [${script.ops.join(", ")}]`;
        const started = Date.now();
        const got = await play(machine, null, () =>
          machine === "identity-v1" ? new PluginIdentity(IDENTITY, opts).unwrapFileKey(STANZAS) : new PluginRecipient(RECIPIENT, opts).wrapFileKey(new Uint8Array(16)));
        judge(script.expected, got, where);
        expect(Date.now() - started, where).toBeLessThan(9_000);
      }
    } finally {
      process.env.PATH = saved;
      delete process.env.AGE_RT_FUZZ_SCRIPT;
      delete process.env.AGE_RT_FUZZ_EXIT;
    }
  }, FULL ? 1_800_000 : 120_000);
});
