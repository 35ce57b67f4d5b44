// The table of cases every runtime runs (tests/runtimes/scenario.mjs runs
// them inside the runtime; each entry's `expect` checks the result in Node).
// Files to decrypt come from the Go age CLI where it is installed (an
// independent implementation) and from our Node build; what the runtime
// encrypts, Node decrypts. To cover a new recipient type, add an entry (as
// for post-quantum: ML-KEM-768 + X25519, made by our Node build, since
// Debian's Go age 1.1 predates it).
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import {
  AgeAutoDecoder, AgeEncoder, AgeRTEncoder, decodeBytes, encodeBytes, generateHybridIdentity, generateIdentity,
  identityToRecipient,
} from "../../src/index.js";
import { cryptIoDecrypt, cryptIoEncrypt } from "../../src/crypt-io/index.js";
import { goAgeAvailable } from "../helpers/go-age.js";

export interface CaseSpec {
  name: string;
  op: "decrypt" | "encrypt" | "throughput" | "cryptio-decrypt" | "cryptio-encrypt";
  [key: string]: unknown;
}

export interface CaseResult {
  name: string;
  sha256?: string;
  chunks?: number;
  error?: string;
  typed?: boolean;
  message?: string;
  file?: string;
  same?: boolean;
  mbps?: number | null;
}

export interface ScenarioOutput {
  webAssembly: string;
  wasmInstances: number;
  ready: string;
  userAgent: string | null;
  results: CaseResult[];
}

export interface Case {
  spec: CaseSpec;
  /** Checks the runtime's result for this case (vitest expect). */
  expect: (r: CaseResult) => void;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

const hashIs = (plain: Uint8Array) => (r: CaseResult) => {
  expect(r.error, r.message).toBeUndefined();
  expect(r.sha256).toBe(sha256(plain));
};
const failsWith = (name: string) => (r: CaseResult) => {
  expect(r.error).toBe(name);
  expect(r.typed).toBe(true); // an instance of the library's DecodeError in that runtime
};
const nodeDecrypts = (plain: Uint8Array, opts: ConstructorParameters<typeof AgeAutoDecoder>[0], chunks?: number) => (r: CaseResult) => {
  const parts = [...decodeBytes(Buffer.from(r.file!, "base64"), new AgeAutoDecoder(opts))];
  expect(sha256(Buffer.concat(parts))).toBe(sha256(plain));
  if (chunks !== undefined) expect(parts.length).toBe(chunks);
};

/** An X25519 file by the Go age CLI when installed (else by our encoder). */
function x25519File(plain: Uint8Array, identity: string): Uint8Array {
  const recipient = identityToRecipient(identity);
  if (!goAgeAvailable) return encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
  const dir = mkdtempSync(join(tmpdir(), "age-rt-runtimes-"));
  try {
    writeFileSync(join(dir, "plain"), plain);
    execFileSync("age", ["-r", recipient, "-o", join(dir, "plain.age"), join(dir, "plain")]);
    return readFileSync(join(dir, "plain.age"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The cases, freshly keyed. `throughputSize` is the plaintext of the timed
 * decrypt (0 leaves it out), best of `rounds`.
 */
export function scenarioCases({ throughputSize = 16 * 2 ** 20, rounds = 3 } = {}): Case[] {
  const identity = generateIdentity();
  const plain = randomBytes(300_000 + 123); // several 64 KiB chunks and a short last one
  const xFile = x25519File(plain, identity);
  const pieces = [plain.subarray(0, 5000), plain.subarray(5000, 5000), plain.subarray(5000, 90_000), plain.subarray(90_000)];
  const rtFile = encodeBytes(pieces, AgeRTEncoder.fromPassphrase("runtime pass", { workFactor: 10 }));
  const small = randomBytes(100_000);
  const mine = generateIdentity();
  const pq = generateHybridIdentity();
  const pqFile = encodeBytes([plain], AgeEncoder.fromRecipients([identityToRecipient(pq)]));
  const pqMine = generateHybridIdentity();

  const cases: Case[] = [
    { spec: { name: "X25519 file (age v1), decodeBytes", op: "decrypt", file: b64(xFile), decoder: { identities: [identity] } }, expect: hashIs(plain) },
    {
      spec: { name: "X25519 file, decryptStream over 4 KiB pieces", op: "decrypt", via: "stream", piece: 4096, file: b64(xFile), decoder: { identities: [identity] } },
      expect: hashIs(plain),
    },
    {
      spec: { name: "age-rt passphrase stream, aiterDecodeChunks over 1000-byte pieces", op: "decrypt", via: "aiter", piece: 1000, file: b64(rtFile), decoder: { passphrase: "runtime pass" } },
      // The writer's chunks come back as they were written (the empty one too; above
      // maxChunkSize, 64 KiB, split), then the empty final chunk.
      expect: (r) => {
        hashIs(plain)(r);
        expect(r.chunks).toBe(pieces.reduce((n, p) => n + Math.max(1, Math.ceil(p.length / 65536)), 0) + 1);
      },
    },
    { spec: { name: "age-rt passphrase stream, decryptStream", op: "decrypt", via: "stream", piece: 3000, file: b64(rtFile), decoder: { passphrase: "runtime pass" } }, expect: hashIs(plain) },
    {
      spec: { name: "X25519 file, decryptReadable over a byte stream of 4 KiB pieces", op: "decrypt", via: "readable", piece: 4096, file: b64(xFile), decoder: { identities: [identity] } },
      expect: hashIs(plain),
    },
    {
      spec: { name: "age-rt passphrase stream, decryptReadable over a byte stream", op: "decrypt", via: "readable", piece: 3000, file: b64(rtFile), decoder: { passphrase: "runtime pass" } },
      // Bytes, not chunks: a host may hand a byte stream's reads out in its own sizes (workerd: 4 KiB).
      expect: hashIs(plain),
    },
    { spec: { name: "wrong passphrase: typed error", op: "decrypt", file: b64(rtFile), decoder: { passphrase: "wrong" } }, expect: failsWith("NoIdentityMatchError") },
    {
      // Cut after the last full chunk (the final one, 16 + 300123 % 65536 bytes, is gone).
      spec: { name: "truncated X25519 file: typed error", op: "decrypt", via: "stream", piece: 4096, file: b64(xFile.subarray(0, xFile.length - 16 - (plain.length % 65536))), decoder: { identities: [identity] } },
      expect: failsWith("StreamTruncatedError"),
    },
    { spec: { name: "post-quantum file (ML-KEM-768 + X25519), decodeBytes", op: "decrypt", file: b64(pqFile), decoder: { identities: [pq] } }, expect: hashIs(plain) },
    {
      spec: { name: "post-quantum file, decryptStream over 4 KiB pieces", op: "decrypt", via: "stream", piece: 4096, file: b64(pqFile), decoder: { identities: [pq] } },
      expect: hashIs(plain),
    },
    {
      spec: { name: "encrypt to a post-quantum recipient, encryptStream; Node decrypts", op: "encrypt", via: "stream", piece: 4096, plain: b64(small), encoder: { recipients: [identityToRecipient(pqMine)] } },
      expect: nodeDecrypts(small, { identities: [pqMine] }),
    },
    {
      spec: { name: "encrypt to X25519 (encodeBytes); Node decrypts", op: "encrypt", plain: b64(small), encoder: { recipients: [identityToRecipient(mine)] } },
      expect: nodeDecrypts(small, { identities: [mine] }),
    },
    {
      spec: { name: "encrypt age v1 passphrase, encryptStream over 4 KiB pieces; Node decrypts", op: "encrypt", via: "stream", piece: 4096, plain: b64(small), encoder: { passphrase: "made here", workFactor: 10 } },
      expect: nodeDecrypts(small, { passphrase: "made here" }),
    },
    {
      spec: { name: "encrypt age-rt passphrase, encryptStream (one chunk per write); Node decrypts", op: "encrypt", via: "stream", piece: 30_000, plain: b64(small), encoder: { format: "age-rt", passphrase: "live", workFactor: 10 } },
      expect: nodeDecrypts(small, { passphrase: "live" }, Math.ceil(small.length / 30_000) + 1),
    },
    {
      spec: { name: "encrypt age-rt passphrase, encryptReadable (one chunk per piece); Node decrypts", op: "encrypt", via: "readable", piece: 30_000, plain: b64(small), encoder: { format: "age-rt", passphrase: "live", workFactor: 10 } },
      expect: nodeDecrypts(small, { passphrase: "live" }, Math.ceil(small.length / 30_000) + 1),
    },
  ];
  cases.push(...cryptIoCases(plain, small));
  if (throughputSize > 0) {
    cases.push({
      spec: { name: "throughput", op: "throughput", size: throughputSize, rounds },
      expect: (r) => expect(r.same).toBe(true),
    });
  }
  return cases;
}

/**
 * crypt-io (age-rt/crypt-io) in the runtime: streams made here by our Node
 * build (checked against node:crypto and the crate's vectors in this
 * repository's tests), with chunks of 4 and 64 KiB so that AES-256-GCM runs
 * the SIMD build's lane GHASH (from 128 blocks, 2 KiB) and, at 64 KiB, the
 * round-1 counter cache (from 6 KiB); and a stream the runtime writes, which
 * Node reads.
 */
export function cryptIoCases(plain: Uint8Array = randomBytes(300_000 + 123), small: Uint8Array = randomBytes(100_000)): Case[] {
  const key = randomBytes(32);
  const hex = Buffer.from(key).toString("hex");
  const aes = cryptIoEncrypt(plain, key, { algorithm: "aes-256-gcm", chunkSizeLog2: 16 });
  const aesV1 = cryptIoEncrypt(plain, key, { algorithm: "aes-256-gcm", chunkSizeLog2: 12, version: 1 });
  const xchacha = cryptIoEncrypt(plain, key, { algorithm: "xchacha20-poly1305", chunkSizeLog2: 16 });
  const flipped = Uint8Array.from(aes);
  flipped[flipped.length >> 1]! ^= 0x20; // inside a middle chunk
  return [
    { spec: { name: "crypt-io v2 AES-256-GCM, 64 KiB chunks, cryptIoDecrypt", op: "cryptio-decrypt", file: b64(aes), key: hex }, expect: hashIs(plain) },
    {
      spec: { name: "crypt-io v1 AES-256-GCM, 4 KiB chunks, decryptStream over 3000-byte pieces", op: "cryptio-decrypt", via: "stream", piece: 3000, file: b64(aesV1), key: hex },
      expect: hashIs(plain),
    },
    { spec: { name: "crypt-io v2 XChaCha20-Poly1305, cryptIoDecrypt", op: "cryptio-decrypt", file: b64(xchacha), key: hex }, expect: hashIs(plain) },
    { spec: { name: "crypt-io AES-256-GCM, a flipped bit: typed error", op: "cryptio-decrypt", file: b64(flipped), key: hex }, expect: failsWith("ChunkAuthenticationError") },
    {
      spec: { name: "encrypt crypt-io AES-256-GCM, 64 KiB chunks; Node decrypts", op: "cryptio-encrypt", plain: b64(small), key: hex, options: { algorithm: "aes-256-gcm", chunkSizeLog2: 16 } },
      expect: (r) => expect(sha256(cryptIoDecrypt(Buffer.from(r.file!, "base64"), key))).toBe(sha256(small)),
    },
  ];
}

/** Checks every result against its case (in order, by name). */
export function checkScenario(cases: Case[], out: ScenarioOutput): void {
  expect(out.results.map((r) => r.name)).toEqual(cases.map((c) => c.spec.name));
  for (const [i, c] of cases.entries()) {
    try {
      c.expect(out.results[i]!);
    } catch (e) {
      throw new Error(`case "${c.spec.name}": ${(e as Error).message}`);
    }
  }
}

/** The MB/s of the throughput case, if it ran and the clock ran. */
export function throughputOf(out: ScenarioOutput): number | null {
  return out.results.find((r) => r.name === "throughput")?.mbps ?? null;
}
