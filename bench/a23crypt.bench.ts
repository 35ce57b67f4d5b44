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
`);
