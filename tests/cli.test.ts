// The age-rt and age-rt-keygen commands, run as built (dist/cli/*.js) in
// child processes: round trips in every mode, interop with the Go CLI both
// ways, the error contract (one "age-rt: error:" line, non-zero exit, no
// secrets, authenticated plaintext only), passphrase prompts on a real
// pseudo-terminal, and real-time streaming through a pipe.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgeRTDecoder, decodeBytes, generateIdentity, identityToRecipient } from "../src/index.js";
import {
  AGE_RT, ageRt, ageRtKeygen, cleanEnv, ensureBuilt, runOnPty, type RunResult,
} from "./helpers/cli.js";
import { expectError, expectOk, payload } from "./helpers/cli-expect.js";
import { goAgeAvailable } from "./helpers/go-age.js";

const dir = mkdtempSync(join(tmpdir(), "age-rt-cli-"));
const p = (name: string) => join(dir, name);
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PASS_ENV = cleanEnv({ AGE_PASSPHRASE: "correct horse battery staple", AGE_PASSPHRASE_WORK_FACTOR: "10" });
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");




function keyPair(name: string): { file: string; identity: string; recipient: string } {
  const identity = generateIdentity();
  const file = p(name);
  writeFileSync(file, `# a comment\n\n${identity}\n`);
  return { file, identity, recipient: identityToRecipient(identity) };
}

const alice = keyPair("alice.key");
const bob = keyPair("bob.key");

const goAvailable = goAgeAvailable;

describe("age-rt-keygen", () => {
  it("prints age-keygen's format to stdout", async () => {
    const r = await ageRtKeygen([]);
    expect(r.status).toBe(0);
    const lines = r.stdout.toString().split("\n");
    expect(lines[0]).toMatch(/^# created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    expect(lines[1]).toMatch(/^# public key: age1[0-9a-z]{58}$/);
    expect(lines[2]).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(lines[3]).toBe("");
    expect(identityToRecipient(lines[2]!)).toBe(lines[1]!.slice("# public key: ".length));
    // Not a terminal: the public key also goes to stderr, like Go.
    expect(r.stderr).toBe(`Public key: ${identityToRecipient(lines[2]!)}\n`);
  });

  it("-o creates the file with mode 0600, prints the public key on stderr, and never overwrites", async () => {
    const file = p("new.key");
    const r = await ageRtKeygen(["-o", file]);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, "utf8");
    const recipient = /# public key: (age1\w+)/.exec(text)![1]!;
    expect(r.stderr).toBe(`Public key: ${recipient}\n`);
    const again = await ageRtKeygen(["--output", file]);
    expectError(again, /failed to open output file .*new\.key.*: file exists/);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("-y converts an identity file (path or stdin) to recipients", async () => {
    const both = p("both.key");
    writeFileSync(both, `# two keys\n${alice.identity}\r\n\n${bob.identity}\n`);
    const r = await ageRtKeygen(["-y", both]);
    expectOk(r);
    expect(r.stdout.toString()).toBe(`${alice.recipient}\n${bob.recipient}\n`);
    const fromStdin = await ageRtKeygen(["-y"], { input: alice.identity + "\n" });
    expect(fromStdin.stdout.toString()).toBe(alice.recipient + "\n");
  });

  it("-y errors: no identities, a malformed line (not echoed), too many arguments, bad flags", async () => {
    expectError(await ageRtKeygen(["-y"], { input: "# nothing\n" }), /no identities found/);
    const secretish = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
    const bad = await ageRtKeygen(["-y"], { input: `${alice.identity}\n${secretish}\n` });
    expectError(bad, /line 2/);
    expect(bad.stderr).not.toContain(secretish.slice(16));
    expectError(await ageRtKeygen(["a", "b"]), /too many arguments/);
    expectError(await ageRtKeygen(["--frobnicate"]), /unknown flag: -frobnicate/);
  });

  it("--version and --help", async () => {
    expect((await ageRtKeygen(["--version"])).stdout.toString()).toMatch(/^v\d+\.\d+\.\d+/);
    const h = await ageRtKeygen(["--help"]);
    expect(h.status).toBe(0);
    expect(h.stdout.toString()).toContain("age-rt-keygen -y");
  });
});

describe("age-rt round trips", () => {
  const data = payload(200_000);

  it("-r to stdout, -d -i from a file argument", async () => {
    const enc = await ageRt(["-r", alice.recipient], { input: data });
    expectOk(enc);
    expect(enc.stdout.subarray(0, 22).toString()).toBe("age-encryption.org/v1\n");
    writeFileSync(p("r.age"), enc.stdout);
    const dec = await ageRt(["-d", "-i", alice.file, p("r.age")]);
    expectOk(dec);
    expect(sha(dec.stdout)).toBe(sha(data));
  });

  it("several recipients (-r and -R with comments); each identity decrypts; -i repeated", async () => {
    const rfile = p("recipients.txt");
    writeFileSync(rfile, `# bob\n${bob.recipient}\n\n`);
    writeFileSync(p("plain"), data);
    expectOk(await ageRt(["-e", "-r", alice.recipient, "-R", rfile, "-o", p("multi.age"), p("plain")]));
    for (const key of [alice.file, bob.file]) {
      const dec = await ageRt(["--decrypt", "--identity", key, p("multi.age")]);
      expectOk(dec);
      expect(sha(dec.stdout)).toBe(sha(data));
    }
    const stranger = keyPair("stranger.key");
    const both = await ageRt(["-d", "-i", stranger.file, "-i", bob.file, "-o", p("multi.out"), p("multi.age")]);
    expectOk(both);
    expect(sha(readFileSync(p("multi.out")))).toBe(sha(data));
  });

  it("-e -i encrypts to an identity file's recipients; -R - and -i - read standard input", async () => {
    writeFileSync(p("plain"), data);
    expectOk(await ageRt(["-e", "-i", alice.file, "-o", p("sym.age"), p("plain")]));
    const dec = await ageRt(["-d", "-i", "-", p("sym.age")], { input: alice.identity + "\n" });
    expectOk(dec);
    expect(sha(dec.stdout)).toBe(sha(data));
    expectOk(await ageRt(["-R", "-", "-o", p("stdin-r.age"), p("plain")], { input: bob.recipient + "\n" }));
    expect(sha((await ageRt(["-d", "-i", bob.file, p("stdin-r.age")])).stdout)).toBe(sha(data));
    expectError(await ageRt(["-R", "-", "-"], { input: bob.recipient }), /standard input is used for multiple purposes/);
  });

  it("-a armors (streamed), and -d detects armor; -o - forces stdout", async () => {
    const enc = await ageRt(["-a", "-r", alice.recipient, "-o", "-"], { input: data });
    expectOk(enc);
    const text = enc.stdout.toString();
    expect(text.startsWith("-----BEGIN AGE ENCRYPTED FILE-----\n")).toBe(true);
    expect(text.endsWith("-----END AGE ENCRYPTED FILE-----\n")).toBe(true);
    expect(text.split("\n").slice(1, -2).every((l) => l.length <= 64)).toBe(true);
    const dec = await ageRt(["-d", "-i", alice.file], { input: enc.stdout });
    expectOk(dec);
    expect(sha(dec.stdout)).toBe(sha(data));
  });

  it("-p with AGE_PASSPHRASE: age v1, age-rt and armored; decrypt needs no flag but -d", async () => {
    for (const extra of [[], ["--rt"], ["-a"], ["--rt", "-a"]]) {
      const enc = await ageRt(["-p", ...extra], { input: data, env: PASS_ENV });
      expectOk(enc);
      const dec = await ageRt(["-d"], { input: enc.stdout, env: PASS_ENV });
      expectOk(dec);
      expect(sha(dec.stdout)).toBe(sha(data));
    }
  });

  it("AGE_PASSPHRASE_WORK_FACTOR sets the work factor; AGE_PASSPHRASE_MAX_WORK_FACTOR limits it", async () => {
    const enc = await ageRt(["-p"], { input: "x", env: PASS_ENV });
    expect(enc.stdout.toString()).toMatch(/^-> scrypt \S+ 10$/m);
    const limited = await ageRt(["-d"], { input: enc.stdout, env: { ...PASS_ENV, AGE_PASSPHRASE_MAX_WORK_FACTOR: "9" } });
    expectError(limited, /work factor 10 exceeds the maximum 9/);
    expectError(await ageRt(["-p"], { input: "x", env: { ...PASS_ENV, AGE_PASSPHRASE_WORK_FACTOR: "31" } }), /AGE_PASSPHRASE_WORK_FACTOR must be an integer from 1 to 30/);
  });

  it("AGE_PASSPHRASE_FD reads the passphrase from a descriptor", async () => {
    const env = cleanEnv({ AGE_PASSPHRASE_FD: "3", AGE_PASSPHRASE_WORK_FACTOR: "10" });
    const viaFd = (args: string[], input: Uint8Array) => new Promise<RunResult>((resolve) => {
      const child = spawn(process.execPath, [AGE_RT, ...args], { env, detached: true, stdio: ["pipe", "pipe", "pipe", "pipe"] });
      const out: Buffer[] = [];
      let err = "";
      child.stdout!.on("data", (c: Buffer) => out.push(c));
      child.stderr!.on("data", (c: Buffer) => (err += c));
      (child.stdio[3] as NodeJS.WritableStream).end("fd secret\n");
      child.stdin!.end(input);
      child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out), stderr: err }));
    });
    const enc = await viaFd(["-p"], data);
    expectOk(enc);
    const dec = await ageRt(["-d"], { input: enc.stdout, env: cleanEnv({ AGE_PASSPHRASE: "fd secret" }) });
    expectOk(dec);
    expect(sha(dec.stdout)).toBe(sha(data));
  });

  it("--rt writes age-rt v0.2; --max-chunk splits larger reads; -d --max-chunk limits", async () => {
    writeFileSync(p("10k"), payload(10_000));
    expectOk(await ageRt(["--rt", "--max-chunk", "4096", "-r", alice.recipient, "-o", p("10k.agert"), p("10k")]));
    const file = readFileSync(p("10k.agert"));
    expect(file.toString("latin1")).toMatch(/^github\.com\/parsimonit\/age-rt-encryption\/v0\.2\?maxchunk=4096\n/);
    const chunks = [...decodeBytes(file, new AgeRTDecoder({ identities: [alice.identity], maxChunkSize: 4096 }))];
    expect(chunks.map((c) => c.length)).toEqual([4096, 4096, 1808, 0]);
    const dec = await ageRt(["-d", "-i", alice.file, p("10k.agert")]);
    expect(sha(dec.stdout)).toBe(sha(payload(10_000)));
    expectError(await ageRt(["-d", "--max-chunk", "1024", "-i", alice.file, p("10k.agert")]), /maxchunk 4096, above .* limit of 1024/);
  });

  it("several MiB through pipes and files, both formats, byte for byte", async () => {
    const big = payload(5 * 1024 * 1024 + 333, 3);
    writeFileSync(p("big"), big);
    for (const extra of [[], ["--rt"]]) {
      expectOk(await ageRt([...extra, "-r", alice.recipient, "-o", p("big.enc"), p("big")]));
      const viaStdin = await ageRt(["-d", "-i", alice.file], { input: readFileSync(p("big.enc")) });
      expect(sha(viaStdin.stdout)).toBe(sha(big));
      expectOk(await ageRt(["-d", "-i", alice.file, "-o", p("big.out"), p("big.enc")]));
      expect(sha(readFileSync(p("big.out")))).toBe(sha(big));
    }
  });

  it("empty input: an empty file is created with -o", async () => {
    const enc = await ageRt(["-r", alice.recipient], { input: "" });
    expectOk(enc);
    writeFileSync(p("empty.age"), enc.stdout);
    expectOk(await ageRt(["-d", "-i", alice.file, "-o", p("empty.out"), p("empty.age")]));
    expect(readFileSync(p("empty.out")).length).toBe(0);
  });

  it("-o overwrites an existing file (like Go age)", async () => {
    writeFileSync(p("exists"), "old content that is longer than the new");
    writeFileSync(p("tiny.age"), (await ageRt(["-r", alice.recipient], { input: "new" })).stdout);
    expectOk(await ageRt(["-d", "-i", alice.file, "-o", p("exists"), p("tiny.age")]));
    expect(readFileSync(p("exists"), "utf8")).toBe("new");
  });

  it("--help and --version", async () => {
    const h = await ageRt(["--help"]);
    expect(h.status).toBe(0);
    expect(h.stdout.toString()).toContain("--rt");
    expect((await ageRt(["--version"])).stdout.toString()).toMatch(/^v\d+\.\d+\.\d+\n$/);
  });
});

describe.skipIf(!goAvailable)("interop with the Go CLI", () => {
  const data = payload(300_000, 11);

  it("age-rt encrypts (binary, armored, several recipients) → age -d", async () => {
    writeFileSync(p("go-plain"), data);
    for (const extra of [[], ["-a"]]) {
      expectOk(await ageRt([...extra, "-r", alice.recipient, "-r", bob.recipient, "-o", p("to-go.age"), p("go-plain")]));
      for (const key of [alice.file, bob.file]) {
        const out = execFileSync("age", ["-d", "-i", key, p("to-go.age")]);
        expect(sha(out)).toBe(sha(data));
      }
    }
  });

  it("age -e (binary, armored) → age-rt -d", async () => {
    writeFileSync(p("go-plain"), data);
    for (const extra of [[], ["-a"]]) {
      execFileSync("age", ["-e", ...extra, "-r", alice.recipient, "-o", p("from-go.age"), p("go-plain")]);
      const dec = await ageRt(["-d", "-i", alice.file, p("from-go.age")]);
      expectOk(dec);
      expect(sha(dec.stdout)).toBe(sha(data));
    }
  });

  it("age-rt -p → age -d, and age -p → age-rt -d, passphrases typed on a terminal for Go", async () => {
    writeFileSync(p("go-plain"), data);
    const pass = "correct horse battery staple";
    expectOk(await ageRt(["-p", "-o", p("pass-to-go.age"), p("go-plain")], { env: PASS_ENV }));
    const goDec = runOnPty(["age", "-d", "-o", p("pass-from-ours.out"), p("pass-to-go.age")], [{ expect: "passphrase", send: pass + "\r" }]);
    expect(goDec.status, goDec.output).toBe(0);
    expect(sha(readFileSync(p("pass-from-ours.out")))).toBe(sha(data));

    const goEnc = runOnPty(["age", "-p", "-o", p("pass-from-go.age"), p("go-plain")], [
      { expect: "passphrase", send: pass + "\r" },
      { expect: "Confirm", send: pass + "\r" },
    ], { timeout: 60 });
    expect(goEnc.status, goEnc.output).toBe(0);
    const dec = await ageRt(["-d", p("pass-from-go.age")], { env: PASS_ENV });
    expectOk(dec);
    expect(sha(dec.stdout)).toBe(sha(data));
  });

  it("age-rt-keygen keys work with Go, and Go keys with age-rt", async () => {
    expect((await ageRtKeygen(["-o", p("ours-gen.key")])).status).toBe(0);
    const oursRecipient = execFileSync("age-keygen", ["-y", p("ours-gen.key")], { encoding: "utf8" }).trim();
    expect((await ageRtKeygen(["-y", p("ours-gen.key")])).stdout.toString().trim()).toBe(oursRecipient);
    execFileSync("age", ["-r", oursRecipient, "-o", p("to-ours-key.age"), p("go-plain")]);
    expect(sha((await ageRt(["-d", "-i", p("ours-gen.key"), p("to-ours-key.age")])).stdout)).toBe(sha(data));

    execFileSync("age-keygen", ["-o", p("go-gen.key")], { stdio: "pipe" });
    const goRecipient = /# public key: (age1\w+)/.exec(readFileSync(p("go-gen.key"), "utf8"))![1]!;
    expect((await ageRtKeygen(["-y", p("go-gen.key")])).stdout.toString()).toBe(goRecipient + "\n");
    expectOk(await ageRt(["-r", goRecipient, "-o", p("to-go-key.age"), p("go-plain")]));
    expect(sha(execFileSync("age", ["-d", "-i", p("go-gen.key"), p("to-go-key.age")]))).toBe(sha(data));
  });
});

describe("age-rt errors", () => {
  const data = payload(5 * 65536 + 1000, 5);
  let file: Buffer;
  beforeAll(async () => {
    file = (await ageRt(["-r", alice.recipient], { input: data })).stdout;
  });
  /** Header and payload nonce: where chunk 0 starts. */
  const payloadStart = () => file.length - (data.length + 6 * 16);
  const chunkAt = (k: number) => payloadStart() + k * (65536 + 16);

  it("wrong key: no output, and an existing -o file is left untouched", async () => {
    const r = await ageRt(["-d", "-i", bob.file], { input: file });
    expectError(r, /no identity matched any of the recipients/);
    expect(r.stdout.length).toBe(0);
    writeFileSync(p("keep"), "precious");
    expectError(await ageRt(["-d", "-i", bob.file, "-o", p("keep")], { input: file }), /no identity matched/);
    expect(readFileSync(p("keep"), "utf8")).toBe("precious");
    const nothere = await ageRt(["-d", "-i", bob.file, "-o", p("never-created")], { input: file });
    expectError(nothere, /no identity matched/);
    expect(existsSync(p("never-created"))).toBe(false);
  });

  it("wrong passphrase; a passphrase file without a passphrase; an X25519 file without -i", async () => {
    const enc = (await ageRt(["-p"], { input: "secret stuff", env: PASS_ENV })).stdout;
    expectError(await ageRt(["-d"], { input: enc, env: cleanEnv({ AGE_PASSPHRASE: "wrong" }) }), /incorrect passphrase/);
    // No AGE_PASSPHRASE and no terminal (detached): a clear error, not a hang.
    expectError(await ageRt(["-d"], { input: enc }), /no terminal to read the passphrase from.*AGE_PASSPHRASE/);
    expectError(await ageRt(["-p"], { input: "x" }), /no terminal to read the passphrase from.*AGE_PASSPHRASE/);
    expectError(await ageRt(["-d"], { input: file }), /not passphrase-encrypted: identities are required/);
  });

  it("truncated file: the chunks before the cut, then an error", async () => {
    const cut = file.subarray(0, chunkAt(2) + 100);
    const r = await ageRt(["-d", "-i", alice.file], { input: cut });
    // age v1: a short chunk is the final one, so a cut inside a chunk shows as that chunk failing.
    expectError(r, /decryption failed: chunk 2 .*does not authenticate/);
    expect(r.stdout.equals(data.subarray(0, 2 * 65536))).toBe(true);
    const noFinal = file.subarray(0, chunkAt(5));
    const r2 = await ageRt(["-d", "-i", alice.file], { input: noFinal });
    expectError(r2, /truncated/);
    expect(r2.stdout.equals(data.subarray(0, 5 * 65536))).toBe(true);
    expectError(await ageRt(["-d", "-i", alice.file], { input: file.subarray(0, 30) }), /invalid header: input ended inside the header/);
    expectError(await ageRt(["-d", "-i", alice.file], { input: file.subarray(0, payloadStart() - 3) }), /invalid header: input ended inside the 16-byte payload nonce/);
  });

  it("tampered chunk: authenticated plaintext then the error, on stdout and with -o", async () => {
    const bad = Buffer.from(file);
    bad[chunkAt(3) + 10]! ^= 1;
    const r = await ageRt(["-d", "-i", alice.file], { input: bad });
    expectError(r, /decryption failed: chunk 3 .*does not authenticate/);
    expect(r.stdout.equals(data.subarray(0, 3 * 65536))).toBe(true);
    writeFileSync(p("bad.age"), bad);
    expectError(await ageRt(["-d", "-i", alice.file, "-o", p("bad.out"), p("bad.age")]), /chunk 3/);
    // Like Go age, the partial file stays: exactly the plaintext that authenticated.
    expect(readFileSync(p("bad.out")).equals(data.subarray(0, 3 * 65536))).toBe(true);
  });

  it("tampered header, trailing data, bad armor", async () => {
    const badHeader = Buffer.from(file);
    badHeader[payloadStart() - 16 - 5]! ^= 1; // inside the MAC line (before the 16-byte nonce)
    expectError(await ageRt(["-d", "-i", alice.file], { input: badHeader }), /header MAC|invalid header/);
    // age v1 sees a byte after a short final chunk as part of it; age-rt frames tell trailing data apart.
    expectError(await ageRt(["-d", "-i", alice.file], { input: Buffer.concat([file, Buffer.from("x")]) }), /decryption failed: chunk 5 /);
    const rt = (await ageRt(["--rt", "-r", alice.recipient], { input: "framed" })).stdout;
    const r = await ageRt(["-d", "-i", alice.file], { input: Buffer.concat([rt, Buffer.from("x")]) });
    expectError(r, /trailing data/);
    expect(r.stdout.toString()).toBe("framed");
    expectError(await ageRt(["-d", "-i", alice.file], { input: "-----BEGIN AGE ENCRYPTED FILE-----\n!!!!\n" }), /invalid armor/);
    expectError(await ageRt(["-d", "-i", alice.file], { input: "not an age file\n" }), /invalid header/);
  });

  it("bad flags and usage, as Go age words them", async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /missing arguments/],
      [["-x"], /unknown flag: -x/],
      [["-da"], /unknown flag: -da/],
      [["-o"], /flag needs an argument: -o/],
      [["-d", "-a"], /-a\/--armor can't be used with -d\/--decrypt/],
      [["-d", "-p"], /-p\/--passphrase can't be used with -d/],
      [["-d", "-r", alice.recipient], /-r\/--recipient can't be used with -d/],
      [["-d", "-e"], /-e\/--encrypt can't be used with -d/],
      [["-d", "--rt"], /--rt can't be used with -d/],
      [["-p", "-r", alice.recipient], /-p\/--passphrase can't be combined with -r/],
      [["-i", alice.file], /-i\/--identity can't be used in encryption mode/],
      [["-a"], /missing recipients/],
      [["-r", alice.recipient, "a", "b"], /too many arguments/],
      [["-r", alice.recipient, "--max-chunk", "100"], /--max-chunk needs --rt/],
      [["--rt", "--max-chunk", "0100", "-r", alice.recipient], /--max-chunk must be an integer/],
      [["--rt", "--max-chunk", "16777217", "-r", alice.recipient], /--max-chunk must be an integer/],
      [["-r", "age1notakey"], /-r\/--recipient #1: invalid recipient/],
      [["-r", alice.recipient, p("does-not-exist")], /failed to open input file .*does-not-exist.*: no such file/],
      [["-d", "-i", p("does-not-exist")], /failed to read identity file .*: no such file/],
      [["-R", alice.file], /malformed recipients file .*line 3/],
    ];
    for (const [args, message] of cases) expectError(await ageRt(args, { input: "" }), message);
  });

  it("never echoes secrets: a secret key given as a recipient, a recipient in an identity file", async () => {
    const r = await ageRt(["-r", alice.identity], { input: "x" });
    expectError(r, /expected a recipient .*got an identity/);
    expect(r.stderr).not.toContain(alice.identity.slice(16, 40));
    writeFileSync(p("not-ids"), alice.recipient + "\n");
    expectError(await ageRt(["-d", "-i", p("not-ids")], { input: file }), /malformed identity file .*line 1/);
  });
});

describe("passphrase prompts on a terminal", () => {
  const pass = "tty passphrase 12345";
  const env = cleanEnv({ AGE_PASSPHRASE_WORK_FACTOR: "10" });

  it("encrypt asks twice without echo; decrypt asks once", () => {
    writeFileSync(p("tty-plain"), "typed on a terminal\n");
    const enc = runOnPty([process.execPath, AGE_RT, "-p", "-o", p("tty.age"), p("tty-plain")], [
      { expect: "Enter passphrase", send: pass + "\r" },
      { expect: "Confirm passphrase:", send: pass + "\r" },
    ], { env });
    expect(enc.status, enc.output).toBe(0);
    expect(enc.output).not.toContain(pass);
    const dec = runOnPty([process.execPath, AGE_RT, "-d", "-o", p("tty.out"), p("tty.age")], [
      { expect: "Enter passphrase:", send: pass + "\r" },
    ], { env });
    expect(dec.status, dec.output).toBe(0);
    expect(dec.output).not.toContain(pass);
    expect(dec.output).not.toContain("Confirm");
    expect(readFileSync(p("tty.out"), "utf8")).toBe("typed on a terminal\n");
  });

  it("with the data on standard input, the prompt uses /dev/tty", () => {
    const script = `printf 'piped data' | '${process.execPath}' '${AGE_RT}' -p -o '${p("tty-pipe.age")}'`;
    const enc = runOnPty(["sh", "-c", script], [
      { expect: "Enter passphrase", send: pass + "\r" },
      { expect: "Confirm passphrase:", send: pass + "\r" },
    ], { env });
    expect(enc.status, enc.output).toBe(0);
    expect(enc.output).not.toContain(pass);
    const dec = runOnPty(["sh", "-c", `cat '${p("tty-pipe.age")}' | '${process.execPath}' '${AGE_RT}' -d`], [
      { expect: "Enter passphrase:", send: pass + "\r" },
    ], { env });
    expect(dec.status, dec.output).toBe(0);
    expect(dec.output).toContain("piped data");
  });

  it("mismatched confirmation, and binary output to the terminal, are refused", () => {
    const mismatch = runOnPty([process.execPath, AGE_RT, "-p", "-o", p("mismatch.age"), p("tty-plain")], [
      { expect: "Enter passphrase", send: pass + "\r" },
      { expect: "Confirm passphrase:", send: "something else\r" },
    ], { env });
    expect(mismatch.status).not.toBe(0);
    expect(mismatch.output).toContain("age-rt: error: passphrases didn't match");
    expect(existsSync(p("mismatch.age"))).toBe(false);
    const binary = runOnPty([process.execPath, AGE_RT, "-r", alice.recipient, p("tty-plain")], [], { env });
    expect(binary.status).not.toBe(0);
    expect(binary.output).toContain("age-rt: error: refusing to output binary to the terminal");
    const armored = runOnPty([process.execPath, AGE_RT, "-a", "-r", alice.recipient, p("tty-plain")], [], { env });
    expect(armored.status).toBe(0);
    expect(armored.output).toContain("-----BEGIN AGE ENCRYPTED FILE-----");
  });
});

describe("real time", () => {
  it("age-rt --rt -p | age-rt -d: a line comes out before the writer's input is closed", async () => {
    const enc = spawn(process.execPath, [AGE_RT, "--rt", "-p"], { env: PASS_ENV, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    // The two processes share a real pipe, as in a shell.
    const dec = spawn(process.execPath, [AGE_RT, "-d"], { env: PASS_ENV, detached: true, stdio: [enc.stdout, "pipe", "pipe"] });
    let encErr = "";
    let decErr = "";
    enc.stderr.on("data", (c: Buffer) => (encErr += c));
    dec.stderr!.on("data", (c: Buffer) => (decErr += c));
    let seen = "";
    const waitFor = (text: string) => new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`"${text}" did not come through in time (got "${seen}"; ${encErr}${decErr})`)), 20_000);
      const check = () => {
        if (seen.includes(text)) {
          clearTimeout(timer);
          dec.stdout!.off("data", onData);
          resolve();
        }
      };
      const onData = (c: Buffer) => {
        seen += c.toString();
        check();
      };
      dec.stdout!.on("data", onData);
      check();
    });
    try {
      enc.stdin.write("first line\n");
      await waitFor("first line\n");
      expect(enc.stdin.writableEnded).toBe(false);
      expect(enc.exitCode).toBe(null);
      enc.stdin.write("second line\n");
      await waitFor("second line\n");
      expect(enc.exitCode).toBe(null);
      // "exit", not "close", for the writer: its stdout was handed to the reader, never read here.
      const exits = Promise.all([new Promise((r) => enc.on("exit", r)), new Promise((r) => dec.on("close", r))]);
      let rest = "";
      dec.stdout!.on("data", (c: Buffer) => (rest += c));
      enc.stdin.end("last\n");
      expect(await exits).toEqual([0, 0]);
      expect(seen + rest).toBe("first line\nsecond line\nlast\n");
      expect(encErr + decErr).toBe("");
    } finally {
      enc.kill();
      dec.kill();
    }
  });

  it("a stream cut off mid-way (the writer killed) ends in a truncation error after what arrived", async () => {
    const enc = spawn(process.execPath, [AGE_RT, "--rt", "-r", alice.recipient], { env: cleanEnv(), detached: true, stdio: ["pipe", "pipe", "pipe"] });
    const dec = spawn(process.execPath, [AGE_RT, "-d", "-i", alice.file], { env: cleanEnv(), detached: true, stdio: [enc.stdout, "pipe", "pipe"] });
    let out = "";
    let err = "";
    dec.stdout!.on("data", (c: Buffer) => (out += c));
    dec.stderr!.on("data", (c: Buffer) => (err += c));
    enc.stdin.write("partial\n");
    await new Promise<void>((resolve) => {
      const t = setInterval(() => out.includes("partial\n") && (clearInterval(t), resolve()), 20);
    });
    enc.kill("SIGKILL");
    const status = await new Promise((r) => dec.on("close", r));
    expect(status).not.toBe(0);
    expect(out).toBe("partial\n");
    expect(err).toMatch(/^age-rt: error: the file is truncated[^\n]*\n$/);
  });
});
