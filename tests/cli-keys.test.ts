// The age-rt command with the keys Go age takes: SSH public keys (-r, -R),
// OpenSSH private keys (-i; an encrypted one's passphrase asked on the
// terminal only when the file has a stanza for it), recipients files as Go
// reads them, and passphrase-encrypted identity files made by Go age through
// a pseudo-terminal. Interop with the Go CLI both ways.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGE_RT, ageRt, cleanEnv, ensureBuilt, runOnPty } from "./helpers/cli.js";
import { goAgeAvailable } from "./helpers/go-age.js";

const dir = mkdtempSync(join(tmpdir(), "age-rt-cli-keys-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (name: string) => join(dir, name);
const plaintext = "the plaintext\n".repeat(5000);

function sshKeygen(name: string, type: string, passphrase = ""): void {
  execFileSync("ssh-keygen", ["-q", "-t", type, "-N", passphrase, "-C", "cli@test", "-f", p(name)], { stdio: "pipe" });
}

describe.skipIf(!goAgeAvailable)("age-rt with SSH keys, recipients files and encrypted identity files", () => {
  beforeAll(() => {
    ensureBuilt();
    writeFileSync(p("plain.txt"), plaintext);
    sshKeygen("ed", "ed25519");
    sshKeygen("rsa", "rsa");
    sshKeygen("ed-enc", "ed25519", "key pass");
    sshKeygen("rsa-enc", "rsa", "rsa pass");
    sshKeygen("ecdsa", "ecdsa");
  });

  it("Go encrypts to SSH public keys; age-rt -d -i decrypts with each private key", async () => {
    execFileSync("age", ["-R", p("ed.pub"), "-R", p("rsa.pub"), "-o", p("go.age"), p("plain.txt")]);
    for (const key of ["ed", "rsa"]) {
      const r = await ageRt(["-d", "-i", p(key), p("go.age")]);
      expect(r.stderr).toBe("");
      expect(r.stdout.toString()).toBe(plaintext);
    }
  });

  it("age-rt encrypts to SSH keys (-r line, -R file); Go decrypts with each private key", async () => {
    const edLine = readFileSync(p("ed.pub"), "utf8").trim();
    const r = await ageRt(["-r", edLine, "-R", p("rsa.pub"), "-a", "-o", p("ours.age"), p("plain.txt")]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const key of ["ed", "rsa"]) expect(execFileSync("age", ["-d", "-i", p(key), p("ours.age")]).toString()).toBe(plaintext);
  });

  it("an encrypted key is asked for on the terminal when the file has its stanza, and works", () => {
    execFileSync("age", ["-R", p("ed-enc.pub"), "-R", p("rsa-enc.pub"), "-o", p("enc.age"), p("plain.txt")]);
    for (const [key, pass] of [["ed-enc", "key pass"], ["rsa-enc", "rsa pass"]] as const) {
      const out = p(`${key}.out`);
      const r = runOnPty([process.execPath, AGE_RT, "-d", "-i", p(key), "-o", out, p("enc.age")], [{ expect: `Enter passphrase for "${p(key)}":`, send: pass + "\r" }], { timeout: 60 });
      expect(r.status, r.output).toBe(0);
      expect(readFileSync(out, "utf8")).toBe(plaintext);
    }
    // A wrong passphrase: a clear error, nothing written.
    const bad = runOnPty([process.execPath, AGE_RT, "-d", "-i", p("ed-enc"), "-o", p("bad.out"), p("enc.age")], [{ expect: "Enter passphrase", send: "nope\r" }], { timeout: 60 });
    expect(bad.status).toBe(1);
    expect(bad.output).toMatch(/age-rt: error: .*incorrect passphrase/);
  });

  it("an encrypted key without a stanza in the file is never asked for", async () => {
    execFileSync("age", ["-R", p("ed.pub"), "-o", p("ed-only.age"), p("plain.txt")]);
    // No terminal at all here: a prompt would fail.
    const r = await ageRt(["-d", "-i", p("ed-enc"), "-i", p("rsa-enc"), "-i", p("ed"), p("ed-only.age")]);
    expect(r.stderr).toBe("");
    expect(r.stdout.toString()).toBe(plaintext);
    const none = await ageRt(["-d", "-i", p("ed-enc"), p("ed-only.age")]);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe("age-rt: error: no identity matched any of the recipients\n");
  });

  it("-e -i encrypts to an encrypted SSH key's public part without asking", async () => {
    const r = await ageRt(["-e", "-i", p("ed-enc"), "-o", p("to-enc.age"), p("plain.txt")]);
    expect(r.stderr).toBe("");
    const out = p("to-enc.out");
    const d = runOnPty(["age", "-d", "-i", p("ed-enc"), "-o", out, p("to-enc.age")], [{ expect: "passphrase", send: "key pass\r" }]);
    expect(d.status, d.output).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(plaintext);
  });

  describe("recipients files", () => {
    it("comments, empty lines, CRLF, age1 and SSH keys; unsupported SSH keys skipped with a warning, as Go does", async () => {
      const native = execFileSync("age-keygen", { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      writeFileSync(p("native.key"), native);
      const age1 = /# public key: (age1\w+)/.exec(native)![1]!;
      const file = [
        "# team keys", "", age1, readFileSync(p("ed.pub"), "utf8").trim(), "# rsa:",
        readFileSync(p("rsa.pub"), "utf8").trim() + "\r", readFileSync(p("ecdsa.pub"), "utf8").trim(), "",
      ].join("\n");
      writeFileSync(p("team.txt"), file);
      const r = await ageRt(["-R", p("team.txt"), "-o", p("team.age"), p("plain.txt")]);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe(`age-rt: warning: recipients file "${p("team.txt")}": ignoring unsupported SSH key of type "ecdsa-sha2-nistp256" at line 7\n`);
      // Go takes the same file and gives the same stanzas.
      execFileSync("age", ["-R", p("team.txt"), "-o", p("team-go.age"), p("plain.txt")], { stdio: "pipe" });
      const types = (f: string) => [...readFileSync(f, "latin1").matchAll(/^-> (\S+)/gm)].map((m) => m[1]);
      expect(types(p("team.age"))).toEqual(types(p("team-go.age")));
      for (const key of ["native.key", "ed", "rsa"]) expect(execFileSync("age", ["-d", "-i", p(key), p("team.age")]).toString()).toBe(plaintext);
    });

    it("errors name the file and the line, and never quote it", async () => {
      // A line of spaces is no recipient (nor is it for Go).
      writeFileSync(p("bad0.txt"), `${readFileSync(p("ed.pub"), "utf8")}  \n`);
      expect((await ageRt(["-R", p("bad0.txt"), p("plain.txt")])).stderr).toMatch(/: line 2: /);
      const secret = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
      writeFileSync(p("bad1.txt"), `# ok\n${readFileSync(p("ed.pub"), "utf8")}\n${secret}\n`);
      const a = await ageRt(["-R", p("bad1.txt"), p("plain.txt")]);
      expect(a.status).toBe(1);
      expect(a.stderr).toMatch(new RegExp(`^age-rt: error: malformed recipients file "${p("bad1.txt")}": line 4: `));
      expect(a.stderr).not.toContain("QQQQ");
      writeFileSync(p("bad2.txt"), `# ok\n\nssh-ed25519 ${"A".repeat(9000)}\n`);
      const b = await ageRt(["-R", p("bad2.txt"), p("plain.txt")]);
      expect(b.stderr).toBe(`age-rt: error: malformed recipients file "${p("bad2.txt")}": line 3 is too long (more than 8192 bytes)\n`);
      writeFileSync(p("bad3.txt"), "# nothing\n\n");
      const c = await ageRt(["-R", p("bad3.txt"), p("plain.txt")]);
      expect(c.stderr).toMatch(/no recipients found/);
      writeFileSync(p("bad4.txt"), readFileSync(p("ecdsa.pub")));
      const d = await ageRt(["-R", p("bad4.txt"), p("plain.txt")]);
      expect(d.status).toBe(1);
      expect(d.stderr).toMatch(/no recipients found/);
    });
  });

  describe("passphrase-encrypted identity files", () => {
    beforeAll(() => {
      // Go's age -p needs a terminal: made through a pseudo-terminal.
      for (const [out, extra] of [["id.age", []], ["id.asc", ["-a"]]] as const) {
        const r = runOnPty(["age", "-p", ...extra, "-o", p(out), p("native.key")], [
          { expect: "Enter passphrase", send: "id pass\r" },
          { expect: "Confirm passphrase", send: "id pass\r" },
        ], { env: cleanEnv() });
        if (r.status !== 0) throw new Error(`age -p failed: ${r.output}`);
      }
      execFileSync("age", ["-R", p("team.txt"), "-o", p("for-native.age"), p("plain.txt")], { stdio: "pipe" });
    });

    it("Go's binary and armored ones work with -i, the passphrase asked on the terminal", () => {
      for (const id of ["id.age", "id.asc"]) {
        const out = p(`${id}.out`);
        const r = runOnPty([process.execPath, AGE_RT, "-d", "-i", p(id), "-o", out, p("for-native.age")], [
          { expect: `Enter passphrase for identity file "${p(id)}":`, send: "id pass\r" },
        ], { timeout: 60 });
        expect(r.status, r.output).toBe(0);
        expect(readFileSync(out, "utf8")).toBe(plaintext);
      }
      const bad = runOnPty([process.execPath, AGE_RT, "-d", "-i", p("id.age"), "-o", p("id-bad.out"), p("for-native.age")], [
        { expect: "Enter passphrase for identity file", send: "wrong\r" },
      ], { timeout: 60 });
      expect(bad.status).toBe(1);
      expect(bad.output).toContain(`age-rt: error: identity file "${p("id.age")}": incorrect passphrase`);
    });

    it("ours work with Go's -i, and -e -i encrypts to their recipients", async () => {
      const mk = await ageRt(["-p", "-o", p("ours-id.age"), p("native.key")], { env: cleanEnv({ AGE_PASSPHRASE: "ours pass", AGE_PASSPHRASE_WORK_FACTOR: "10" }) });
      expect(mk.status).toBe(0);
      const out = p("ours-id.out");
      const r = runOnPty(["age", "-d", "-i", p("ours-id.age"), "-o", out, p("for-native.age")], [{ expect: "passphrase", send: "ours pass\r" }]);
      expect(r.status, r.output).toBe(0);
      expect(readFileSync(out, "utf8")).toBe(plaintext);
      const enc = runOnPty([process.execPath, AGE_RT, "-e", "-i", p("id.age"), "-o", p("to-id.age"), p("plain.txt")], [
        { expect: "Enter passphrase for identity file", send: "id pass\r" },
      ], { timeout: 60 });
      expect(enc.status, enc.output).toBe(0);
      expect(execFileSync("age", ["-d", "-i", p("native.key"), p("to-id.age")]).toString()).toBe(plaintext);
    });
  });
});
