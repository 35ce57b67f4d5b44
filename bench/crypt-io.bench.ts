// crypt-io streams (CRYPT-IO.md): in-memory encrypt and decrypt of 128 MiB
// through cryptIoEncrypt / cryptIoDecrypt (version 2, 64 KiB chunks) for each
// algorithm, against our own age v1 (X25519, encodeBytes / decodeBytes) in
// the same process, interleaved, medians. The target: crypt-io with
// ChaCha20-Poly1305 within 10% of age v1's throughput.
//
//   npm run bench -- crypt-io
import { cpus, loadavg } from "node:os";
import { cryptIoDecrypt, cryptIoEncrypt, type CryptIoAlgorithm } from "../src/crypt-io/index.js";
import { AgeDecoder, AgeEncoder, decodeBytes, encodeBytes, generateIdentity, identityToRecipient } from "../src/index.js";
import { interleaved, MB, writeSection } from "./harness.js";

const SIZE = 128 * 1024 * 1024;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const loadBefore = loadavg()[0]!;
const data = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
const key = crypto.getRandomValues(new Uint8Array(32));
const identity = generateIdentity();
const recipient = identityToRecipient(identity);

function ageDecode(file: Uint8Array): Uint8Array {
  const out = new Uint8Array(SIZE);
  let o = 0;
  for (const chunk of decodeBytes(file, new AgeDecoder({ identities: [identity] }))) {
    out.set(chunk, o);
    o += chunk.length;
  }
  return out;
}

const ALGS: CryptIoAlgorithm[] = ["chacha20-poly1305", "xchacha20-poly1305", "aes-256-gcm"];
const files = new Map<string, Uint8Array>([["age v1", encodeBytes([data], AgeEncoder.fromRecipients([recipient]))]]);
for (const a of ALGS) files.set(a, cryptIoEncrypt(data, key, { algorithm: a }));
for (const [name, file] of files) {
  const back = name === "age v1" ? ageDecode(file) : cryptIoDecrypt(file, key);
  if (Buffer.compare(back, data) !== 0) throw new Error(`${name} does not round-trip`);
}

const results = new Map<string, { enc: number; dec: number }>();
// AES-256-GCM is measured on its own, after: at ~100 MB/s it would dominate the interleaved rounds.
for (const group of [["age v1", "chacha20-poly1305", "xchacha20-poly1305"], ["aes-256-gcm"]]) {
  const enc = await interleaved(group.map((name) => ({
    name,
    run: () => (name === "age v1" ? encodeBytes([data], AgeEncoder.fromRecipients([recipient])) : cryptIoEncrypt(data, key, { algorithm: name as CryptIoAlgorithm })),
  })), group.length === 1 ? 1 : ROUNDS, group.length === 1 ? 0 : 1, { isolate: true });
  const dec = await interleaved(group.map((name) => ({
    name,
    run: () => (name === "age v1" ? ageDecode(files.get(name)!) : cryptIoDecrypt(files.get(name)!, key)),
  })), group.length === 1 ? 1 : ROUNDS, group.length === 1 ? 0 : 1, { isolate: true });
  for (const name of group) results.set(name, { enc: SIZE / MB / (enc.get(name)! / 1000), dec: SIZE / MB / (dec.get(name)! / 1000) });
}
for (const [n, r] of results) console.log(`${n}: encrypt ${r.enc.toFixed(0)} MB/s, decrypt ${r.dec.toFixed(0)} MB/s`);

const age = results.get("age v1")!;
const cc = results.get("chacha20-poly1305")!;
const f2 = (v: number) => v.toFixed(2) + "×";
const met = (ok: boolean) => (ok ? "met" : "**not met**");
writeSection("crypt-io", `
## crypt-io streams, 128 MiB in memory (crypt-io)

\`npm run bench -- crypt-io\` — \`cryptIoEncrypt\` / \`cryptIoDecrypt\` (version 2, 64 KiB chunks) against our
age v1 (\`encodeBytes\` / \`decodeBytes\` with \`AgeEncoder\` / \`AgeDecoder\`, X25519), 128 MiB of plaintext,
one process, ${ROUNDS} interleaved rounds with a full GC before each run, medians (AES-256-GCM alone, one run).
CPU: ${cpus()[0]?.model ?? "unknown"}; 2 cores shared with other work, 1-minute load average ${loadBefore.toFixed(1)}
at the start and ${loadavg()[0]!.toFixed(1)} at the end.

| stream | encrypt MB/s | decrypt MB/s | encrypt vs age v1 | decrypt vs age v1 |
|---|---:|---:|---:|---:|
${[...results].map(([n, r]) => `| ${n === "age v1" ? "age v1 (ChaCha20-Poly1305)" : `crypt-io v2 ${n}`} | ${r.enc.toFixed(0)} | ${r.dec.toFixed(0)} | ${f2(r.enc / age.enc)} | ${f2(r.dec / age.dec)} |`).join("\n")}

| target | wanted | measured | |
|---|---:|---:|---|
| crypt-io ChaCha20-Poly1305 encrypt vs age v1 | ≥ 0.90× | ${f2(cc.enc / age.enc)} | ${met(cc.enc / age.enc >= 0.9)} |
| crypt-io ChaCha20-Poly1305 decrypt vs age v1 | ≥ 0.90× | ${f2(cc.dec / age.dec)} | ${met(cc.dec / age.dec >= 0.9)} |
`);
