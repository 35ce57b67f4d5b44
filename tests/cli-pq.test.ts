// The command line with post-quantum and tagged keys: age-rt-keygen -pq,
// -r age1pq1… / -R files / -i identity files with AGE-SECRET-KEY-PQ-1…,
// -r age1tag1…, and Go age's rule that post-quantum and classic recipients
// are never mixed in one file. Run as built (dist/cli/*.js).
import { p256 } from "@noble/curves/nist.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgeAutoDecoder, decodeBytes, generateIdentity, identityToRecipient } from "../src/index.js";
import { encode as encodeBech32 } from "../src/format/bech32.js";
import { ageRt, ageRtKeygen, ensureBuilt, type RunResult } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "age-rt-cli-pq-"));
const p = (name: string) => join(dir, name);
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 13) & 0xff));

function ok(r: RunResult): RunResult {
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r;
}

describe("post-quantum keys on the command line", () => {
  let key: string;
  let recipient: string;

  beforeAll(async () => {
    const r = await ageRtKeygen(["-pq", "-o", p("pq.key")]);
    expect(r.status).toBe(0);
    const text = readFileSync(p("pq.key"), "utf8");
    key = text.split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-PQ-1"))!;
    recipient = /# public key: (age1pq1\S+)/.exec(text)![1]!;
    expect(r.stderr).toBe(`Public key: ${recipient}\n`);
    expect(identityToRecipient(key)).toBe(recipient);
  });

  it("-r age1pq1… encrypts (binary and armored, age v1 and age-rt); -i the key file decrypts", async () => {
    for (const flags of [[], ["-a"], ["--rt"]]) {
      const enc = ok(await ageRt(["-r", recipient, ...flags], { input: data }));
      if (!flags.includes("-a")) expect(enc.stdout.toString("latin1")).toContain("-> mlkem768x25519 ");
      const dec = ok(await ageRt(["-d", "-i", p("pq.key")], { input: enc.stdout }));
      expect(dec.stdout.equals(data)).toBe(true);
    }
  });

  it("-R takes a recipients file with post-quantum keys; -y prints them", async () => {
    const y = ok(await ageRtKeygen(["-y", p("pq.key")]));
    writeFileSync(p("pq.recipients"), `# team\n${y.stdout.toString()}`);
    const enc = ok(await ageRt(["-R", p("pq.recipients"), "-o", p("out.age")], { input: data }));
    expect(enc.stdout.length).toBe(0);
    expect(Buffer.concat([...decodeBytes(readFileSync(p("out.age")), new AgeAutoDecoder({ identities: [key] }))]).equals(data)).toBe(true);
  });

  it("an identity file with both kinds of key opens files to either", async () => {
    const x = generateIdentity();
    writeFileSync(p("both.key"), `${x}\n${key}\n`);
    for (const r of [identityToRecipient(x), recipient]) {
      const enc = ok(await ageRt(["-r", r], { input: data.subarray(0, 10) }));
      expect(ok(await ageRt(["-d", "-i", p("both.key")], { input: enc.stdout })).stdout.equals(data.subarray(0, 10))).toBe(true);
    }
  });

  it("refuses to mix post-quantum and classic recipients, as Go age does", async () => {
    const r = await ageRt(["-r", recipient, "-r", identityToRecipient(generateIdentity())], { input: data });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/^age-rt: error: .*cannot be mixed[^\n]*\n$/);
    expect(r.stdout.length).toBe(0);
  });

  it("-r age1tag1… (a hardware key's recipient) encrypts a p256tag stanza", async () => {
    const tag = encodeBech32("age1tag", p256.getPublicKey(p256.utils.randomSecretKey(), true));
    const enc = ok(await ageRt(["-r", tag], { input: data.subarray(0, 5) }));
    expect(enc.stdout.toString("latin1")).toMatch(/\n-> p256tag \S{6} \S{87}\n/);
  });

  it("-pq with -y is a usage error", async () => {
    const r = await ageRtKeygen(["-pq", "-y", p("pq.key")]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/-pq cannot be used with -y/);
  });
});
