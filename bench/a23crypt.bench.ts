// a23crypt (A23CRYPT.md): 64 MiB encrypt and decrypt in memory through
// A23Encoder / A23Decoder (encodeBytes / decodeBytes: the bytes API stops at
// 1 MiB), uncompressed and at zstd level 3, on the WebAssembly path
// (AES-256-GCM, ChaCha20-Poly1305, SHAKE-256 and the noise loop in the
// core) against the pure-JS path of the same code (@noble/ciphers,
// @noble/hashes, the JS noise loop; the `_backend: "js"` option). zstd is
// the same WebAssembly library on both paths. One process, interleaved
// rounds with a full GC before each run, medians. Target: WebAssembly ≥ 4×
// the pure-JS path, uncompressed.
//
//   npm run bench -- a23crypt
import { A23Decoder, A23Encoder, ready } from "../src/a23crypt/index.js";
import { decodeBytes, encodeBytes } from "../src/index.js";
import { shake256 } from "@noble/hashes/sha3.js";
import { jsNoise } from "../src/a23crypt/noise.js";
import { coreInstance } from "../src/wasm/aead.js";
import { noiseOver } from "../src/wasm/noise.js";
import { interleaved, machineLine, MB, writeSection } from "./harness.js";

const SIZE = 64 * 1024 * 1024;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
await ready();
const machineBefore = await machineLine();

// Log-like text: compresses about 3× at level 3, like the records a23crypt is made for.
const data = new Uint8Array(SIZE);
{
  const enc = new TextEncoder();
  const rnd = new Uint8Array(8);
  let o = 0;
  for (let i = 0; o < SIZE; i++) {
    crypto.getRandomValues(rnd);
    const id = Array.from(rnd, (b) => b.toString(16).padStart(2, "0")).join("");
    const line = enc.encode(`2026-12-06T07:${String(i % 60).padStart(2, "0")}:00.${i % 1000}Z INFO request id=${id} path=/api/v1/items/${i % 9973} status=200 bytes=${rnd[0]! * 17}\n`);
    data.set(line.subarray(0, SIZE - o), o);
    o += line.length;
  }
}
const keys = { serverKey: crypto.getRandomValues(new Uint8Array(32)), clientKey: crypto.getRandomValues(new Uint8Array(32)), recordKey: new TextEncoder().encode("bench-record") };

type Path = "wasm" | "js";
const backendOf = (p: Path) => (p === "wasm" ? "auto" : "js");
const encrypt = (p: Path, level: number) => encodeBytes([data], new A23Encoder(keys, { compressLevel: level, _backend: backendOf(p) }));
function decrypt(p: Path, rec: Uint8Array): Uint8Array {
  const out = new Uint8Array(SIZE);
  let o = 0;
  for (const chunk of decodeBytes(rec, new A23Decoder(keys, { _backend: backendOf(p) }))) {
    out.set(chunk, o);
    o += chunk.length;
  }
  return out;
}

const results: { level: number; path: Path; enc: number; dec: number; size: number }[] = [];
for (const level of [0, 3]) {
  const records = new Map<Path, Uint8Array>();
  for (const p of ["wasm", "js"] as const) {
    records.set(p, encrypt(p, level));
    if (Buffer.compare(decrypt(p === "wasm" ? "js" : "wasm", records.get(p)!), data) !== 0) throw new Error(`${p} level ${level} does not round-trip across paths`);
  }
  const enc = await interleaved((["wasm", "js"] as const).map((p) => ({ name: p, run: () => encrypt(p, level) })), ROUNDS, 0, { isolate: true });
  const dec = await interleaved((["wasm", "js"] as const).map((p) => ({ name: p, run: () => decrypt(p, records.get(p)!) })), ROUNDS, 0, { isolate: true });
  for (const p of ["wasm", "js"] as const) {
    results.push({ level, path: p, enc: SIZE / MB / (enc.get(p)! / 1000), dec: SIZE / MB / (dec.get(p)! / 1000), size: records.get(p)!.length });
  }
}
for (const r of results) console.log(`level ${r.level} ${r.path}: encrypt ${r.enc.toFixed(1)} MB/s, decrypt ${r.dec.toFixed(1)} MB/s, record ${(r.size / 2 ** 20).toFixed(1)} MiB`);

// The noise layer alone over 64 MiB in 64 KiB pieces, and SHAKE-256 alone for the ~17 MiB of keystream that takes:
// whether Keccak in WebAssembly is worth it (issue 17 asked to measure it).
const wasmLayer = noiseOver(coreInstance()!);
const seed = new Uint8Array(16).fill(9);
const KEYSTREAM = 17 * 2 ** 20;
const noise = await interleaved([
  { name: "noise wasm", run: () => { for (let i = 0; i < SIZE; i += 65536) wasmLayer.add(data.subarray(i, i + 65536), seed); } },
  { name: "noise js", run: () => { for (let i = 0; i < SIZE; i += 65536) jsNoise.add(data.subarray(i, i + 65536), seed); } },
  { name: "shake wasm", run: () => { for (let i = 0; i < KEYSTREAM; i += 1 << 20) wasmLayer.shake256(seed, 1 << 20); } },
  { name: "shake js", run: () => { for (let i = 0; i < KEYSTREAM; i += 1 << 20) shake256(seed, { dkLen: 1 << 20 }); } },
], ROUNDS, 1);
const noiseRate = (name: string, bytes: number) => bytes / MB / (noise.get(name)! / 1000);
console.log(`noise layer: wasm ${noiseRate("noise wasm", SIZE).toFixed(0)} MB/s, js ${noiseRate("noise js", SIZE).toFixed(0)} MB/s; SHAKE-256 output: wasm ${noiseRate("shake wasm", KEYSTREAM).toFixed(0)} MB/s, js ${noiseRate("shake js", KEYSTREAM).toFixed(0)} MB/s`);

const get = (level: number, path: Path) => results.find((r) => r.level === level && r.path === path)!;
const f2 = (v: number) => v.toFixed(2) + "×";
const met = (ok: boolean) => (ok ? "met" : "**not met**");
const ratio = (level: number, k: "enc" | "dec") => get(level, "wasm")[k] / get(level, "js")[k];
writeSection("a23crypt", `
## a23crypt, 64 MiB in memory: WebAssembly path vs pure-JS path (a23crypt)

\`npm run bench -- a23crypt\` — \`encodeBytes\` / \`decodeBytes\` with \`A23Encoder\` / \`A23Decoder\`, 64 MiB of log-like
text, uncompressed and at zstd level 3, on the WebAssembly path (AES-256-GCM, ChaCha20-Poly1305, SHAKE-256 and the noise
loop in the core) and on the pure-JS path of the same code (\`_backend: "js"\`: @noble/ciphers, @noble/hashes' SHAKE-256,
the JS noise loop); zstd is the same WebAssembly build on both. One process, ${ROUNDS} interleaved rounds with a full GC
before each run, medians.
Machine: ${machineBefore} at the start; ${await machineLine()} at the end.

| zstd level | path | encrypt MB/s | decrypt MB/s | record size |
|---:|---|---:|---:|---:|
${results.map((r) => `| ${r.level} | ${r.path === "wasm" ? "WebAssembly" : "pure JS"} | ${r.enc.toFixed(1)} | ${r.dec.toFixed(1)} | ${(r.size / 2 ** 20).toFixed(1)} MiB |`).join("\n")}

| target | wanted | measured | |
|---|---:|---:|---|
| uncompressed encrypt, WebAssembly vs pure JS | ≥ 4× | ${f2(ratio(0, "enc"))} | ${met(ratio(0, "enc") >= 4)} |
| uncompressed decrypt, WebAssembly vs pure JS | ≥ 4× | ${f2(ratio(0, "dec"))} | ${met(ratio(0, "dec") >= 4)} |
| zstd level 3 encrypt, WebAssembly vs pure JS | (no target) | ${f2(ratio(3, "enc"))} | |
| zstd level 3 decrypt, WebAssembly vs pure JS | (no target) | ${f2(ratio(3, "dec"))} | |

Keccak in WebAssembly: the noise layer alone (NoiseAdd over the 64 MiB in 64 KiB pieces) and SHAKE-256 alone (17 MiB of
output, about what the noise layer of 64 MiB reads), same process, ${ROUNDS} interleaved rounds, medians.

| | WebAssembly MB/s | pure JS MB/s | ratio |
|---|---:|---:|---:|
| noise layer (SHAKE-256 and the byte loop) | ${noiseRate("noise wasm", SIZE).toFixed(0)} | ${noiseRate("noise js", SIZE).toFixed(0)} | ${f2(noiseRate("noise wasm", SIZE) / noiseRate("noise js", SIZE))} |
| SHAKE-256 output (assembly/a23/keccak.ts vs @noble/hashes) | ${noiseRate("shake wasm", KEYSTREAM).toFixed(0)} | ${noiseRate("shake js", KEYSTREAM).toFixed(0)} | ${f2(noiseRate("shake wasm", KEYSTREAM) / noiseRate("shake js", KEYSTREAM))} |
`);
