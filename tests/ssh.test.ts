// SSH recipients and identities (age v1 "SSH recipients", Go age's agessh):
// keys made by ssh-keygen in the test (ed25519 and rsa, plain and
// passphrase-encrypted with aes256-ctr and aes256-gcm@openssh.com), files
// exchanged with the Go age CLI both ways, the Ed25519 → X25519 conversion
// against @noble/curves' own, and the edge cases of the spec and of Go's
// tests: another key's stanza is skipped, a wrong-length body is an error,
// RSA below 2048 bits is refused for encryption.
import { execFileSync } from "node:child_process";
import { constants, createHash, createPublicKey, publicEncrypt } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ed25519 } from "@noble/curves/ed25519.js";
import { afterAll, describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeEncoder, HeaderParseError, NoIdentityMatchError, UsageError, aiterDecodeChunks, decodeBytes,
  encodeBytes, identityToRecipient,
} from "../src/index.js";
import { sshIdentity, sshRecipient } from "../src/node.js";
import { parseIdentity, parseRecipient } from "../src/recipients/keys.js";
import { ed25519ToX25519 } from "../src/recipients/ssh-ed25519.js";
import { parseOpenSshKeyFile } from "../src/recipients/ssh-private-key.js";
import type { Stanza } from "../src/format/stanza.js";
import { goAgeAvailable } from "./helpers/go-age.js";
import { cleanEnv, runOnPty } from "./helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "age-rt-ssh-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hasSshKeygen(): boolean {
  try {
    execFileSync("ssh-keygen", ["-?"], { stdio: "pipe" });
  } catch (e) {
    return (e as { status?: number }).status !== undefined && (e as { status?: number }).status !== 127 && !(e as { code?: string }).code;
  }
  return true;
}
const sshKeygenAvailable = hasSshKeygen();
if (!sshKeygenAvailable && process.env.CI) throw new Error("ssh-keygen is required in CI (apt-get install -y openssh-client)");

interface Key {
  name: string;
  path: string;
  pem: string;
  pub: string;
  passphrase: string | null;
}

let counter = 0;
function keygen(type: "ed25519" | "rsa", opts: { bits?: number; passphrase?: string; cipher?: string } = {}): Key {
  const name = `${type}${opts.bits ?? ""}${opts.passphrase ? "-enc" : ""}${opts.cipher ? "-" + opts.cipher.slice(0, 10) : ""}`;
  const path = join(dir, `k${counter++}`);
  const args = ["-q", "-t", type, "-N", opts.passphrase ?? "", "-C", "test@age-rt", "-f", path];
  if (opts.bits) args.push("-b", String(opts.bits));
  if (opts.cipher) args.push("-Z", opts.cipher);
  execFileSync("ssh-keygen", args, { stdio: "pipe" });
  return { name, path, pem: readFileSync(path, "utf8"), pub: readFileSync(path + ".pub", "utf8").trim(), passphrase: opts.passphrase ?? null };
}

const data = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
const decryptWith = (file: Uint8Array, identity: Parameters<typeof sshIdentity>[0] | ReturnType<typeof sshIdentity>) =>
  Buffer.concat([...decodeBytes(file, new AgeAutoDecoder({ identities: [typeof identity === "string" ? sshIdentity(identity) : identity] }))]);

describe("Ed25519 → X25519", () => {
  it("matches @noble/curves' conversion for random keys", () => {
    for (let i = 0; i < 20; i++) {
      const pub = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
      expect(ed25519ToX25519(pub)).toEqual(ed25519.utils.toMontgomery(pub));
    }
  });
});

describe.skipIf(!sshKeygenAvailable)("SSH keys made by ssh-keygen", () => {
  const keys = [
    keygen("ed25519"),
    keygen("rsa", { bits: 2048 }),
    keygen("ed25519", { passphrase: "correct horse" }),
    keygen("rsa", { bits: 3072, passphrase: "battery staple" }),
    keygen("ed25519", { passphrase: "gcm pass", cipher: "aes256-gcm@openssh.com" }),
    keygen("rsa", { bits: 2048, passphrase: "gcm pass", cipher: "aes256-gcm@openssh.com" }),
  ];

  for (const k of keys) {
    describe(k.name, () => {
      it("identityToRecipient reads the public key from the private key file (no passphrase)", () => {
        expect(identityToRecipient(k.pem)).toBe(k.pub.split(" ").slice(0, 2).join(" "));
      });

      it("round-trips through age-rt/node (node:crypto RSA, synchronous)", () => {
        const file = encodeBytes([data], AgeEncoder.fromRecipients([sshRecipient(k.pub)]));
        const id = sshIdentity(k.pem, { passphrase: k.passphrase ?? undefined });
        expect(decryptWith(file, id)).toEqual(Buffer.from(data));
      });

      it.skipIf(!goAgeAvailable)("Go age encrypts to the public key, we decrypt with the private key", () => {
        const pubPath = k.path + ".pub";
        const file = execFileSync("age", ["-R", pubPath], { input: data });
        const id = sshIdentity(k.pem, { passphrase: k.passphrase ?? undefined });
        expect(decryptWith(file, id)).toEqual(Buffer.from(data));
      });

      // Go age 1.1.1's x/crypto/ssh cannot read aes256-gcm@openssh.com keys ("parse error").
      it.skipIf(!goAgeAvailable || k.name.includes("gcm"))("we encrypt, Go age decrypts with the private key", () => {
        const file = encodeBytes([data], AgeEncoder.fromRecipients([sshRecipient(k.pub)]));
        const path = join(dir, `${k.name}.age`);
        writeFileSync(path, file);
        if (k.passphrase === null) {
          expect(execFileSync("age", ["-d", "-i", k.path, path])).toEqual(Buffer.from(data));
        } else {
          // Go asks an encrypted key's passphrase on the terminal.
          const out = join(dir, `${k.name}.out`);
          const r = runOnPty(["age", "-d", "-i", k.path, "-o", out, path], [{ expect: "passphrase", send: k.passphrase + "\r" }], { env: cleanEnv() });
          expect(r.status, r.output).toBe(0);
          expect(readFileSync(out)).toEqual(Buffer.from(data));
        }
      });
    });
  }

  it("the main entry takes the same strings; ssh-rsa there is WebCrypto, asynchronous", async () => {
    const ed = keys[0]!;
    const rsa = keys[1]!;
    // ssh-ed25519 is synchronous everywhere.
    const f1 = encodeBytes([data], AgeEncoder.fromRecipients([ed.pub]));
    expect(Buffer.concat([...decodeBytes(f1, new AgeAutoDecoder({ identities: [ed.pem] }))])).toEqual(Buffer.from(data));
    // ssh-rsa through WebCrypto: asynchronous, on the asynchronous paths…
    const enc = AgeEncoder.fromRecipients([rsa.pub]);
    expect(enc.pending).toBeInstanceOf(Promise);
    await enc.pending;
    const f2 = encodeBytes([data], enc);
    const parts: Uint8Array[] = [];
    for await (const c of aiterDecodeChunks([f2], new AgeAutoDecoder({ identities: [rsa.pem] }))) parts.push(c);
    expect(Buffer.concat(parts)).toEqual(Buffer.from(data));
    const stanzas = await parseRecipient(rsa.pub).wrapFileKey(new Uint8Array(16).fill(7));
    expect(stanzas).toHaveLength(1);
    expect(await parseIdentity(rsa.pem).unwrapFileKey(stanzas)).toEqual(new Uint8Array(16).fill(7));
    // …Go's ssh-rsa files too; a synchronous path refuses with a UsageError naming the asynchronous ones.
    if (goAgeAvailable) {
      const file = execFileSync("age", ["-R", rsa.path + ".pub"], { input: data });
      const goParts: Uint8Array[] = [];
      for await (const c of aiterDecodeChunks([file], new AgeAutoDecoder({ identities: [rsa.pem] }))) goParts.push(c);
      expect(Buffer.concat(goParts)).toEqual(Buffer.from(data));
      expect(() => [...decodeBytes(file, new AgeAutoDecoder({ identities: [rsa.pem] }))]).toThrow(UsageError);
    }
  });

  it("an encrypted key's passphrase is asked for only when a stanza is for that key", async () => {
    const enc = keys[2]!;
    const other = keys[0]!;
    let asked = 0;
    const id = sshIdentity(enc.pem, { passphrase: () => (asked++, enc.passphrase!) });
    // A file for another key: not asked, not matched.
    const f1 = encodeBytes([data], AgeEncoder.fromRecipients([sshRecipient(other.pub)]));
    expect(() => [...decodeBytes(f1, new AgeAutoDecoder({ identities: [id] }))]).toThrow(NoIdentityMatchError);
    expect(asked).toBe(0);
    // A file for it: asked once, and the key is kept.
    const f2 = encodeBytes([data], AgeEncoder.fromRecipients([sshRecipient(enc.pub)]));
    expect(decryptWith(f2, id)).toEqual(Buffer.from(data));
    expect(decryptWith(f2, id)).toEqual(Buffer.from(data));
    expect(asked).toBe(1);
    // An asynchronous passphrase makes the identity asynchronous for the
    // headers that need it: its Promise gives the file key…
    const idAsync = sshIdentity(enc.pem, { passphrase: async () => enc.passphrase! });
    const [stanza] = sshRecipient(enc.pub).wrapFileKey(new Uint8Array(16).fill(9)) as Stanza[];
    const pending = idAsync.unwrapFileKey([stanza!]);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual(new Uint8Array(16).fill(9));
    // …and the asynchronous paths await it.
    const idAsync2 = sshIdentity(enc.pem, { passphrase: async () => enc.passphrase! });
    const parts: Uint8Array[] = [];
    for await (const c of aiterDecodeChunks([f2], new AgeAutoDecoder({ identities: [idAsync2] }))) parts.push(c);
    expect(Buffer.concat(parts)).toEqual(Buffer.from(data));
  });

  it("a wrong passphrase is a UsageError; an unencrypted key needs none", () => {
    for (const k of keys.filter((k) => k.passphrase !== null)) {
      const id = sshIdentity(k.pem, { passphrase: "wrong" });
      const file = encodeBytes([data], AgeEncoder.fromRecipients([sshRecipient(k.pub)]));
      expect(() => decryptWith(file, id)).toThrow(/incorrect passphrase/);
      expect(() => sshIdentity(k.pem)).toThrow(UsageError);
      expect(() => parseIdentity(k.pem)).toThrow(/encrypted/);
    }
  });

  it("another key's stanza is skipped; the right key among several stanzas is found", () => {
    const [a, b] = [keys[0]!, keys[1]!];
    const file = encodeBytes([data], AgeEncoder.fromRecipients([sshRecipient(b.pub), sshRecipient(a.pub)]));
    expect(decryptWith(file, sshIdentity(a.pem))).toEqual(Buffer.from(data));
    expect(decryptWith(file, sshIdentity(b.pem))).toEqual(Buffer.from(data));
    const onlyB = encodeBytes([data], AgeEncoder.fromRecipients([sshRecipient(b.pub)]));
    expect(() => decryptWith(onlyB, sshIdentity(a.pem))).toThrow(NoIdentityMatchError);
    const stanzas = sshRecipient(b.pub).wrapFileKey(new Uint8Array(16)) as Stanza[];
    expect(sshIdentity(a.pem).unwrapFileKey(stanzas)).toBeNull();
  });

  it("a stanza for the key with a wrong-length body or the wrong arguments is an error", () => {
    for (const k of [keys[0]!, keys[1]!]) {
      const [s] = sshRecipient(k.pub).wrapFileKey(new Uint8Array(16)) as Stanza[];
      const id = sshIdentity(k.pem);
      expect(id.unwrapFileKey([s!])).toEqual(new Uint8Array(16));
      expect(() => id.unwrapFileKey([{ ...s!, body: s!.body.subarray(1) }])).toThrow(HeaderParseError);
      expect(() => id.unwrapFileKey([{ ...s!, body: new Uint8Array([...s!.body, 0]) }])).toThrow(HeaderParseError);
      expect(() => id.unwrapFileKey([{ ...s!, args: [...s!.args, "extra"] }])).toThrow(HeaderParseError);
      // A changed body with the right length: not this key's wrapping, not a match.
      const body = s!.body.slice();
      body[3]! ^= 1;
      expect(id.unwrapFileKey([{ ...s!, body }])).toBeNull();
    }
  });

  it("RSA keys below 2048 bits are refused for encryption", () => {
    const small = keygen("rsa", { bits: 1024 });
    expect(() => sshRecipient(small.pub)).toThrow(/1024 bits/);
    expect(() => parseRecipient(small.pub)).toThrow(UsageError);
    // Go age refuses it too.
    if (goAgeAvailable) expect(() => execFileSync("age", ["-R", small.path + ".pub"], { input: data, stdio: "pipe" })).toThrow(/unsupported SSH key/);
    // Its identity still opens a stanza made for it (here by node:crypto directly).
    const blob = Buffer.from(small.pub.split(" ")[1]!, "base64");
    const tag = createHash("sha256").update(blob).digest().subarray(0, 4).toString("base64").replace(/=+$/, "");
    const body = publicEncrypt({ key: createPublicKey(execFileSync("ssh-keygen", ["-e", "-m", "PKCS8", "-f", small.path + ".pub"], { encoding: "utf8" })), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: Buffer.from("age-encryption.org/v1/ssh-rsa") }, Buffer.alloc(16, 5));
    expect(sshIdentity(small.pem).unwrapFileKey([{ type: "ssh-rsa", args: [tag], body: new Uint8Array(body) }])).toEqual(new Uint8Array(16).fill(5));
  });

  it("malformed keys are UsageErrors that quote no key material", () => {
    const k = keys[0]!;
    const b64 = k.pub.split(" ")[1]!;
    for (const bad of [
      "ssh-ed25519", "ssh-ed25519 !!!", `ssh-rsa ${b64}`, `ssh-ed25519 ${b64.slice(0, -8)}`, "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBE",
    ]) {
      expect(() => parseRecipient(bad), bad).toThrow(UsageError);
    }
    const lines = k.pem.trim().split("\n");
    const body = lines.slice(1, -1).join("");
    expect(() => parseOpenSshKeyFile(lines[0] + "\n" + body.slice(0, 40) + "\n" + lines.at(-1))).toThrow(UsageError);
    try {
      parseIdentity(lines[0] + "\n" + body.slice(0, 100) + "\n" + lines.at(-1));
    } catch (e) {
      expect((e as Error).message).not.toContain(body.slice(20, 40));
    }
    expect(() => parseIdentity("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----")).toThrow(/ssh-keygen -p/);
  });
});

describe.skipIf(!sshKeygenAvailable)("the ESM browser bundle", () => {
  const bundle = join(import.meta.dirname, "..", "dist", "browser", "age-rt.js");
  const built = existsSync(join(import.meta.dirname, "..", "dist", "browser", "age-rt-ssh.js"));
  if (!built && process.env.CI) throw new Error("dist/browser is built by npm test before the tests");

  it.skipIf(!built)("fetches the SSH code (age-rt-ssh.js) on first use; until then SSH keys are asynchronous", () => {
    expect(readFileSync(bundle, "utf8")).not.toContain("openssh-key-v1");
    const k = keygen("ed25519");
    const script = `
      const m = await import(${JSON.stringify(bundle)});
      const [pem, pub] = ${JSON.stringify([k.pem, k.pub])};
      const out = [];
      try { m.identityToRecipient(pem); out.push("sync"); } catch (e) { out.push(e.name); }
      const enc = m.AgeEncoder.fromRecipients([pub]);
      out.push(enc.pending instanceof Promise);
      await enc.pending;
      const file = m.encodeBytes([new TextEncoder().encode("lazy ssh")], enc);
      const parts = [];
      for await (const c of m.aiterDecodeChunks([file], new m.AgeAutoDecoder({ identities: [pem] }))) parts.push(new TextDecoder().decode(c));
      out.push(parts.join(""));
      await m.ready({ ssh: true });
      out.push(m.identityToRecipient(pem));
      console.log(JSON.stringify(out));`;
    const out = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
    expect(out).toEqual(["UsageError", true, "lazy ssh", k.pub.split(" ").slice(0, 2).join(" ")]);
  });
});

/** The stanzas of a binary age header, read with our parser. */
function parseHeaderStanzas(file: Uint8Array): Stanza[] {
  const text = Buffer.from(file).toString("latin1");
  const end = text.indexOf("\n---");
  const lines = text.slice(0, end).split("\n").slice(1);
  const out: Stanza[] = [];
  for (let i = 0; i < lines.length; i++) {
    const [, type, ...args] = lines[i]!.split(" ");
    let b64 = "";
    for (i++; ; i++) {
      b64 += lines[i]!;
      if (lines[i]!.length < 64) break;
    }
    out.push({ type: type!, args, body: new Uint8Array(Buffer.from(b64, "base64")) });
  }
  return out;
}
