// scrypt at age's passphrase parameters (N = 2^18, r = 8, p = 1, 32 bytes):
// our WebAssembly core against node:crypto (OpenSSL, native), hash-wasm
// (C compiled to WebAssembly) and @noble/hashes (pure JS), interleaved.
// Peak memory is measured per implementation in a child process of its own
// (maxRSS growth over one derivation, then RSS after a GC).
//
//   npm run bench -- scrypt
import { execFileSync } from "node:child_process";
import { scryptSync } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { scrypt as nobleScrypt } from "@noble/hashes/scrypt.js";
import { scrypt as hashWasmScrypt } from "hash-wasm";
import { interleaved, writeSection } from "./harness.js";
import { newInstance } from "../src/wasm/loader.js";
import { wasmScrypt } from "../src/wasm/scrypt.js";

const LOG_N = 18, N = 2 ** LOG_N, R = 8, P = 1, DK = 32;
const ROUNDS = 7;
const MiB = 2 ** 20;
const password = new TextEncoder().encode("correct horse battery staple");
const salt = new TextEncoder().encode("0123456789abcdef");

const ours = wasmScrypt();
if (ours === null) throw new Error("the WebAssembly core cannot be instantiated here");

const impls: Record<string, () => unknown> = {
  "age-rt (WASM)": () => ours(password, salt, LOG_N, R, P, DK),
  "node:crypto": () => scryptSync(password, salt, DK, { N, r: R, p: P, maxmem: 512 * MiB }),
  "hash-wasm": () => hashWasmScrypt({ password, salt, costFactor: N, blockSize: R, parallelism: P, hashLength: DK, outputType: "binary" }),
  "@noble/hashes": () => nobleScrypt(password, salt, { N, r: R, p: P, dkLen: DK, maxmem: 512 * MiB }),
};
const OURS = "age-rt (WASM)";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

// Child mode: one derivation of one implementation, report memory figures as JSON.
if (process.argv[2] === "--memory-of") {
  const name = process.argv[3]!;
  gc();
  const before = process.memoryUsage().rss;
  await impls[name]!();
  const peak = process.resourceUsage().maxRSS * 1024;
  // Collect what the derivation left (WeakRefs hold on until the job ends);
  // V8 frees large backing stores on a background thread, so give it time.
  let after = Infinity;
  for (let k = 0; k < 10 && after - before > 16 * MiB; k++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    after = process.memoryUsage().rss;
  }
  console.log(JSON.stringify({ before, peak, after }));
  process.exit(0);
}

/** The time to zero a 256 MiB region with memory.fill (the wipe ours does on every derivation). */
function wipeCost(): number {
  const core = newInstance()!.exports as unknown as {
    memory: WebAssembly.Memory; scrypt_base(): number; scrypt_reserve(pages: number): number; scrypt_wipe(ptr: number, len: number): void;
  };
  const base = core.scrypt_base(), len = 128 * R * N;
  core.scrypt_reserve(Math.ceil((base + len) / 65536));
  new Uint8Array(core.memory.buffer, base, len).fill(1); // resident, like V after ROMix
  const samples: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    core.scrypt_wipe(base, len);
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[2]!;
}

function memoryOf(name: string): { before: number; peak: number; after: number } {
  const out = execFileSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--memory-of", name], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

const loadBefore = loadavg()[0]!;
// All four must agree before anything is timed.
const want = Buffer.from(scryptSync(password, salt, DK, { N, r: R, p: P, maxmem: 512 * MiB })).toString("hex");
for (const [name, run] of Object.entries(impls)) {
  const got = Buffer.from((await run()) as Uint8Array).toString("hex");
  if (got !== want) throw new Error(`${name} disagrees with node:crypto`);
}

const times = await interleaved(
  // A full GC closes each run, inside its time: implementations that leave
  // their memory to the GC (a WebAssembly instance, a typed array) pay for
  // collecting it, as node:crypto pays for its free() inside the call.
  Object.entries(impls).map(([name, run]) => ({ name, run: async () => { await run(); gc(); } })),
  ROUNDS, 0, // the agreement check above was the warm-up
);
const mem = Object.fromEntries(Object.keys(impls).map((name) => [name, memoryOf(name)]));
const wipeMs = wipeCost();

const t = (name: string) => times.get(name)! / 1000;
const ratioNode = t(OURS) / t("node:crypto");
const ratioHashWasm = t(OURS) / t("hash-wasm");
const memBound = 128 * N * R + 16 * MiB;
const oursMem = mem[OURS]!;
const peakGrowth = oursMem.peak - oursMem.before;
const released = oursMem.after - oursMem.before;
const yes = (ok: boolean) => (ok ? "**met**" : "**not met**");
const mib = (b: number) => (b / MiB).toFixed(1);

const rows = Object.keys(impls).map((name) =>
  `| ${name} | ${t(name).toFixed(3)} | ${name === OURS ? "—" : (t(OURS) / t(name)).toFixed(2)} | ` +
  `${mib(mem[name]!.peak - mem[name]!.before)} | ${mib(mem[name]!.after - mem[name]!.before)} |`);

const md = `
## scrypt

\`npm run bench -- scrypt\` — scrypt N = 2^${LOG_N}, r = ${R}, p = ${P}, dkLen = ${DK} (an age passphrase file),
median of ${ROUNDS} interleaved rounds, each run timed together with a full GC after it (so that
leaving 256 MiB to the collector is not free), Node ${process.version}. The machine is shared: load average
${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores during the run, which inflates the absolute times; the ratios
come from interleaved runs.
Memory: one derivation per implementation in a child process of its own: growth of the peak RSS
over the RSS before it, and the RSS after it with a GC, both relative to that RSS before.

| implementation | time (s) | ours / this (time; ≤ 1 = we are at least as fast) | peak RSS growth (MiB) | RSS after GC (MiB) |
|---|---:|---:|---:|---:|
${rows.join("\n")}

Targets:
- time ≤ node:crypto (native OpenSSL): ${ratioNode.toFixed(2)} ${yes(ratioNode <= 1.0)}
- time ≤ 0.8 × hash-wasm: ${ratioHashWasm.toFixed(2)} ${yes(ratioHashWasm <= 0.8)}
- peak memory ≤ 128·N·r + 16 MiB = ${mib(memBound)} MiB: ${mib(peakGrowth)} MiB ${yes(peakGrowth <= memBound)}
- memory released after: RSS ${mib(released)} MiB above where it started ${yes(released <= 16 * MiB)}

Wiping the 256 MiB of V (memory.fill, on every derivation, included in the time above): ${wipeMs.toFixed(1)} ms.
`;
console.log(md);
writeSection("scrypt", md);
