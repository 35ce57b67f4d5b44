// `age-rt -d FILE` and `age-rt -r … FILE` on large age v1 files, where the
// payload goes through file runs on the CLI's worker pool (src/pool/file-runs.ts,
// src/cli/file-decrypt.ts, src/cli/file-encrypt.ts), and the same through
// pipes (the pooled streams). Decryption's oracles are the same command fed
// through standard input (the pooled push decoder), which must write the same
// bytes, exit the same way and say the same thing, and the library's
// single-threaded push decoder, which must release the same bytes: for intact,
// corrupted, truncated, extended and reordered files. Encryption's output must
// decrypt to the input with Go age and the library, and have exactly the size
// age v1 gives that plaintext. Files of 24 MiB and more use the pool's
// workers; smaller ones, this thread alone.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeEncoder, encodeBytes, generateIdentity, identityToRecipient, iterDecodeChunks, StreamTruncatedError,
} from "../src/index.js";
import { parseHeader } from "../src/format/header.js";
import { AGE_CHUNK, AGE_SEALED_CHUNK, RUN_CHUNKS } from "../src/format/chunk-size.js";
import { AGE_RT, ageRt, cleanEnv, ensureBuilt, run, type RunResult } from "./helpers/cli.js";
import { goAgeAvailable } from "./helpers/go-age.js";
import { seededRandom } from "./helpers/random.js";

const dir = mkdtempSync(join(tmpdir(), "age-rt-parallel-"));
const p = (name: string) => join(dir, name);
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const identity = generateIdentity();
const keyFile = p("key.txt");
writeFileSync(keyFile, identity + "\n");
const MiB = 1 << 20;

function encrypt(plaintext: Uint8Array): Uint8Array {
  return encodeBytes([plaintext], AgeEncoder.fromRecipients([identityToRecipient(identity)]));
}

/** File offset of chunk 0: after the header and the 16-byte nonce. */
function payloadStart(file: Uint8Array): number {
  return parseHeader(file.subarray(0, 4096)).length + 16;
}

/**
 * age-rt with `args`, the input written to a file first (named last on the
 * command line, or given as standard input), stdout sent to a file (the
 * file-runs paths); both files are removed afterwards.
 */
function runOnFiles(args: string[], data: Uint8Array, name: string, viaStdin = false, env = cleanEnv()): Promise<RunResult> {
  const input = p(`${name}.in`);
  const output = p(`${name}.out`);
  writeFileSync(input, data);
  const inFd = viaStdin ? openSync(input, "r") : "ignore";
  const outFd = openSync(output, "w");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AGE_RT, ...args, ...(viaStdin ? [] : [input])], { env, stdio: [inFd, outFd, "pipe"] });
    if (typeof inFd === "number") closeSync(inFd);
    closeSync(outFd);
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => {
      resolve({ status, stdout: readFileSync(output), stderr });
      rmSync(input);
      rmSync(output);
    });
  });
}

/** age-rt -d with the file named on the command line and stdout sent to a file (file runs). */
const decryptNamed = (file: Uint8Array, name: string) => runOnFiles(["-d", "-i", keyFile], file, name);

/** The same file through a pipe: the push decoder's path, the oracle. */
const decryptPiped = (file: Uint8Array) => ageRt(["-d", "-i", keyFile], { input: file });

/** What the library's single-threaded push decoder releases for `file` before it stops: the bytes oracle. */
function releasedSingleThreaded(file: Uint8Array): Buffer {
  const out: Uint8Array[] = [];
  try {
    for (const c of iterDecodeChunks([file], new AgeAutoDecoder({ identities: [identity] }))) out.push(c);
  } catch {
    // the CLI must have stopped at the same chunk
  }
  return Buffer.concat(out);
}

async function expectSameAsPipe(file: Uint8Array, name: string): Promise<RunResult> {
  const [named, piped] = await Promise.all([decryptNamed(file, name), decryptPiped(file)]);
  expect(Buffer.compare(named.stdout, releasedSingleThreaded(file))).toBe(0);
  expect(named.stderr).toBe(piped.stderr);
  expect(named.status).toBe(piped.status);
  expect(named.stdout.length).toBe(piped.stdout.length);
  expect(Buffer.compare(named.stdout, piped.stdout)).toBe(0);
  return named;
}

describe("age-rt -d on a large file (parallel runs)", () => {
  // 52 MiB and a bit: 832 full chunks and a short final one.
  const plaintext = randomBytes(52 * MiB + 12_345);
  const file = encrypt(plaintext);
  const start = payloadStart(file);
  const chunks = Math.ceil((file.length - start) / AGE_SEALED_CHUNK);

  it("decrypts to a file and to standard output as a file", async () => {
    const r = await decryptNamed(file, "intact");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(Buffer.compare(r.stdout, plaintext)).toBe(0);

    const out = p("intact-o.out");
    writeFileSync(p("intact-o.age"), file);
    const o = await ageRt(["-d", "-i", keyFile, "-o", out, p("intact-o.age")]);
    expect(o.stderr).toBe("");
    expect(Buffer.compare(readFileSync(out), plaintext)).toBe(0);
  }, 60_000);

  it("decrypts standard input redirected from the file, also when it starts past offset 0", async () => {
    const plainFile = p("stdin.age");
    const prefixed = p("stdin-prefixed.age");
    writeFileSync(plainFile, file);
    // The prefix is an age file for the same key: reading from offset 0
    // instead of the descriptor's position would decrypt it, not ours.
    const prefix = encrypt(randomBytes(5000));
    writeFileSync(prefixed, Buffer.concat([prefix, file]));
    for (const [input, skip] of [[plainFile, 0], [prefixed, prefix.length]] as const) {
      const fd = openSync(input, "r");
      if (skip > 0) readSync(fd, Buffer.alloc(skip), 0, skip, null); // the child inherits the offset
      const out = p(`stdin-${skip}.out`);
      const outFd = openSync(out, "w");
      const child = spawn(process.execPath, [AGE_RT, "-d", "-i", keyFile], { env: cleanEnv(), stdio: [fd, outFd, "pipe"] });
      closeSync(fd);
      closeSync(outFd);
      let stderr = "";
      child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
      const status = await new Promise((r) => child.on("close", r));
      expect(stderr, `offset ${skip}`).toBe("");
      expect(status).toBe(0);
      expect(Buffer.compare(readFileSync(out), plaintext)).toBe(0);
    }
    // From offset 0 the prefixed file is the small age file with ours as trailing data.
    const fd = openSync(prefixed, "r");
    const child = spawn(process.execPath, [AGE_RT, "-d", "-i", keyFile], { env: cleanEnv(), stdio: [fd, "ignore", "pipe"] });
    closeSync(fd);
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    expect(await new Promise((r) => child.on("close", r))).not.toBe(0);
    expect(stderr).toMatch(/^age-rt: error: /);
  }, 60_000);

  it("writes through a pipe whose reader falls behind (EAGAIN on a non-blocking pipe)", async () => {
    const input = p("slow-reader.age");
    writeFileSync(input, file);
    const child = spawn(process.execPath, [AGE_RT, "-d", "-i", keyFile, input], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const parts: Buffer[] = [];
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    // Read nothing for a while: the pipe (64 KiB) fills and every write must wait.
    child.stdout!.pause();
    await new Promise((r) => setTimeout(r, 500));
    child.stdout!.on("data", (c: Buffer) => parts.push(c));
    child.stdout!.resume();
    const status = await new Promise((r) => child.on("close", r));
    rmSync(input);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(Buffer.compare(Buffer.concat(parts), plaintext)).toBe(0);
  }, 60_000);

  it("stops at a corrupted chunk exactly where the push decoder does", async () => {
    const rand = seededRandom("parallel-corrupt");
    // The first chunk, chunks spread over both threads' runs, the last full one and the final one.
    const targets = [0, 15, 16, 1 + Math.floor(rand() * (chunks - 2)), 400 + Math.floor(rand() * 400), chunks - 2, chunks - 1];
    for (const k of targets) {
      const bad = file.slice();
      const at = start + k * AGE_SEALED_CHUNK + Math.floor(rand() * Math.min(AGE_SEALED_CHUNK, file.length - start - k * AGE_SEALED_CHUNK));
      bad[at]! ^= 1 << Math.floor(rand() * 8);
      const r = await expectSameAsPipe(bad, `corrupt-${k}`);
      expect(r.stderr, `chunk ${k}`).toMatch(/age-rt: error: .*chunk/);
      expect(r.stdout.length).toBe(k * AGE_CHUNK);
    }
  }, 180_000);

  it("reports truncation, trailing data and reordered chunks as the push decoder does", async () => {
    const cases: Record<string, Uint8Array> = {
      "without the final chunk": file.subarray(0, start + (chunks - 1) * AGE_SEALED_CHUNK),
      "cut inside a middle chunk": file.subarray(0, start + 500 * AGE_SEALED_CHUNK + 777),
      "with trailing bytes": Buffer.concat([file, Buffer.from("trailing")]),
      "with two chunks swapped": swapChunks(file, start, 300, 301),
    };
    for (const [name, bad] of Object.entries(cases)) {
      const r = await expectSameAsPipe(bad, name.replaceAll(" ", "-"));
      expect(r.status, name).not.toBe(0);
    }
  }, 180_000);

  it("takes a full final chunk as final, and refuses it when it is cut off at a chunk boundary", async () => {
    const exact = randomBytes(50 * MiB); // 800 full chunks, the last one final
    const f = encrypt(exact);
    const r = await expectSameAsPipe(f, "exact");
    expect(r.status).toBe(0);
    expect(Buffer.compare(r.stdout, exact)).toBe(0);
    const cut = await expectSameAsPipe(f.subarray(0, f.length - AGE_SEALED_CHUNK), "exact-cut");
    expect(cut.stderr).toMatch(/truncated|ended before the final chunk/);
  }, 120_000);

  it("says no identity matched, writing nothing, like the push decoder", async () => {
    const other = encodeBytes([plaintext.subarray(0, 8 * MiB)], AgeEncoder.fromRecipients([identityToRecipient(generateIdentity())]));
    const r = await expectSameAsPipe(other, "no-match");
    expect(r.stdout.length).toBe(0);
    expect(r.status).not.toBe(0);
  }, 60_000);

  it("decrypts a passphrase-encrypted file, and says a wrong passphrase matched nothing", async () => {
    const data = plaintext.subarray(0, 9 * MiB + 5);
    const input = p("passphrase.age");
    const output = p("passphrase.out");
    writeFileSync(input, encodeBytes([data], AgeEncoder.fromPassphrase("parallel pass", { workFactor: 10 })));
    const ok = await ageRt(["-d", "-o", output, input], { env: cleanEnv({ AGE_PASSPHRASE: "parallel pass" }) });
    expect(ok.stderr).toBe("");
    expect(Buffer.compare(readFileSync(output), data)).toBe(0);
    const wrong = await ageRt(["-d", "-o", p("wrong.out"), input], { env: cleanEnv({ AGE_PASSPHRASE: "not it" }) });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/^age-rt: error: .*passphrase/);
  }, 60_000);

  it("decrypts a file whose payload nonce straddles the first 64 KiB read", async () => {
    // 70 + 98 bytes per X25519 stanza: 668 stanzas make a 65534-byte header.
    const others = Array.from({ length: 667 }, () => identityToRecipient(generateIdentity()));
    const data = plaintext.subarray(0, 5 * MiB);
    const f = encodeBytes([data], AgeEncoder.fromRecipients([identityToRecipient(identity), ...others]));
    const headerLength = parseHeader(f.subarray(0, 70_000)).length;
    expect(headerLength).toBeLessThanOrEqual(65536);
    expect(headerLength + 16).toBeGreaterThan(65536);
    const r = await decryptNamed(f, "nonce-straddle");
    expect(r.stderr).toBe("");
    expect(Buffer.compare(r.stdout, data)).toBe(0);
  }, 60_000);

  it("decrypts a file the Go age CLI encrypted", async (ctx) => {
    if (!goAgeAvailable) ctx.skip();
    const data = randomBytes(50 * MiB + 99);
    const goFile = execFileSync("age", ["-r", identityToRecipient(identity)], { input: data, maxBuffer: 64 * MiB });
    const r = await decryptNamed(goFile, "go");
    expect(r.stderr).toBe("");
    expect(Buffer.compare(r.stdout, data)).toBe(0);
  }, 60_000);
});

describe("age-rt -d on mid-sized files (runs on one thread)", () => {
  it("matches the push decoder for random sizes and corruptions", async () => {
    const rand = seededRandom("parallel-small");
    for (let i = 0; i < 6; i++) {
      const size = Math.floor(4 * MiB + rand() * 20 * MiB);
      const data = randomBytes(size);
      const f = encrypt(data);
      const start = payloadStart(f);
      if (i % 2 === 1) f[start + Math.floor(rand() * (f.length - start))]! ^= 0x80;
      const r = await expectSameAsPipe(f, `mid-${i}`);
      if (i % 2 === 0) expect(Buffer.compare(r.stdout, data)).toBe(0);
      else expect(r.status).not.toBe(0);
    }
  }, 120_000);
});

function swapChunks(file: Uint8Array, start: number, a: number, b: number): Uint8Array {
  const out = file.slice();
  const at = (k: number) => start + k * AGE_SEALED_CHUNK;
  out.set(file.subarray(at(b), at(b) + AGE_SEALED_CHUNK), at(a));
  out.set(file.subarray(at(a), at(a) + AGE_SEALED_CHUNK), at(b));
  return out;
}

describe("age-rt -r on files and pipes (file runs, pooled streams)", () => {
  const recipient = identityToRecipient(identity);
  /** Header length of an age v1 file; the payload is the 16-byte nonce, then chunks of 64 KiB + 16 (one final, maybe short or empty). */
  const expectedSize = (out: Uint8Array, plain: number) =>
    payloadStart(out) + Math.max(1, Math.ceil(plain / AGE_CHUNK)) * 16 + plain;

  const encryptNamed = (plain: Uint8Array, name: string, viaStdin = false) => runOnFiles(["-r", recipient], plain, name, viaStdin);

  function expectDecrypts(r: RunResult, plain: Uint8Array, what: string): void {
    expect(r.stderr, what).toBe("");
    expect(r.status, what).toBe(0);
    expect(r.stdout.length, what).toBe(expectedSize(r.stdout, plain.length));
    const back = Buffer.concat([...iterDecodeChunks([r.stdout], new AgeAutoDecoder({ identities: [identity] }))]);
    expect(Buffer.compare(back, plain), what).toBe(0);
    if (goAgeAvailable) {
      const go = execFileSync("age", ["-d", "-i", keyFile], { input: r.stdout, maxBuffer: 1 << 30 });
      expect(Buffer.compare(go, plain), `${what}, Go age`).toBe(0);
    }
  }

  it("named files and standard input from a file, around the pool's and the runs' thresholds", async () => {
    const rand = seededRandom("parallel-encrypt");
    const sizes = [
      0, 1, AGE_CHUNK, AGE_CHUNK + 1, 4 * MiB, 4 * MiB + 1, // this thread's usual path and the smallest file runs
      Math.floor(4 * MiB + rand() * 20 * MiB), // file runs on this thread alone
      24 * MiB, 30 * MiB + 12_345, // file runs with the pool's workers
    ];
    for (const [i, size] of sizes.entries()) {
      const plain = randomBytes(size);
      expectDecrypts(await encryptNamed(plain, `enc-${i}`), plain, `named, ${size} bytes`);
      if (size > 0 && i % 3 === 0) expectDecrypts(await encryptNamed(plain, `enc-in-${i}`, true), plain, `< file, ${size} bytes`);
    }
  }, 180_000);

  it("through a pipe, and armored, on the pooled encoder", async () => {
    const plain = randomBytes(30 * MiB + 777);
    const piped = await ageRt(["-r", recipient], { input: plain });
    expectDecrypts(piped, plain, "pipe");
    const armored = await ageRt(["-a", "-r", recipient, "-o", p("armored.age")], { input: plain });
    expect(armored.status).toBe(0);
    const back = Buffer.concat([...iterDecodeChunks([readFileSync(p("armored.age"))], new AgeAutoDecoder({ identities: [identity] }))]);
    expect(Buffer.compare(back, plain)).toBe(0);
  }, 120_000);

  it("file runs on the WebAssembly core (AGE_RT_CLI_ENGINE=wasm) and on node:crypto read each other's files and stop at the same corrupted chunk", async () => {
    const plain = randomBytes(30 * MiB + 4321);
    const wasm = cleanEnv({ AGE_RT_CLI_ENGINE: "wasm" });
    const encWasm = await runOnFiles(["-r", recipient], plain, "wasm-enc", false, wasm);
    expectDecrypts(encWasm, plain, "sealed on the WebAssembly core");
    const decDefault = await decryptNamed(encWasm.stdout, "wasm-enc-dec");
    expect(Buffer.compare(decDefault.stdout, plain)).toBe(0);
    const encDefault = await encryptNamed(plain, "default-enc");
    const decWasm = await runOnFiles(["-d", "-i", keyFile], encDefault.stdout, "default-enc-dec", false, wasm);
    expect(decWasm.stderr).toBe("");
    expect(Buffer.compare(decWasm.stdout, plain)).toBe(0);
    // (The library's file-runs tests compare both engines' bytes for the same key; here, where they stop.)
    const bad = Buffer.from(encDefault.stdout);
    bad[payloadStart(bad) + 200 * AGE_SEALED_CHUNK + 99]! ^= 4;
    const [a, b] = await Promise.all([decryptNamed(bad, "bad-default"), runOnFiles(["-d", "-i", keyFile], bad, "bad-wasm", false, wasm)]);
    expect(a.status).toBe(1);
    expect(b.status).toBe(1);
    expect(b.stderr).toBe(a.stderr);
    expect(a.stdout.length).toBe(200 * AGE_CHUNK);
    expect(Buffer.compare(a.stdout, b.stdout)).toBe(0);
  }, 120_000);

  it("round-trips through the CLI both ways: age-rt -r FILE | age-rt -d", async () => {
    const plain = randomBytes(40 * MiB + 3);
    const enc = await encryptNamed(plain, "roundtrip");
    expect(enc.status).toBe(0);
    const dec = await decryptNamed(enc.stdout, "roundtrip-dec");
    expect(dec.stderr).toBe("");
    expect(Buffer.compare(dec.stdout, plain)).toBe(0);
  }, 120_000);
});

// A pool worker that dies while the CLI works through a file: the CLI must
// stop with a clear error and a failing exit status, never hang, and have
// written only whole runs that authenticated (decrypting) or were sealed
// (encrypting), in order. The worker is terminated from outside the CLI's
// code (tests/helpers/kill-pool-worker.mjs, preloaded), some milliseconds
// after it was handed the file's runs; depending on where the CLI is then,
// it dies with a run in hand or after all of them, so several delays are
// tried and at least one must catch it mid-run.
describe("age-rt with a pool worker that dies mid-file", () => {
  const KILLER = join(import.meta.dirname, "helpers", "kill-pool-worker.mjs");
  const RUN = RUN_CHUNKS * AGE_CHUNK;
  const DELAYS = [0, 5, 10, 15, 20, 25, 30, 40];
  const plain = randomBytes(64 * MiB + 5);
  const recipient = identityToRecipient(identity);

  /** age-rt `args` on the file `input`, output to a file, its worker terminated `delay` ms after it was handed the runs. */
  async function killed(args: string[], input: string, delay: number): Promise<RunResult> {
    const output = `${input}.out`;
    const r = await run(process.execPath, ["--import", KILLER, AGE_RT, ...args, "-o", output, input], {
      env: cleanEnv({ AGE_RT_TEST_KILL_MS: String(delay) }),
    });
    const out = readFileSync(output);
    rmSync(output);
    return { ...r, stdout: out, stderr: r.stderr.replace("[test] terminating the pool's worker\n", "") };
  }

  it("decrypting: a typed error, exit status 1, and only whole authenticated runs before it", async () => {
    writeFileSync(p("killed.age"), encrypt(plain));
    let failed = 0;
    for (const delay of DELAYS) {
      const r = await killed(["-d", "-i", keyFile], p("killed.age"), delay);
      if (r.status === 0) {
        expect(r.stderr).toBe("");
        expect(Buffer.compare(r.stdout, plain), `delay ${delay}`).toBe(0);
        continue;
      }
      failed++;
      expect(r.status, `delay ${delay}`).toBe(1);
      expect(r.stderr, `delay ${delay}`).toMatch(/^age-rt: error: a pool worker exited/);
      expect(r.stdout.length % RUN, `delay ${delay}`).toBe(0);
      expect(r.stdout.length).toBeLessThan(plain.length);
      expect(Buffer.compare(r.stdout, plain.subarray(0, r.stdout.length)), `delay ${delay}`).toBe(0);
    }
    expect(failed, "the worker died with a run in hand at least once").toBeGreaterThan(0);
  }, 120_000);

  it("encrypting: a typed error, exit status 1, and a cut-off file that never decrypts as whole", async () => {
    writeFileSync(p("killed.plain"), plain);
    let failed = 0;
    for (const delay of DELAYS) {
      const r = await killed(["-r", recipient], p("killed.plain"), delay);
      if (r.status === 0) {
        expect(r.stderr).toBe("");
        const back = Buffer.concat([...iterDecodeChunks([r.stdout], new AgeAutoDecoder({ identities: [identity] }))]);
        expect(Buffer.compare(back, plain), `delay ${delay}`).toBe(0);
        continue;
      }
      failed++;
      expect(r.status, `delay ${delay}`).toBe(1);
      expect(r.stderr, `delay ${delay}`).toMatch(/^age-rt: error: a pool worker exited/);
      // Whole sealed runs after the header: every chunk written opens, and the stream is cut off.
      const chunks = (r.stdout.length - payloadStart(r.stdout)) / AGE_SEALED_CHUNK;
      expect(chunks % RUN_CHUNKS, `delay ${delay}`).toBe(0);
      const opened: Uint8Array[] = [];
      expect(() => {
        for (const c of iterDecodeChunks([r.stdout], new AgeAutoDecoder({ identities: [identity] }))) opened.push(c);
      }).toThrow(StreamTruncatedError);
      const back = Buffer.concat(opened);
      expect(back.length).toBe(chunks * AGE_CHUNK); // all open as non-final chunks; the final one is missing
      expect(Buffer.compare(back, plain.subarray(0, back.length))).toBe(0);
    }
    expect(failed, "the worker died with a run in hand at least once").toBeGreaterThan(0);
  }, 120_000);
});
