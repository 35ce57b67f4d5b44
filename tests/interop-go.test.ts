// Interoperability with the Go reference CLI (Debian package `age`, 1.1.1;
// .ci/run installs it): files it encrypts decrypt here, and files encrypted
// here decrypt with `age -d`, byte for byte, for payloads around the 64 KiB
// chunk boundary and a few MiB; X25519 with one and several recipients,
// binary and armored.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeDecoder, AgeEncoder, armor, decodeBytes, encodeBytes, generateIdentity, identityToRecipient,
} from "../src/index.js";
import { goAgeAvailable } from "./helpers/go-age.js";

const available = goAgeAvailable;

const SIZES = [0, 1, 65535, 65536, 65537, 3 * 1024 * 1024 + 123];
const dir = mkdtempSync(join(tmpdir(), "age-rt-interop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function payload(n: number): Uint8Array {
  const out = new Uint8Array(n);
  crypto.getRandomValues(out.subarray(0, Math.min(n, 65536)));
  for (let i = 65536; i < n; i++) out[i] = out[i - 65536]! ^ (i & 0xff);
  return out;
}
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function goKeygen(): { identity: string; recipient: string } {
  const text = execFileSync("age-keygen", { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const identity = text.split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-1"))!;
  const recipient = /# public key: (age1\w+)/.exec(text)![1]!;
  return { identity, recipient };
}

describe.skipIf(!available)("Go age CLI interop", () => {
  const ours = generateIdentity();
  const oursToo = generateIdentity();
  const go = available ? goKeygen() : { identity: "", recipient: "" };

  it("agrees on the recipient of a Go-generated identity", () => {
    expect(identityToRecipient(go.identity)).toBe(go.recipient);
    const keyFile = join(dir, "ours.key");
    writeFileSync(keyFile, ours + "\n");
    expect(execFileSync("age-keygen", ["-y", keyFile], { encoding: "utf8" }).trim()).toBe(identityToRecipient(ours));
  });

  for (const n of SIZES) {
    it(`Go → age-rt: ${n} bytes, one recipient, binary and armored`, () => {
      const data = payload(n);
      const plain = join(dir, `go-plain-${n}`);
      writeFileSync(plain, data);
      for (const armored of [false, true]) {
        const out = join(dir, `go-${n}${armored ? ".asc" : ".age"}`);
        execFileSync("age", ["-r", identityToRecipient(ours), ...(armored ? ["-a"] : []), "-o", out, plain]);
        const file = new Uint8Array(readFileSync(out));
        const dec = armored ? new AgeAutoDecoder({ identities: [ours] }) : new AgeDecoder({ identities: [ours] });
        const got = Buffer.concat([...decodeBytes(file, dec)]);
        expect(sha(got)).toBe(sha(data));
      }
    });

    it(`age-rt → Go: ${n} bytes, binary and armored`, () => {
      const data = payload(n);
      const keyFile = join(dir, "go.key");
      writeFileSync(keyFile, go.identity + "\n");
      const file = encodeBytes([data], AgeEncoder.fromRecipients([go.recipient]));
      for (const [name, bytes] of [["bin", file], ["asc", new TextEncoder().encode(armor.encode(file))]] as const) {
        const path = join(dir, `ours-${n}.${name}`);
        writeFileSync(path, bytes);
        const got = execFileSync("age", ["-d", "-i", keyFile, path], { maxBuffer: 64 << 20 });
        expect(sha(got)).toBe(sha(data));
      }
    });
  }

  it("several recipients both ways: each identity opens the file", () => {
    const data = payload(70_000);
    const plain = join(dir, "multi-plain");
    writeFileSync(plain, data);
    const goFile = join(dir, "multi.age");
    execFileSync("age", ["-r", identityToRecipient(ours), "-r", go.recipient, "-r", identityToRecipient(oursToo), "-o", goFile, plain]);
    for (const id of [ours, oursToo]) {
      const got = Buffer.concat([...decodeBytes(new Uint8Array(readFileSync(goFile)), new AgeDecoder({ identities: [id] }))]);
      expect(sha(got)).toBe(sha(data));
    }
    const ourFile = join(dir, "multi-ours.age");
    writeFileSync(ourFile, encodeBytes([data], AgeEncoder.fromRecipients([identityToRecipient(ours), go.recipient])));
    const keyFile = join(dir, "go-multi.key");
    writeFileSync(keyFile, go.identity + "\n");
    expect(sha(execFileSync("age", ["-d", "-i", keyFile, ourFile]))).toBe(sha(data));
  });

  it("Go refuses a file of ours that was tampered with, as we refuse Go's", () => {
    const keyFile = join(dir, "go-t.key");
    writeFileSync(keyFile, go.identity + "\n");
    const file = encodeBytes([payload(1000)], AgeEncoder.fromRecipients([go.recipient]));
    file[file.length - 5]! ^= 1;
    const path = join(dir, "tampered.age");
    writeFileSync(path, file);
    expect(() => execFileSync("age", ["-d", "-i", keyFile, path], { stdio: "pipe" })).toThrow();
  });
});
