// AES-256-GCM seal and open (NIST SP 800-38D, 12-byte IV, no AAD): our
// constant-time WebAssembly core against @noble/ciphers (pure JS, table
// based), WebCrypto (asynchronous, native) and node:crypto (OpenSSL, AES-NI),
// in one process, interleaved, medians. Also XChaCha20-Poly1305 against our
// own ChaCha20-Poly1305 (the cost of HChaCha20 per message).
//
//   npm run bench -- gcm
import { createCipheriv, createDecipheriv, randomBytes, webcrypto } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { gcm as nobleGcm } from "@noble/ciphers/aes.js";
import { interleaved, median, writeSection, MB } from "./harness.js";
import { wasmGcm, wasmXChaCha } from "../src/wasm/gcm.js";
import { wasmAead } from "../src/wasm/aead.js";
import simdBytes from "../build/core.simd.wasm";

const loadBefore = loadavg()[0]!;
const ours = wasmGcm(), ourX = wasmXChaCha(), ourC = wasmAead();
if (ours === null || ourX === null || ourC === null) throw new Error("the WebAssembly core cannot be instantiated here");
const build = WebAssembly.validate(simdBytes) ? "SIMD" : "scalar";
const cpuFlags = (() => {
  try {
    return readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return "";
  }
})();
const avx512 = /\bavx512f\b/.test(cpuFlags) ? "avx512f present" : "no avx512f";
const aesni = /\baes\b/.test(cpuFlags) ? "AES-NI present" : "no AES-NI";

const ROUNDS = 9;

// Besides wall time (the harness), each run's CPU time (process.cpuUsage, all
// threads): on the shared 2-core machine the wall time of a run includes the
// time other processes had the core, which swings single figures by 2x; the
// CPU time does not. For the synchronous implementations (ours, @noble,
// node:crypto) it is the same quantity on an idle machine. Targets are judged
// on it; the wall-time ratios are printed next to them.
const cpuSamples = new Map<string, number[]>();
function cpuTimed(key: string, run: () => unknown | Promise<unknown>): () => Promise<void> {
  return async () => {
    const t0 = process.cpuUsage();
    await run();
    const d = process.cpuUsage(t0);
    const list = cpuSamples.get(key) ?? [];
    list.push((d.user + d.system) / 1000);
    cpuSamples.set(key, list);
  };
}
const cpuMs = (key: string) => median(cpuSamples.get(key)!);
const KiB = 1024, MiB = 1024 * KiB;
const key = randomBytes(32);
const iv = randomBytes(12);
const subtleKey = await webcrypto.subtle.importKey("raw", key, "AES-GCM", false, ["encrypt", "decrypt"]);

type Impl = { seal(pt: Uint8Array): Uint8Array | Promise<Uint8Array>; open(sealed: Uint8Array): Uint8Array | null | Promise<Uint8Array> };
const OURS = "age-rt (WASM)";
const impls: Record<string, Impl> = {
  [OURS]: { seal: (pt) => ours.seal(key, iv, pt), open: (s) => ours.open(key, iv, s) },
  "@noble/ciphers": { seal: (pt) => nobleGcm(key, iv).encrypt(pt), open: (s) => nobleGcm(key, iv).decrypt(s) },
  "WebCrypto (async)": {
    seal: async (pt) => new Uint8Array(await webcrypto.subtle.encrypt({ name: "AES-GCM", iv }, subtleKey, pt)),
    open: async (s) => new Uint8Array(await webcrypto.subtle.decrypt({ name: "AES-GCM", iv }, subtleKey, s)),
  },
  "node:crypto": {
    seal(pt) {
      const c = createCipheriv("aes-256-gcm", key, iv);
      return Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
    },
    open(s) {
      const d = createDecipheriv("aes-256-gcm", key, iv);
      d.setAuthTag(s.subarray(s.length - 16));
      return Buffer.concat([d.update(s.subarray(0, s.length - 16)), d.final()]);
    },
  },
};
const PEERS = Object.keys(impls).filter((n) => n !== OURS);
const SIZES: [string, number, number][] = [["64 KiB", 64 * KiB, 16 * MiB], ["1 KiB", KiB, 4 * MiB]];
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
type Row = { size: string; op: string; mbps: Map<string, number>; cpu: Map<string, number> };
const rows: Row[] = [];

for (const [label, size, total] of SIZES) {
  const pt = randomBytes(size);
  const sealed = impls[OURS]!.seal(pt) as Uint8Array;
  for (const [name, impl] of Object.entries(impls)) {
    if (!same(await impl.seal(pt), sealed)) throw new Error(`${name} seal disagrees at ${label}`);
    if (!same((await impl.open(sealed))!, pt)) throw new Error(`${name} open disagrees at ${label}`);
  }
  const calls = total / size;
  for (const op of ["seal", "open"] as const) {
    const input = op === "seal" ? pt : sealed;
    const cases = Object.entries(impls).map(([name, impl]) => ({
      name,
      run: cpuTimed(`${label} ${op} ${name}`, name.startsWith("WebCrypto")
        ? async () => { for (let i = 0; i < calls; i++) await impl[op](input); }
        : () => { for (let i = 0; i < calls; i++) impl[op](input); }),
    }));
    const ms = await interleaved(cases, ROUNDS);
    rows.push({
      size: label, op,
      mbps: new Map([...ms].map(([n, t]) => [n, total / MB / (t / 1000)])),
      cpu: new Map([...ms].map(([n]) => [n, total / MB / (cpuMs(`${label} ${op} ${n}`) / 1000)])),
    });
    console.log(`${label} ${op}: ` + [...rows.at(-1)!.mbps].map(([n, v]) => `${n} ${v.toFixed(0)} MB/s`).join(", ") +
      ` | per CPU second: ours ${rows.at(-1)!.cpu.get(OURS)!.toFixed(0)}, noble ${rows.at(-1)!.cpu.get("@noble/ciphers")!.toFixed(0)}`);
  }
}

// XChaCha20-Poly1305 against our ChaCha20-Poly1305, same sizes.
const xnonce = randomBytes(24);
const xrows: { size: string; op: string; x: number; c: number; xc: number; cc: number }[] = [];
for (const [label, size, total] of [["64 KiB", 64 * KiB, 64 * MiB], ["1 KiB", KiB, 16 * MiB]] as const) {
  const pt = randomBytes(size);
  const xs = ourX.seal(key, xnonce, pt), cs = ourC.seal(key, iv, pt);
  const calls = total / size;
  for (const op of ["seal", "open"] as const) {
    const kx = `x ${label} ${op}`, kc = `c ${label} ${op}`;
    const ms = await interleaved([
      { name: "x", run: cpuTimed(kx, () => { for (let i = 0; i < calls; i++) op === "seal" ? ourX.seal(key, xnonce, pt) : ourX.open(key, xnonce, xs); }) },
      { name: "c", run: cpuTimed(kc, () => { for (let i = 0; i < calls; i++) op === "seal" ? ourC.seal(key, iv, pt) : ourC.open(key, iv, cs); }) },
    ], ROUNDS + 2);
    xrows.push({
      size: label, op, x: total / MB / (ms.get("x")! / 1000), c: total / MB / (ms.get("c")! / 1000),
      xc: total / MB / (cpuMs(kx) / 1000), cc: total / MB / (cpuMs(kc) / 1000),
    });
    const r = xrows.at(-1)!;
    console.log(`XChaCha ${label} ${op}: ${r.x.toFixed(0)} vs ChaCha ${r.c.toFixed(0)} MB/s | per CPU second ${r.xc.toFixed(0)} vs ${r.cc.toFixed(0)}`);
  }
}

// What the speed sessions measured and tried; kept in the
// generated section so that a rerun does not lose it. Raw-core figures come
// from side-by-side runs of two builds in one process (core exports called
// directly, CPU time, min or median of 21-25 interleaved rounds).
const NOTES = `
### Notes: what was measured and tried

**XChaCha20-Poly1305.** HChaCha20 in the SIMD build now runs on one v128 per row of the 4×4 state (the four
column quarter rounds at once; the diagonal round turns rows 0, 2 and 3 by whole lanes, one pshufd each, and
leaves row 1 alone because it is the column round's last result, so no lane turn lengthens the chain). ChaCha20's
scalar rounds keep 16 words live, more than V8's general registers, and spill. One subkey: 187–206 ns → 131–134 ns
while other work shared the core, 126 → 118 ns on a quieter core (raw core, dependent calls). The floor is the
chain of dependent instructions: 20 rounds × 14 (4 adds, 4 xors, rotations by 16 and 8 one pshufb each, by 12 and 7
shift–shift–or, two deep) ≈ 280 cycles, ~95–110 ns at the 2.5–3 GHz seen here, so HChaCha20 stays ~4 % of a 1 KiB
open in the raw core (1.92 µs against 1.79 µs for ChaCha20-Poly1305 there), ~2–3 % through the facade. Nothing else
differs between the two paths (the same seal/open, the same window policy; the nonce copy is 24 bytes instead of 12).
A single run of the tables above swings by ±5 % at 1 KiB under this load (0.89–1.04× across eight runs), so the
targets are judged on medians of several runs (bench/results/00-summary.md). Not done, for whoever takes it on:
crypt-io v2's HChaCha20 input is the stream's nonce prefix, the same for every chunk (CRYPT-IO.md §5), so its chunk
cipher could derive the subkey once per stream and run ChaCha20-Poly1305 per chunk; the one-shot AEAD cannot.

**AES-256-GCM 64 KiB, second session: GHASH by table lookups in registers (ghash-lanes.ts).** The integer-multiply
GHASH below took ~45 % of a 64 KiB seal. Long inputs (128 blocks and more) then went through sixteen interleaved
Horner chains (32 since the third session, below) multiplied
by H^16: multiplication by a fixed element is linear, so X·K is the XOR of 32 nibble tables T_g[x_g], and one
i8x16.swizzle (pshufb on x64, tbl on arm64: a permute of a register, no memory access) looks up one byte of a table
for sixteen chains at once — 512 swizzles per 16 blocks, ~5.5 V8 instructions each (V8 adds a saturating add before
every pshufb of non-constant indices), against ~570 instructions a block before. Raw core, one process, builds
interleaved (400 rounds, min / median), quiet machine: GHASH of 4096 blocks 164–180 → 70–79 µs, a 64 KiB seal
364–396 → 274–295 µs; the tables (8 KiB, built once per call from H^16 by shifts, ~3 µs) pay for themselves from
about 128 blocks, below which the old path stays. Through the facade, a steady-state 64 KiB seal took 293 µs against
@noble/ciphers' 1465–1545 µs in the same process (5.0–5.3×). AES is now ~70 % of a seal: its round is ~330 V8
instructions for 8 blocks, 59 of them spills (the Boyar–Peralta circuit keeps 18 top-layer values live across its
middle, more than the 16 xmm registers V8 uses). Storing those 18 explicitly and reloading them late gave V8 more
instructions (391), not fewer, and two other source orders of the circuit (depth-first from the outputs, with and
without reloading its inputs at each use) compiled to the same 360 instructions: V8 schedules the circuit itself. So the 5× target sits at the edge of what this AES allows: met in some runs, missed in others (@noble/ciphers itself moves by 20 % between runs), even
on a quiet machine (ten runs: medians 5.00× / 5.03×, single runs 4.6–5.9×).

**AES-256-GCM 64 KiB, third session (gcm3 branch).** Raw core, the base and the final build interleaved in one
process (min of 350 rounds, same Xeon with avx512f, load 2–3 from other work): a 64 KiB seal 268–282 → 218–228 µs
(−19 %), GHASH of 4096 blocks 69–71 → 62–64 µs, 1 KiB seal −7 %, 4 KiB −10 %, 16 KiB −16 %; the scalar build's 64
KiB seal −10 %. Kept, each timed against the step before: (1) counter-mode caching of round 1 (ctr.ts, payloads of 6
KiB and more): round 1 of a counter block is a state shared by 256 counters xor a per-key table of what the low
counter byte does to column 0, and as the bit transpose is linear too, a batch inside such a run starts in plane
form from two tables (the planes for each place of a batch in the run: 4 KiB): 238 → 218 µs; below 6 KiB the
tables cost more than they save. (2) The lane GHASH with 32 chains in two sets of sixteen, each table vector loaded
once for both (K = H^32 from eight products by H^4, so short lane runs cost no more): GHASH 68 → 61 µs. (3)
ShiftRows and the row-major byte transpose as i8x16.swizzle with v128.const indices, which V8 compiles to a bare
pshufb (a round 326 → 312 instructions, the transpose 148 → 120): 243 → 237 µs. (4) Two batches with their rounds
alternating: a round's S-box needs all eight planes of the round before, so one batch leaves the core waiting at
each round boundary, and the other batch's independent round fills the wait (1400 rounds: 33.1 → 30.6 µs; three
batches no better than two): 230 → 218 µs, and 2–6 % at 1–4 KiB on the uncached path. (5) Boyar–Peralta's 113-gate
S-box instead of their 128-gate depth-16 one: 285 instead of 312 V8 instructions a round (47 spills instead of 59),
no faster for one batch alone (the deeper chain waits), 2–3 % with the alternating pairs. Tried and not kept: the
keystream XOR fused into the output transpose, also with round 14 leaving column-major planes (0.3–0.8 %, within
the noise), two rounds per call (no change), the lane GHASH's table loop unrolled twice (spills: 66 → 76 µs).

History: the integer-multiply GHASH formulations timed before the lane GHASH (all against the integer-multiply
GHASH that long inputs no longer use; the same 96 multiplies a block: Karatsuba's three 64 × 64 products, each twice
for the low halves of the plain and the bit-reversed operands, each 16 i64.mul on operands masked to every fourth
bit; 4-bit spacing is the narrowest that keeps 16-term column sums off the next kept bit, and a second Karatsuba
level on 32-bit halves would need 9 × 16 = 144):

| GHASH variant (raw core, 4096 blocks) | V8 x64 instructions | time vs current |
|---|---|---:|
| current: per block, six masked products into six partial sums in memory | 568 a block (97 imul, 192 memory operands, 129 of them stack) | 1.00× |
| per operand kind over a group of four: unmasked class sums in registers, masking deferred to once a group (AND distributes over XOR) | 317 per kind and group (≈ 475 a block) + 667 a group to prepare the operands; binaryen re-associates each class sum across the four blocks, so V8 keeps 16 masked parts live (121 stack accesses) | 0.90–0.92× (0.96–1.01× while other work shared the core) |
| the same, class sums stored after each block (no spills) | 406 per kind and group | 0.90–0.95× |
| the same, written load × part so that V8's two-operand imul takes the loaded H part as destination (load, imul, xor per product) | 367 per kind and group | 0.88–0.89× (0.98–1.06× under sharing) |
| the same with the operands' masked parts made once per block by SIMD (bit reversal by a nibble swizzle) and read from memory, and the H parts in four copies so that every multiply reads its own address (no copies, no reloads to merge) | 435 per kind and group: binaryen builds one XOR tree per class across the four blocks, V8 spills (177 stack accesses) | 0.81–0.83× |
| probe: the per-kind kernel with half / all of its multiplies replaced by additions | same count | 1.07–1.11× / 1.11–1.15× faster than that variant (no difference under sharing) |
| probe: operand preparation and reduction only, no kernel | — | 3.1× |

So the multiplies were ~10–13 % of that variant's time; the rest was moves, masks, spills and memory operands around
them, and that formulation's floor (~1.5× on GHASH) could not reach 5×. On the AES side a vector-permute AES
(Hamburg's vpaes) was estimated and not built: ~40 V8 instructions a block and round (7 swizzles with computed indices
at two instructions each, the nibble split, XORs, 3 constant swizzles whose 16-byte masks V8 rematerialises in the
loop) ≈ 560 a block against ~615 bitsliced, ≤ 10 %, with a new key schedule in its basis. The order of the round's
eight plane stores (which steers V8's schedule of the S-box circuit) was permuted three ways: ±1.5 %.
`;

const f0 = (v: number) => v.toFixed(0);
const f2 = (v: number) => v.toFixed(2) + "×";
const ratio = (r: Row, peer: string) => r.mbps.get(OURS)! / r.mbps.get(peer)!;
const cpuRatio = (r: Row, peer: string) => r.cpu.get(OURS)! / r.cpu.get(peer)!;
const table = [
  `| size | op | ${[OURS, ...PEERS].join(" MB/s | ")} MB/s | ${PEERS.map((p) => `ours / ${p}`).join(" | ")} | ours / @noble/ciphers per CPU second |`,
  `|---|---|${[OURS, ...PEERS].map(() => "---:").join("|")}|${PEERS.map(() => "---:").join("|")}|---:|`,
  ...rows.map((r) => `| ${r.size} | ${r.op} | ${[OURS, ...PEERS].map((n) => f0(r.mbps.get(n)!)).join(" | ")} | ${PEERS.map((p) => f2(ratio(r, p))).join(" | ")} | ${f2(cpuRatio(r, "@noble/ciphers"))} |`),
].join("\n");
const row = (size: string, op: string) => rows.find((r) => r.size === size && r.op === op)!;
const met = (ok: boolean) => (ok ? "met" : "**not met**");
/** A target's status comes from the CPU-time ratio; the wall-time one is shown next to it. */
const both = (wall: number, cpu: number, want: number) => `| ${f2(wall)} | ${f2(cpu)} | ${met(cpu >= want)} |`;
const targets = [
  "| target | wanted | measured (wall time) | per CPU second | |",
  "|---|---:|---:|---:|---|",
  ...(["seal", "open"] as const).flatMap((op) => [
    `| AES-256-GCM 64 KiB ${op} vs @noble/ciphers | ≥ 5× ${both(ratio(row("64 KiB", op), "@noble/ciphers"), cpuRatio(row("64 KiB", op), "@noble/ciphers"), 5)}`,
    `| AES-256-GCM 1 KiB ${op} vs @noble/ciphers | ≥ 2× ${both(ratio(row("1 KiB", op), "@noble/ciphers"), cpuRatio(row("1 KiB", op), "@noble/ciphers"), 2)}`,
  ]),
  ...xrows.map((r) => `| XChaCha20-Poly1305 ${r.size} ${r.op} vs our ChaCha20-Poly1305 | ≥ 0.95× ${both(r.x / r.c, r.xc / r.cc, 0.95)}`),
].join("\n");
console.log("\n" + table + "\n\n" + targets);

writeSection("gcm", `
## AES-256-GCM and XChaCha20-Poly1305 (gcm)

\`npm run bench -- gcm\` — one process, ${ROUNDS} interleaved rounds, medians; seal and open of one message
(12-byte IV, no AAD), fresh Uint8Arrays in and out for everyone. Ours: \`wasmGcm()\` (${build} build), the
bitsliced constant-time AES-256 and GHASH of assembly/gcm/. WebCrypto is awaited call by call. CPU:
${cpus()[0]?.model ?? "unknown"}, ${avx512}, ${aesni}; 2 cores shared with other work, 1-minute load average
${loadBefore.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end (ratios from the same run; absolute figures move with the load).
Each run is also timed in CPU time (process.cpuUsage, all threads), which leaves out the time other processes held the
core: "per CPU second" ratios are the steadier ones here (wall-time ratios of the same work swing from 0.8× to 1.1×
under this load), so a target's status comes from them; both are shown.
node:crypto and WebCrypto use AES-NI and PCLMULQDQ, which WebAssembly cannot reach: they are the ceiling, not a peer.

${table}

${targets}

XChaCha20-Poly1305 vs our ChaCha20-Poly1305 (MB/s; the same facade shape, copies and window policy):

| size | op | XChaCha20-Poly1305 | ChaCha20-Poly1305 | ratio | per CPU second |
|---|---|---:|---:|---:|---:|
${xrows.map((r) => `| ${r.size} | ${r.op} | ${f0(r.x)} | ${f0(r.c)} | ${f2(r.x / r.c)} | ${f2(r.xc / r.cc)} |`).join("\n")}
${NOTES}`);
