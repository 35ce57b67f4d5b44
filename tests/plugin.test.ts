// Plugins (C2SP age-plugin): the stanza stream reader, the client state
// machines' answers to each request, plugin recipients and identities in
// age-rt/node, and the CLI with a test plugin written from the spec
// (tests/fixtures/plugins/age-plugin-rttest) that Go age uses too: Go
// encrypts through it and we decrypt through it, and back; -j; its requests
// (a message, a secret, a confirmation, a public value) answered through a
// pseudo-terminal; a crashing, silent or malformed plugin gives a
// PluginError naming it, exit status 1 and nothing written.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgeAutoDecoder, AgeEncoder, HeaderParseError, PluginError, aiterDecodeChunks, decodeBytes, encodeBytes } from "../src/index.js";
import { encode as encodeBech32 } from "../src/format/bech32.js";
import { encodeStanza } from "../src/format/header.js";
import type { Stanza } from "../src/format/stanza.js";
import { StanzaReader } from "../src/format/stanza-reader.js";
import { PluginIdentity, PluginRecipient, pluginDefaultRecipient } from "../src/node/plugin.js";
import { parseHeader } from "../src/format/header.js";
import { pluginNameOfIdentity, pluginNameOfRecipient } from "../src/plugin/keys.js";
import { unwrapWithPlugin, wrapWithPlugin } from "../src/plugin/protocol.js";
import { AGE_RT, ageRt, cleanEnv, ensureBuilt, runOnPty } from "./helpers/cli.js";
import { goAgeAvailable } from "./helpers/go-age.js";
import { ByteChannel } from "./helpers/plugin-fuzz.js";
import { seededRandom } from "./helpers/random.js";

const PLUGINS = join(import.meta.dirname, "fixtures", "plugins");
const dir = mkdtempSync(join(tmpdir(), "age-rt-plugin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (name: string) => join(dir, name);

const KEY = new Uint8Array(16).map((_, i) => 100 + i);
const RECIPIENT = encodeBech32("age1rttest", KEY);
const IDENTITY = encodeBech32("AGE-PLUGIN-RTTEST-", KEY);
const DEFAULT_IDENTITY = encodeBech32("AGE-PLUGIN-RTTEST-", new Uint8Array(0));
const env = (extra: Record<string, string> = {}) => cleanEnv({ PATH: `${PLUGINS}:${process.env.PATH}`, ...extra });
const enc = (type: string, args: string[] = [], body = new Uint8Array(0)) => Buffer.from(encodeStanza({ type, args, body }), "latin1");

describe("StanzaReader", () => {
  it("reads back any stanzas encodeStanza wrote, whatever the split points", () => {
    const arg = fc.stringMatching(/^[\x21-\x7e]{1,12}$/);
    const stanza = fc.record({ type: arg, args: fc.array(arg, { maxLength: 4 }), body: fc.uint8Array({ maxLength: 300 }) });
    fc.assert(fc.property(fc.array(stanza, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 50 }), (stanzas, piece) => {
      const bytes = Buffer.from(stanzas.map((s) => encodeStanza(s)).join(""), "latin1");
      const r = new StanzaReader();
      const out: Stanza[] = [];
      for (let i = 0; i < bytes.length; i += piece) out.push(...r.push(bytes.subarray(i, i + piece)));
      expect(out).toEqual(stanzas);
      expect(r.atBoundary).toBe(true);
    }));
  });

  it("refuses what is not a stanza, and lines over the limits", () => {
    for (const bad of ["x\n", "-> \n", "-> a  b\n", "-> a\n!!\n", "-> a\nAB\n", "-> a\r\n\n", "-> a\n" + "A".repeat(65) + "\n", "-> " + "x".repeat(20000)]) {
      expect(() => new StanzaReader().push(Buffer.from(bad, "latin1")), JSON.stringify(bad.slice(0, 20))).toThrow(HeaderParseError);
    }
  });
});

describe("plugin names", () => {
  it("come from the Bech32 HRP; path separators are refused", () => {
    expect(pluginNameOfRecipient(RECIPIENT)).toBe("rttest");
    expect(pluginNameOfIdentity(IDENTITY)).toBe("rttest");
    expect(pluginNameOfIdentity(IDENTITY.toLowerCase())).toBe("rttest");
    expect(() => pluginNameOfRecipient(encodeBech32("age1../x", KEY))).toThrow(/invalid plugin name/);
    expect(() => pluginNameOfIdentity("AGE-PLUGIN-RTTEST-1QQQQ")).toThrow(/invalid plugin identity/);
  });
});

describe("the client state machines", () => {
  const rand = seededRandom("protocol");

  it("identity-v1: phase 1 is the identities, every stanza, done; each request gets its answer", async () => {
    const script = Buffer.concat([
      enc("msg", [], Buffer.from("hello")),
      enc("request-secret", [], Buffer.from("PIN")),
      enc("request-public", [], Buffer.from("name")),
      enc("confirm", [Buffer.from("yes").toString("base64").replace(/=+$/, ""), Buffer.from("no").toString("base64").replace(/=+$/, "")], Buffer.from("ok?")),
      enc("some-future-command", ["x"]),
      enc("file-key", ["0"], KEY),
      enc("done"),
    ]);
    const ch = new ByteChannel(script, rand, "t");
    const seen: string[] = [];
    const key = await unwrapWithPlugin("t", ch, [IDENTITY], [{ type: "rttest", args: ["a", "b"], body: new Uint8Array([1, 2]) }], {
      message: (_p, m) => (seen.push(`msg:${m}`), true),
      requestValue: (_p, m, secret) => (seen.push(`${secret ? "secret" : "public"}:${m}`), secret ? "1234" : "bob"),
      confirm: (_p, m, yes, no) => (seen.push(`confirm:${m}:${yes}/${no}`), false),
    });
    expect(key).toEqual(KEY);
    expect(seen).toEqual(["msg:hello", "secret:PIN", "public:name", "confirm:ok?:yes/no"]);
    const types = ch.sent.map((s) => s.type);
    expect(types[0]).toBe("add-identity");
    expect(ch.sent[0]!.args).toEqual([IDENTITY]);
    const stanza = ch.sent.find((s) => s.type === "recipient-stanza")!;
    expect(stanza.args).toEqual(["0", "rttest", "a", "b"]);
    const done = types.indexOf("done");
    expect(ch.sent.slice(done + 1).map((s) => [s.type, ...s.args, Buffer.from(s.body).toString()])).toEqual([
      ["ok", ""], ["ok", "1234"], ["ok", "bob"], ["ok", "no", ""], ["unsupported", ""], ["ok", ""],
    ]);
  });

  it("requests without a UI (or a failing one) are answered fail, not dropped", async () => {
    const script = Buffer.concat([enc("msg", [], Buffer.from("x")), enc("request-secret"), enc("confirm", ["eWVz"]), enc("done")]);
    const ch = new ByteChannel(script, rand, "t");
    expect(await unwrapWithPlugin("t", ch, [IDENTITY], [], { requestValue: () => { throw new Error("no tty"); } })).toBeNull();
    expect(ch.sent.slice(ch.sent.findIndex((s) => s.type === "done") + 1).map((s) => s.type)).toEqual(["fail", "fail", "fail"]);
  });

  it("recipient-v1: phase 1 adds the recipients and the file key; stanzas come back unwrapped from recipient-stanza", async () => {
    const script = Buffer.concat([enc("recipient-stanza", ["0", "rttest", "tag"], KEY), enc("done")]);
    const ch = new ByteChannel(script, rand, "t");
    const out = await wrapWithPlugin("t", ch, [{ kind: "recipient", encoding: RECIPIENT }, { kind: "identity", encoding: IDENTITY }], new Uint8Array(16).fill(3));
    expect(out).toEqual([{ type: "rttest", args: ["tag"], body: KEY }]);
    expect(ch.sent.map((s) => s.type).filter((t) => !t.startsWith("grease-"))).toEqual(["add-recipient", "add-identity", "wrap-file-key", "done", "ok"]);
    expect(ch.sent.find((s) => s.type === "wrap-file-key")!.body).toEqual(new Uint8Array(16).fill(3));
  });

  it("an error from the plugin, an early end, or a bad result is a PluginError naming it", async () => {
    const cases = [
      Buffer.concat([enc("error", ["internal"], Buffer.from("the key is gone"))]),
      Buffer.concat([enc("msg", [], Buffer.from("x"))]),
      Buffer.concat([enc("file-key", ["0"], new Uint8Array(15)), enc("done")]),
      Buffer.concat([enc("file-key", ["1"], KEY), enc("done")]),
      Buffer.concat([enc("file-key", ["0"], KEY), enc("file-key", ["0"], KEY), enc("done")]),
      Buffer.from("-> file-key 0\nnot base64!\n"),
    ];
    for (const script of cases) {
      const err = await unwrapWithPlugin("named", new ByteChannel(script, rand, "named"), [IDENTITY], []).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PluginError);
      expect((err as PluginError).plugin).toBe("named");
      expect((err as Error).message).toMatch(/^plugin named: /);
    }
    const err = await wrapWithPlugin("named", new ByteChannel(enc("done"), rand, "named"), [{ kind: "recipient", encoding: RECIPIENT }], KEY).catch((e: unknown) => e);
    expect((err as Error).message).toBe("plugin named: it returned no stanza");
  });
});

describe("plugin recipients and identities in age-rt/node", () => {
  const saved = process.env.PATH;
  beforeAll(() => {
    process.env.PATH = `${PLUGINS}:${saved}`;
  });
  afterAll(() => {
    process.env.PATH = saved;
  });

  it("round-trip through the test plugin: the encoder and the decoder await it", async () => {
    const data = new Uint8Array(100_000).map((_, i) => i % 251);
    const enc = AgeEncoder.fromRecipients([new PluginRecipient(RECIPIENT), pluginDefaultRecipient("rttest")]);
    expect(enc.pending).toBeInstanceOf(Promise);
    await enc.pending;
    const file = encodeBytes([data], enc);
    const { header } = parseHeader(file);
    expect(header.stanzas.map((s) => s.type)).toEqual(["rttest", "rttest"]);
    for (const id of [IDENTITY, DEFAULT_IDENTITY]) {
      const fileKey = await new PluginIdentity(id).unwrapFileKey(header.stanzas);
      expect(fileKey).toHaveLength(16);
      const parts: Uint8Array[] = [];
      for await (const c of aiterDecodeChunks([file], new AgeAutoDecoder({ identities: [new PluginIdentity(id)] }))) parts.push(c);
      expect(Buffer.concat(parts)).toEqual(Buffer.from(data));
    }
    // Another key's identity: the plugin finds nothing, which is "not mine".
    expect(await new PluginIdentity(encodeBech32("AGE-PLUGIN-RTTEST-", new Uint8Array(16))).unwrapFileKey(header.stanzas)).toBeNull();
  });

  it("a missing plugin, a crash and silence are PluginErrors, each within its time", async () => {
    await expect(new PluginIdentity(encodeBech32("AGE-PLUGIN-NOSUCHTHING-", KEY)).unwrapFileKey([])).rejects.toThrow(/age-plugin-nosuchthing not found in PATH/);
    process.env.AGE_RT_TEST_PLUGIN = "crash";
    try {
      await expect(new PluginRecipient(RECIPIENT).wrapFileKey(KEY)).rejects.toThrow(/exited with status 3 .*simulated crash/);
      process.env.AGE_RT_TEST_PLUGIN = "hang";
      const started = Date.now();
      await expect(new PluginRecipient(RECIPIENT, { timeoutMs: 1500 }).wrapFileKey(KEY)).rejects.toThrow(/plugin rttest: no answer for 2 s/);
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      delete process.env.AGE_RT_TEST_PLUGIN;
    }
  });
});

describe("the CLI with plugins", () => {
  beforeAll(() => {
    ensureBuilt();
    writeFileSync(p("plain.txt"), "plugin plaintext\n".repeat(3000));
    writeFileSync(p("id.txt"), `# test plugin identity\n${IDENTITY}\n`);
    writeFileSync(p("default-id.txt"), `${DEFAULT_IDENTITY}\n`);
  });
  const plaintext = () => readFileSync(p("plain.txt"), "utf8");

  it.skipIf(!goAgeAvailable)("Go encrypts through the plugin, we decrypt through it; and back; -j both ways", async () => {
    execFileSync("age", ["-r", RECIPIENT, "-o", p("go.age"), p("plain.txt")], { env: env() });
    const a = await ageRt(["-d", "-i", p("id.txt"), p("go.age")], { env: env() });
    expect(a.stderr).toBe("");
    expect(a.stdout.toString()).toBe(plaintext());
    const b = await ageRt(["-r", RECIPIENT, "-o", p("ours.age"), p("plain.txt")], { env: env() });
    expect(b.stderr).toBe("");
    expect(execFileSync("age", ["-d", "-i", p("id.txt"), p("ours.age")], { env: env() }).toString()).toBe(plaintext());
    // -j: the plugin's default identity.
    const c = await ageRt(["-j", "rttest", "-a", "-o", p("ours-j.age"), p("plain.txt")], { env: env() });
    expect(c.status, c.stderr).toBe(0);
    expect(execFileSync("age", ["-d", "-i", p("default-id.txt"), p("ours-j.age")], { env: env() }).toString()).toBe(plaintext());
    execFileSync("age", ["-e", "-j", "rttest", "-o", p("go-j.age"), p("plain.txt")], { env: env() });
    const d = await ageRt(["-d", "-i", p("default-id.txt"), p("go-j.age")], { env: env() });
    expect(d.stdout.toString()).toBe(plaintext());
    // Plugin identities in a file next to other keys, and -e -i through the plugin.
    const e = await ageRt(["-e", "-i", p("id.txt"), "-o", p("ours-ei.age"), p("plain.txt")], { env: env() });
    expect(e.status, e.stderr).toBe(0);
    expect(execFileSync("age", ["-d", "-i", p("id.txt"), p("ours-ei.age")], { env: env() }).toString()).toBe(plaintext());
  });

  it("a message and a secret asked by the plugin are answered on the terminal, decrypting and encrypting", () => {
    execFileSync(process.execPath, [AGE_RT, "-r", RECIPIENT, "-o", p("for-pin.age"), p("plain.txt")], { env: env() });
    const out = p("pin.out");
    const r = runOnPty([process.execPath, AGE_RT, "-d", "-i", p("id.txt"), "-o", out, p("for-pin.age")], [
      { expect: "Enter value:", send: "1234\r" },
    ], { env: env({ AGE_RT_TEST_PLUGIN: "msg,secret" }), timeout: 60 });
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain("[age-plugin-rttest] please touch your test key");
    expect(r.output).toContain("[age-plugin-rttest] enter the test PIN");
    expect(r.output).not.toContain("1234"); // a secret is not echoed
    expect(readFileSync(out, "utf8")).toBe(plaintext());
    const wrong = runOnPty([process.execPath, AGE_RT, "-d", "-i", p("id.txt"), "-o", p("pin-wrong.out"), p("for-pin.age")], [
      { expect: "Enter value:", send: "0000\r" },
    ], { env: env({ AGE_RT_TEST_PLUGIN: "secret" }), timeout: 60 });
    expect(wrong.status).toBe(1);
    expect(wrong.output).toContain("age-rt: error: plugin rttest: internal: wrong PIN");
    expect(existsSync(p("pin-wrong.out"))).toBe(false);
    // Encrypting: a confirmation and a public value.
    const e = runOnPty([process.execPath, AGE_RT, "-r", RECIPIENT, "-o", p("confirmed.age"), p("plain.txt")], [
      { expect: "[1: Continue, 2: Skip]:", send: "1\r" },
      { expect: "Enter value:", send: "blue\r" },
    ], { env: env({ AGE_RT_TEST_PLUGIN: "confirm,public" }), timeout: 60 });
    expect(e.status, e.output).toBe(0);
    expect(e.output).toContain("blue"); // a public value is echoed
    expect(Buffer.concat([...decodeBytes(readFileSync(p("confirmed.age")), new AgeAutoDecoder({ identities: [{ unwrapFileKey: () => null }, { unwrapFileKey: (s) => unwrapToy(s) }] }))]).toString()).toBe(plaintext());
  });

  it.skipIf(!goAgeAvailable)("Go answers the same requests through a pseudo-terminal (the plugin is Go-compatible)", () => {
    const out = p("go-pin.out");
    // Go 1.1.1 prompts with the plugin's message itself.
    const r = runOnPty(["age", "-d", "-i", p("id.txt"), "-o", out, p("for-pin.age")], [{ expect: "enter the test PIN", send: "1234\r" }], {
      env: env({ AGE_RT_TEST_PLUGIN: "msg,secret" }), timeout: 60,
    });
    expect(r.status, r.output).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(plaintext());
  });

  it("a crashing, silent, or malformed plugin: a PluginError naming it, status 1, nothing written", async () => {
    execFileSync(process.execPath, [AGE_RT, "-r", RECIPIENT, "-o", p("victim.age"), p("plain.txt")], { env: env() });
    const cases: Array<[string, RegExp, Record<string, string>]> = [
      ["crash", /^age-rt: error: plugin rttest: exited with status 3 before finishing the protocol \(its last error output: "age-plugin-rttest: simulated crash"\)\n$/, {}],
      ["hang", /^age-rt: error: plugin rttest: no answer for 2 s\n$/, { AGE_RT_PLUGIN_TIMEOUT: "2" }],
      ["malformed", /^age-rt: error: plugin rttest: sent a malformed message: line 1: expected a stanza/, {}],
      ["bad-stanza", /^age-rt: error: plugin rttest: sent a malformed message: .*not canonical/, {}],
    ];
    for (const [mode, message, extra] of cases) {
      for (const [args, what] of [[["-d", "-i", p("id.txt"), "-o", p(`${mode}.out`), p("victim.age")], "decrypt"], [["-r", RECIPIENT, "-o", p(`${mode}.out`), p("plain.txt")], "encrypt"]] as const) {
        const started = Date.now();
        const r = await ageRt([...args], { env: env({ AGE_RT_TEST_PLUGIN: mode, ...extra }) });
        expect(r.status, `${mode} ${what}`).toBe(1);
        expect(r.stderr, `${mode} ${what}`).toMatch(message);
        expect(existsSync(p(`${mode}.out`)), `${mode} ${what}: nothing written`).toBe(false);
        expect(Date.now() - started).toBeLessThan(20_000);
      }
    }
    const missing = await ageRt(["-d", "-i", p("id.txt"), p("victim.age")], { env: cleanEnv({ PATH: "/usr/bin:/bin" }) });
    expect(missing.stderr).toBe("age-rt: error: plugin rttest: age-plugin-rttest not found in PATH\n");
    const j = await ageRt(["-d", "-j", "rttest", p("victim.age")], { env: env() });
    expect(j.stderr).toMatch(/-j can't be used with -d/);
  });
});

/** The toy unwrapping of the test plugin, done here independently (sha256-based XOR), to check the CLI's stanzas. */
function unwrapToy(stanzas: readonly Stanza[]): Uint8Array | null {
  const tag = createHash("sha256").update(KEY).digest().subarray(0, 4).toString("hex");
  const pad = createHash("sha256").update("rttest").update(KEY).digest().subarray(0, 16);
  const s = stanzas.find((x) => x.type === "rttest" && x.args[0] === tag);
  return s ? Uint8Array.from(s.body, (b, i) => b ^ pad[i]!) : null;
}
