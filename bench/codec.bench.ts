// Issue 3's performance targets, measured side by side in one process:
// in-memory encrypt and decrypt of 128 MiB through the public API (X25519,
// age v1 and age-rt) against typage (`age-encryption`, pure JS) and against
// node:crypto doing the same chunk work (64 KiB ChaCha20-Poly1305 STREAM
// with the same nonce schedule, native OpenSSL); and opening a work-factor-18
// passphrase file against node:crypto's bare scrypt and typage.
//
// bench/run.mjs runs it twice: as Node starts by default, and with glibc's
// malloc asking for transparent huge pages (GLIBC_TUNABLES=
// glibc.malloc.hugetlb=1, what THP "always" gives every process on the
// distributions that default to it). On this VM a first touch of a 4 KiB
// page costs about 3 µs, so a fresh 128 MiB result, which every in-memory
// implementation returns, takes 120-160 ms with 4 KiB pages and ~30 ms with
// 2 MiB ones. Both runs put every peer in the same process, under the same
// setting; the second is a diagnosis (typage mostly slows under it, OpenSSL gains).
//   npm run bench -- codec
import { createCipheriv, createDecipheriv, scryptSync } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { Decrypter, Encrypter } from "age-encryption";
import {
  AgeDecoder, AgeEncoder, AgeRTDecoder, AgeRTEncoder, decodeBytes, encodeBytes, generateIdentity, identityToRecipient,
} from "../src/index.js";
import { newInstance } from "../src/wasm/loader.js";
import { interleaved, MB, writeSection } from "./harness.js";

const SIZE = 128 * 1024 * 1024;
const CHUNK = 65536;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const HUGE_PAGES = /glibc\.malloc\.hugetlb=1/.test(process.env.GLIBC_TUNABLES ?? "");

/** KiB of this process's anonymous memory in transparent huge pages (Linux), or null where unknown. */
function anonHugeKiB(): number | null {
  if (!existsSync("/proc/self/smaps_rollup")) return null;
  const m = /AnonHugePages:\s+(\d+) kB/.exec(readFileSync("/proc/self/smaps_rollup", "utf8"));
  return m === null ? null : Number(m[1]);
}

const data = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i += 65536) crypto.getRandomValues(data.subarray(i, i + 65536));
const identity = generateIdentity();
const recipient = identityToRecipient(identity);

function decodeInto(file: Uint8Array, dec: AgeDecoder | AgeRTDecoder): Uint8Array {
  const out = new Uint8Array(SIZE); // like typage: one contiguous plaintext
  let o = 0;
  for (const chunk of decodeBytes(file, dec)) {
    out.set(chunk, o);
    o += chunk.length;
  }
  if (o !== SIZE) throw new Error("short decode");
  return out;
}

// node:crypto doing exactly the STREAM chunk work (no header, no key schedule).
const key = crypto.getRandomValues(new Uint8Array(32));
function nonce(i: number, final: boolean): Uint8Array {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setUint32(7, i);
  n[11] = final ? 1 : 0;
  return n;
}
function nodeSeal(pt: Uint8Array): Uint8Array {
  const chunks = Math.ceil(pt.length / CHUNK);
  const out = new Uint8Array(pt.length + 16 * chunks);
  for (let i = 0; i < chunks; i++) {
    const c = createCipheriv("chacha20-poly1305", key, nonce(i, i === chunks - 1), { authTagLength: 16 });
    const body = c.update(pt.subarray(i * CHUNK, (i + 1) * CHUNK));
    c.final();
    out.set(body, i * (CHUNK + 16));
    out.set(c.getAuthTag(), i * (CHUNK + 16) + body.length);
  }
  return out;
}
function nodeOpen(ct: Uint8Array): Uint8Array {
  const chunks = Math.ceil(ct.length / (CHUNK + 16));
  const out = new Uint8Array(ct.length - 16 * chunks);
  for (let i = 0; i < chunks; i++) {
    const sealed = ct.subarray(i * (CHUNK + 16), (i + 1) * (CHUNK + 16));
    const d = createDecipheriv("chacha20-poly1305", key, nonce(i, i === chunks - 1), { authTagLength: 16 });
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    out.set(d.update(sealed.subarray(0, sealed.length - 16)), i * CHUNK);
    d.final();
  }
  return out;
}

// The WebAssembly core alone: the same 2048 chunks sealed or opened 16 at a
// time between two warm 1 MiB windows of its memory, which is what the
// codec does per run minus the copies in and out of JS memory.
type CoreExports = {
  memory: WebAssembly.Memory;
  aead_key_ptr(): number;
  aead_reserve(bytes: number): number;
  aead_stream_seal_chunks(src: number, dst: number, n: number, size: number, hi: number, lo: number): void;
  aead_stream_open_chunks(src: number, dst: number, n: number, size: number, hi: number, lo: number): number;
};
const RUN = 16;
const core = newInstance()!.exports as unknown as CoreExports;
const plainAt = core.aead_reserve(0);
const sealedAt = plainAt + RUN * CHUNK;
if (core.aead_reserve(2 * RUN * (CHUNK + 16)) === 0) throw new Error("core memory");
const coreMem = () => new Uint8Array(core.memory.buffer);
function coreSeal(): void {
  for (let k = 0; k < SIZE / CHUNK; k += RUN) {
    coreMem().set(key, core.aead_key_ptr()); // the core wipes its key slot on return
    core.aead_stream_seal_chunks(plainAt, sealedAt, RUN, CHUNK, 0, k);
  }
}
function coreOpen(): void {
  coreMem().set(key, core.aead_key_ptr());
  core.aead_stream_seal_chunks(plainAt, sealedAt, RUN, CHUNK, 0, 0); // frames that authenticate under counters 0..15
  for (let k = 0; k < SIZE / CHUNK; k += RUN) {
    coreMem().set(key, core.aead_key_ptr());
    if (core.aead_stream_open_chunks(sealedAt, plainAt, RUN, CHUNK, 0, 0) !== RUN) throw new Error("core open");
  }
}

async function main(): Promise<void> {
  const ourV1 = encodeBytes([data], AgeEncoder.fromRecipients([recipient]));
  const ourRt = encodeBytes([data], AgeRTEncoder.fromRecipients([recipient]));
  const nodeCt = nodeSeal(data);
  const typEnc = new Encrypter();
  typEnc.addRecipient(recipient);
  const typCt = await typEnc.encrypt(data);
  const typDec = new Decrypter();
  typDec.addIdentity(identity);
  // Cross-check before timing: each decrypts what the others made.
  if (Buffer.compare(decodeInto(typCt, new AgeDecoder({ identities: [identity] })), data) !== 0) throw new Error("typage → ours");
  if (Buffer.compare(await typDec.decrypt(ourV1), data) !== 0) throw new Error("ours → typage");
  const hugeKiB = anonHugeKiB(); // with the inputs and ciphertexts (4 × 128 MiB) live

  const enc = await interleaved([
    { name: "ours age v1", run: () => encodeBytes([data], AgeEncoder.fromRecipients([recipient])) },
    { name: "ours age-rt", run: () => encodeBytes([data], AgeRTEncoder.fromRecipients([recipient])) },
    { name: "node:crypto", run: () => nodeSeal(data) },
    { name: "typage", run: () => typEnc.encrypt(data) },
    // What returning a fresh 128 MiB array costs by itself: allocating it and writing it once.
    { name: "fresh array", run: () => new Uint8Array(SIZE + 64).fill(1) },
    { name: "core alone", run: coreSeal },
  ], ROUNDS, 1, { isolate: true });
  const dec = await interleaved([
    { name: "ours age v1", run: () => decodeInto(ourV1, new AgeDecoder({ identities: [identity] })) },
    { name: "ours age-rt", run: () => decodeInto(ourRt, new AgeRTDecoder({ identities: [identity] })) },
    // For reference: the plaintext as decodeBytes gives it, chunks the caller owns, kept without copying.
    { name: "ours age v1 chunks", run: () => [...decodeBytes(ourV1, new AgeDecoder({ identities: [identity] }))] },
    { name: "node:crypto", run: () => nodeOpen(nodeCt) },
    { name: "typage", run: () => typDec.decrypt(typCt) },
    { name: "core alone", run: coreOpen },
  ], ROUNDS, 1, { isolate: true });

  // Opening a passphrase file (work factor 18): dominated by scrypt N=2^18, r=8.
  const pw = "correct horse battery staple";
  const small = new Uint8Array(1000);
  const ourPw = encodeBytes([small], AgeEncoder.fromPassphrase(pw, { workFactor: 18 }));
  const typPwDec = new Decrypter();
  typPwDec.addPassphrase(pw);
  const salt = crypto.getRandomValues(new Uint8Array(44));
  const open = await interleaved([
    { name: "ours", run: () => [...decodeBytes(ourPw, new AgeDecoder(pw))] },
    { name: "node:crypto scryptSync", run: () => scryptSync(pw, salt, 32, { N: 2 ** 18, r: 8, p: 1, maxmem: 512 * 2 ** 20 }) },
    { name: "typage", run: () => typPwDec.decrypt(ourPw) },
  ], ROUNDS, 1, { isolate: true });

  const mbps = (ms: number) => SIZE / MB / (ms / 1000);
  const row = (label: string, m: Map<string, number>, ours: string) => {
    const o = mbps(m.get(ours)!);
    const n = mbps(m.get("node:crypto")!);
    const t = mbps(m.get("typage")!);
    return `| ${label} | ${o.toFixed(0)} | ${n.toFixed(0)} | ${t.toFixed(0)} | ${(o / n).toFixed(2)}× | ${(o / t).toFixed(1)}× |`;
  };
  const oursOpen = open.get("ours")!;
  const fresh = enc.get("fresh array")!;
  const coreEnc = enc.get("core alone")!;
  const coreDec = dec.get("core alone")!;
  const partsEnc = fresh + coreEnc;
  const partsDec = fresh + coreDec;
  const pages = hugeKiB === null ? "unknown on this system" : `${(hugeKiB / 1024).toFixed(0)} MiB`;
  const title = HUGE_PAGES
    ? `## Codec with huge pages for malloc'd memory (issue 3, diagnosis)

The same benchmark, run by \`npm run bench -- codec\` a second time with
\`GLIBC_TUNABLES=glibc.malloc.hugetlb=1\`: glibc's malloc, which allocates every
ArrayBuffer's memory in Node, then asks the kernel for transparent huge pages,
as the kernel setting THP "always" does for every process (RHEL-family systems
ship with it; this machine's kernel is set to "madvise", where only memory that
asks gets huge pages, and nothing in Node asks). All peers run in this one
process under that setting. It shows what the first-touch page faults of the
previous section cost (compare the fresh-array line). The target is not judged
here: the peers move too, typage mostly slower under this setting and native
OpenSSL faster (compare their figures with the previous section's).`
    : `## Codec: in-memory encrypt/decrypt and passphrase open (issue 3)

Command: \`npm run bench -- codec\` — 128 MiB through the public API, X25519,
${ROUNDS} interleaved rounds, each run after a full garbage collection, medians. node:crypto does the same 64 KiB STREAM
chunk work with native OpenSSL (no header); typage is \`age-encryption\` (pure JS).
Ours decrypts into one contiguous array, like typage, which is what the target is judged on; the
reference row keeps the chunks \`decodeBytes\` yields instead (no copy into one array).
Node as it starts by default: 4 KiB pages.
The next section runs the same with huge pages.`;
  const md = `${title}
Memory in transparent huge pages with the inputs live: ${pages}.

| path | ours MB/s | node:crypto MB/s | typage MB/s | ours / node:crypto | ours / typage |
|---|---|---|---|---|---|
${row("encrypt age v1", enc, "ours age v1")}
${row("encrypt age-rt", enc, "ours age-rt")}
${row("decrypt age v1", dec, "ours age v1")}
${row("decrypt age-rt", dec, "ours age-rt")}
${row("(reference) decrypt age v1, the chunks kept as yielded", dec, "ours age v1 chunks")}

Targets: ≥ 8× typage and ≥ 0.5× node:crypto.

What the ratio to typage leaves: at 8× typage, encrypting the 128 MiB may take ${(enc.get("typage")! / 8).toFixed(0)} ms and
decrypting ${(dec.get("typage")! / 8).toFixed(0)} ms. Two parts that no implementation with this core avoids, medians of the same rounds:
- allocating a fresh 128 MiB array and writing it once: ${fresh.toFixed(0)} ms (${mbps(fresh).toFixed(0)} MB/s), paid by every in-memory
  call that returns a new array (encrypt's result, decrypt's contiguous output); on this virtual machine
  it varies several-fold between runs (first-touch page faults, memory the host reclaims);
- the WebAssembly core alone, no JS copies (see the code): seal ${coreEnc.toFixed(0)} ms, open ${coreDec.toFixed(0)} ms.

Together ${partsEnc.toFixed(0)} ms for encrypt (${(enc.get("typage")! / partsEnc).toFixed(1)}× typage) and ${partsDec.toFixed(0)} ms for decrypt (${(dec.get("typage")! / partsDec).toFixed(1)}× typage).
Both parts vary from round to round, so their sum is a guide rather than a bound: a run of ours
can land below it.

| open a work-factor-18 passphrase file | time |
|---|---|
| ours (whole decode) | ${(oursOpen / 1000).toFixed(2)} s |
| node:crypto scryptSync alone (N=2^18, r=8, p=1) | ${(open.get("node:crypto scryptSync")! / 1000).toFixed(2)} s |
| typage (whole decode) | ${(open.get("typage")! / 1000).toFixed(2)} s |
| ours / node:crypto bare scrypt | ${(oursOpen / open.get("node:crypto scryptSync")!).toFixed(2)}× (target ≤ 1.0) |
`;
  console.log(md);
  writeSection(HUGE_PAGES ? "codec.with-huge-pages" : "codec", md);
}

await main();
