// The CLI's crypt-io mode, run as built (dist/cli/age-rt.js): version 2
// streams written for each algorithm and chunk size and read back, the
// shared vectors read (both versions, every algorithm), key files as raw
// bytes and as hex, and the error contract (one "age-rt: error:" line, the
// right wording, only authenticated chunks written) for bad flags, keys,
// tampered and truncated streams.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cryptIoDecrypt, cryptIoEncrypt } from "../src/crypt-io/index.js";
import { ageRt, ensureBuilt } from "./helpers/cli.js";
import { expectError, expectOk, payload } from "./helpers/cli-expect.js";

const dir = mkdtempSync(join(tmpdir(), "age-rt-cli-cio-"));
const p = (name: string) => join(dir, name);
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VECTORS = new URL("../../shared/vectors/crypt-io/", import.meta.url);
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37 + 5) & 255));
const rawKey = p("raw.key");
const hexKey = p("hex.key");
writeFileSync(rawKey, KEY);
writeFileSync(hexKey, `${KEY.toString("hex")}\n`);




describe("age-rt --crypt-io", () => {
  it.each([
    ["chacha20-poly1305", "10"], ["aes-256-gcm", "12"], ["xchacha20-poly1305", "16"], ["AES-256-GCM", "20"],
  ])("%s, chunk-size-log2 %s: writes a v2 stream the library reads, and reads it back (raw and hex key files)", async (alg, log2) => {
    const plain = payload(300_000, 99);
    const enc = await ageRt(["--crypt-io", "--key-file", rawKey, "--algorithm", alg, "--chunk-size-log2", log2], { input: plain });
    expectOk(enc);
    expect(enc.stdout[8]).toBe(2); // version 2
    expect(enc.stdout[10]).toBe(Number(log2));
    expect(enc.stdout.length).toBe(24 + 32 + plain.length + 16 * (Math.floor(plain.length / 2 ** Number(log2)) + 1));
    expect(sha(cryptIoDecrypt(enc.stdout, KEY))).toBe(sha(plain));
    const dec = await ageRt(["-d", "--crypt-io", "--key-file", hexKey], { input: enc.stdout });
    expectOk(dec);
    expect(sha(dec.stdout)).toBe(sha(plain));
  });

  it("defaults: ChaCha20-Poly1305, 64 KiB chunks; files in and out with -o", async () => {
    const plain = payload(70_000, 99);
    writeFileSync(p("in.bin"), plain);
    expectOk(await ageRt(["--crypt-io", "--key-file", hexKey, "-o", p("out.cio"), p("in.bin")]));
    const stream = readFileSync(p("out.cio"));
    expect([stream[9], stream[10]]).toEqual([0, 16]);
    expectOk(await ageRt(["-d", "--crypt-io", "--key-file", rawKey, "-o", p("back.bin"), p("out.cio")]));
    expect(sha(readFileSync(p("back.bin")))).toBe(sha(plain));
  });

  it("reads every success vector of ../shared/vectors/crypt-io (v1 and v2, all algorithms)", async () => {
    const manifest = JSON.parse(readFileSync(new URL("manifest.json", VECTORS), "utf8")) as Record<string, {
      file: string; key: string; expect: string; plaintext?: { sha256: string };
    }>;
    for (const [name, v] of Object.entries(manifest)) {
      writeFileSync(p(`${name}.key`), v.key);
      const r = await ageRt(["-d", "--crypt-io", "--key-file", p(`${name}.key`), new URL(v.file, VECTORS).pathname]);
      if (v.expect === "success") {
        expectOk(r);
        expect(sha(r.stdout), name).toBe(v.plaintext!.sha256);
      } else {
        expectError(r, /invalid header|truncated|decryption failed/);
      }
    }
  });

  it("a tampered stream: the chunks before the damage are written, then one error line", async () => {
    const plain = payload(5000, 99);
    const stream = cryptIoEncrypt(plain, KEY, { chunkSizeLog2: 10, algorithm: "aes-256-gcm" });
    const bad = stream.slice();
    bad[56 + 2 * 1040 + 5]! ^= 1; // inside chunk 2
    const r = await ageRt(["-d", "--crypt-io", "--key-file", rawKey], { input: bad });
    expectError(r, /decryption failed: chunk 2 .*does not authenticate/);
    expect(Buffer.compare(r.stdout, plain.subarray(0, 2048))).toBe(0);
    const cut = await ageRt(["-d", "--crypt-io", "--key-file", rawKey], { input: stream.subarray(0, 56 + 3 * 1040) });
    expectError(cut, /truncated/);
    expect(Buffer.compare(cut.stdout, plain.subarray(0, 3072))).toBe(0);
    const other = Buffer.from(KEY);
    other[0]! ^= 1;
    writeFileSync(p("other.key"), other);
    const wrong = await ageRt(["-d", "--crypt-io", "--key-file", p("other.key")], { input: stream });
    expectError(wrong, /decryption failed/);
    expect(wrong.stdout.length).toBe(0);
    expectError(await ageRt(["-d", "--crypt-io", "--key-file", rawKey], { input: Buffer.from("age-encryption.org/v1\n-> X25519 abc\n") }), /invalid header: stream magic mismatch/);
  });

  it("refuses bad key files and flag combinations with one error line", async () => {
    writeFileSync(p("short.key"), KEY.subarray(0, 31));
    writeFileSync(p("badhex.key"), "zz".repeat(32));
    expectError(await ageRt(["--crypt-io", "--key-file", p("short.key")], { input: "x" }), /expected 32 raw bytes or 64 hex characters/);
    expectError(await ageRt(["--crypt-io", "--key-file", p("badhex.key")], { input: "x" }), /expected 32 raw bytes/);
    expectError(await ageRt(["--crypt-io", "--key-file", p("missing.key")], { input: "x" }), /failed to read key file .*no such file/);
    expectError(await ageRt(["--crypt-io"], { input: "x" }), /--crypt-io needs --key-file/);
    expectError(await ageRt(["--key-file", rawKey, "-r", "age1x"], { input: "x" }), /--key-file needs --crypt-io/);
    expectError(await ageRt(["--crypt-io", "--key-file", rawKey, "-p"], { input: "x" }), /--passphrase can't be used with --crypt-io/);
    expectError(await ageRt(["--crypt-io", "--key-file", rawKey, "-a"], { input: "x" }), /--armor can't be used with --crypt-io/);
    expectError(await ageRt(["--crypt-io", "--key-file", rawKey, "--algorithm", "des"], { input: "x" }), /unknown --algorithm "des"/);
    expectError(await ageRt(["--crypt-io", "--key-file", rawKey, "--chunk-size-log2", "9"], { input: "x" }), /--chunk-size-log2 must be an integer in 10..24/);
    expectError(await ageRt(["-d", "--crypt-io", "--key-file", rawKey, "--algorithm", "aes-256-gcm"], { input: "x" }), /can't be used with -d/);
  });
});
