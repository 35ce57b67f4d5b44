// The age-rt command against Go's age at what a CLI spends its life doing:
// decrypting and encrypting large files. 256 MiB of plaintext and its age v1
// file (X25519, made once by Go's age) in bench/.cache/; `node
// dist/cli/age-rt.js -d` against `age -d`, and `-r` against `age -r`, stdout
// to /dev/null, interleaved; median wall time of the rounds (process
// start-up included), and the peak RSS of each process (GNU time's maximum
// resident set size, or /proc/PID/status VmHWM polled when /usr/bin/time is
// missing). Targets (issue 14, 2 cores): decrypt ≤ 1.15× Go's wall time,
// encrypt ≤ 1.7×, peak RSS ≤ 80 MiB. The CLI's file runs use node:crypto's
// ChaCha20-Poly1305 (src/cli/openssl-runs.ts); the same commands with
// AGE_RT_CLI_ENGINE=wasm, on the WebAssembly core, run beside them.
//
// Every command runs without NODE_EXTRA_CA_CERTS. Node 20 parses the file it
// names at every start, before any script runs (nodejs/node#40524; newer
// Nodes defer it until tls is loaded, nodejs/node#59856), and the CLI makes
// no TLS connection. This project's machine sets it for every process (its
// registries' proxy), where it costs 45-80 ms a start; a user's machine
// usually does not. When it is set here, our two large commands also run
// with it, and the section reports both.
//
//   npm run build && npm run bench -- cli
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, closeSync, writeFileSync, writeSync, statSync } from "node:fs";
import { OpenSslRuns } from "../src/cli/openssl-runs.js";
import { AGE_CHUNK, RUN_CHUNKS } from "../src/format/chunk-size.js";
import type { RunCipher } from "../src/pool/file-runs.js";
import { ChunkRuns } from "../src/wasm/chunk-runs.js";
import { newInstance } from "../src/wasm/loader.js";
import { interleaved, machineLine, median, writeSection } from "./harness.js";

const MiB = 2 ** 20;
const SIZE = 256 * MiB;
const ROUNDS = 7;
const CACHE = "bench/.cache";
const KEY = `${CACHE}/cli.key`;
const FILE = `${CACHE}/cli-256MiB.age`;
const PLAIN = `${CACHE}/cli-256MiB.plain`;
const TINY_PLAIN = `${CACHE}/cli-tiny.plain`;
const TINY = `${CACHE}/cli-tiny.age`;
const AGE_RT = "dist/cli/age-rt.js";
const GNU_TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

if (!existsSync(AGE_RT)) throw new Error(`${AGE_RT} is missing: run npm run build first`);
execFileSync("age", ["--version"]); // the peer must be there

/** Makes the key and the encrypted file once; later runs reuse them. */
function prepare(): void {
  mkdirSync(CACHE, { recursive: true });
  if (!existsSync(KEY)) execFileSync("age-keygen", ["-o", KEY], { stdio: "ignore" });
  const recipient = execFileSync("age-keygen", ["-y", KEY], { encoding: "utf8" }).trim();
  if (!existsSync(TINY)) execFileSync("age", ["-r", recipient, "-o", TINY], { input: "a 100-byte file".padEnd(100, ".") });
  if (!existsSync(TINY_PLAIN)) writeFileSync(TINY_PLAIN, "a 100-byte file".padEnd(100, "."));
  if (existsSync(FILE) && statSync(FILE).size > SIZE && existsSync(PLAIN)) return;
  // Incompressible but cheap to make: a 1 MiB random block, varied per MiB.
  const plain = PLAIN;
  const fd = openSync(plain, "w");
  const block = new Uint8Array(MiB);
  crypto.getRandomValues(block.subarray(0, 65536));
  for (let i = 65536; i < MiB; i++) block[i] = block[i - 65536]! ^ (i >>> 16);
  for (let m = 0; m < SIZE / MiB; m++) {
    block[0] = m;
    writeSync(fd, block);
  }
  closeSync(fd);
  execFileSync("age", ["-r", recipient, "-o", FILE, plain]);
}

type Cmd = { name: string; argv: string[]; env?: NodeJS.ProcessEnv };
const EXTRA_CA = process.env.NODE_EXTRA_CA_CERTS;
const ENV = { ...process.env };
delete ENV.NODE_EXTRA_CA_CERTS;
const WASM_RUNS = { ...ENV, AGE_RT_CLI_ENGINE: "wasm" };
prepare();
const recipient = execFileSync("age-keygen", ["-y", KEY], { encoding: "utf8" }).trim();
const ours: Cmd = { name: "age-rt -d", argv: [process.execPath, AGE_RT, "-d", "-i", KEY, FILE], env: ENV };
const go: Cmd = { name: "Go age -d", argv: ["age", "-d", "-i", KEY, FILE], env: ENV };
const oursEnc: Cmd = { name: "age-rt -r", argv: [process.execPath, AGE_RT, "-r", recipient, PLAIN], env: ENV };
const goEnc: Cmd = { name: "Go age -r", argv: ["age", "-r", recipient, PLAIN], env: ENV };
const oursWasm: Cmd = { ...ours, name: "age-rt -d, WebAssembly runs", env: WASM_RUNS };
const oursEncWasm: Cmd = { ...oursEnc, name: "age-rt -r, WebAssembly runs", env: WASM_RUNS };
// The fixed cost: the same commands on 100-byte files, and Node doing nothing.
const oursTiny: Cmd = { name: "age-rt -d, 100-byte file", argv: [process.execPath, AGE_RT, "-d", "-i", KEY, TINY], env: ENV };
const goTiny: Cmd = { name: "Go age -d, 100-byte file", argv: ["age", "-d", "-i", KEY, TINY], env: ENV };
const oursTinyEnc: Cmd = { name: "age-rt -r, 100-byte file", argv: [process.execPath, AGE_RT, "-r", recipient, TINY_PLAIN], env: ENV };
const goTinyEnc: Cmd = { name: "Go age -r, 100-byte file", argv: ["age", "-r", recipient, TINY_PLAIN], env: ENV };
const nodeBare: Cmd = { name: "node -e 0", argv: [process.execPath, "-e", "0"], env: ENV };
// The same with this machine's NODE_EXTRA_CA_CERTS left set (when it is).
const withCa = (c: Cmd): Cmd => ({ ...c, name: `${c.name}, NODE_EXTRA_CA_CERTS set`, env: process.env });
const caCmds = EXTRA_CA ? [withCa(ours), withCa(oursEnc)] : [];
const caBare = EXTRA_CA ? [withCa(nodeBare)] : [];

/** Runs a command with stdout to /dev/null; throws on failure. */
function runOnce(c: Cmd): void {
  const r = spawnSync(c.argv[0]!, c.argv.slice(1), { stdio: ["ignore", "ignore", "pipe"], env: c.env });
  if (r.status !== 0) throw new Error(`${c.name} failed: ${r.stderr}`);
}

/** Peak RSS in bytes of one run. */
async function peakRss(c: Cmd): Promise<number> {
  if (GNU_TIME) {
    const r = spawnSync(GNU_TIME, ["-f", "%M", ...c.argv], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", env: c.env });
    if (r.status !== 0) throw new Error(`${c.name} failed: ${r.stderr}`);
    return Number(r.stderr.trim().split("\n").at(-1)) * 1024;
  }
  const child = spawn(c.argv[0]!, c.argv.slice(1), { stdio: ["ignore", "ignore", "ignore"], env: c.env });
  let hwm = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
    } catch { /* exited */ }
  }, 5);
  await new Promise((r) => child.on("exit", r));
  clearInterval(poll);
  return hwm;
}

const fileSize = statSync(FILE).size;
const big = [ours, go, oursEnc, goEnc, oursWasm, oursEncWasm, ...caCmds];
const times = await interleaved(big.map((c) => ({ name: c.name, run: () => runOnce(c) })), ROUNDS);
const fixed = await interleaved([oursTiny, goTiny, oursTinyEnc, goTinyEnc, nodeBare, ...caBare].map((c) => ({ name: c.name, run: () => runOnce(c) })), ROUNDS);
const rss = new Map<string, number>();
for (const c of big) {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) samples.push(await peakRss(c));
  rss.set(c.name, median(samples));
}

/**
 * The floor this machine allows: one thread of each engine the CLI's file
 * runs can use (src/pool/file-runs.ts, RunCipher: the WebAssembly core's
 * ChunkRuns, the CLI's OpenSslRuns) sealing and opening the 256 MiB in runs
 * of RUN_CHUNKS chunks (in this process, in place, no I/O: the best one
 * thread can do), fastest of 3.
 */
function perCoreMs(engine: RunCipher): { seal: number; open: number } {
  const runs = SIZE / (AGE_CHUNK * RUN_CHUNKS);
  const key = crypto.getRandomValues(new Uint8Array(32));
  let seal = Infinity, open = Infinity;
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    for (let r = 0; r < runs; r++) engine.seal(key, r * RUN_CHUNKS, RUN_CHUNKS);
    seal = Math.min(seal, performance.now() - t);
    engine.seal(key, 0, RUN_CHUNKS);
    t = performance.now();
    for (let r = 0; r < runs; r++) {
      if (engine.open(key, 0, RUN_CHUNKS) !== RUN_CHUNKS) throw new Error(`per-core measurement (${engine.engine}): open failed`);
    }
    open = Math.min(open, performance.now() - t);
  }
  engine.wipe();
  return { seal, open };
}
const core = perCoreMs(new ChunkRuns(newInstance()!, AGE_CHUNK, RUN_CHUNKS));
const coreOpenSsl = perCoreMs(new OpenSslRuns());

/**
 * What a second thread gains on this machine right now: the same sealing
 * work (256 runs) on one thread, then split over two (this one and a
 * worker_thread); fastest of 3 of each. 2× on two free cores, 1× when
 * the machine's other work leaves no second core.
 */
async function twoThreadSpeedUp(): Promise<number> {
  const body = `
    const { parentPort, workerData } = require("node:worker_threads");
    const x = new WebAssembly.Instance(new WebAssembly.Module(workerData.wasm), {}).exports;
    const S = 65536, N = 16, src = x.aead_reserve(0) >>> 0, dst = src + N * (S + 16) + 64;
    x.aead_reserve(2 * N * (S + 16) + 128);
    const mem = new Uint8Array(x.memory.buffer), key = new Uint8Array(32).fill(1);
    parentPort.on("message", (runs) => {
      const t = performance.now();
      for (let r = 0; r < runs; r++) { mem.set(key, x.aead_key_ptr() >>> 0); x.aead_stream_seal_chunks(dst, src, N, S, 0, r * N); }
      parentPort.postMessage(performance.now() - t);
    });`;
  const wasm = readFileSync("build/core.simd.wasm");
  const { Worker } = await import("node:worker_threads");
  const here = new Worker(body, { eval: true, workerData: { wasm } });
  const there = new Worker(body, { eval: true, workerData: { wasm } });
  const ask = (w: InstanceType<typeof Worker>, runs: number) => new Promise<number>((r) => { w.once("message", r); w.postMessage(runs); });
  await Promise.all([ask(here, 4), ask(there, 4)]); // instantiated and warm
  let one = Infinity, two = Infinity;
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    await ask(here, 256);
    one = Math.min(one, performance.now() - t);
    t = performance.now();
    await Promise.all([ask(here, 128), ask(there, 128)]);
    two = Math.min(two, performance.now() - t);
  }
  await Promise.all([here.terminate(), there.terminate()]);
  return one / two;
}
const speedUp = await twoThreadSpeedUp();

const mbps = (ms: number) => SIZE / MiB / (ms / 1000);
const row = (c: Cmd) => `| ${c.name} | ${times.get(c.name)!.toFixed(0)} | ${mbps(times.get(c.name)!).toFixed(0)} | ${(rss.get(c.name)! / MiB).toFixed(1)} |`;
const wall = (a: Cmd, b: Cmd) => times.get(a.name)! / times.get(b.name)!;
const decRatio = wall(ours, go);
const encRatio = wall(oursEnc, goEnc);
const maxRss = Math.max(rss.get(ours.name)!, rss.get(oursEnc.name)!) / MiB;
const fixedDec = fixed.get(oursTiny.name)!;
const fixedEnc = fixed.get(oursTinyEnc.name)!;
const floorDec = fixedDec + coreOpenSsl.open / 2;
const floorEnc = fixedEnc + coreOpenSsl.seal / 2;
const goVersion = execFileSync("age", ["--version"], { encoding: "utf8" }).trim();
const md = `
## cli: decrypt and encrypt 256 MiB (age v1, X25519) to /dev/null

\`npm run build && npm run bench -- cli\` — commands, stdout to /dev/null:
\`node ${AGE_RT} -d -i ${KEY} ${FILE}\` vs \`age -d -i ${KEY} ${FILE}\`, and
\`node ${AGE_RT} -r RECIPIENT ${PLAIN}\` vs \`age -r RECIPIENT ${PLAIN}\` (Go age ${goVersion}).
File: ${(fileSize / MiB).toFixed(1)} MiB made once by Go age. Median of ${ROUNDS} interleaved runs (after a warm-up of each),
wall time including process start-up, every command without \`NODE_EXTRA_CA_CERTS\` unless its row says so; peak RSS by ${GNU_TIME ? "GNU time (%M, maximum resident set size)" : "polling /proc/PID/status VmHWM"}, median of 3 runs.
${await machineLine()} (the machine is shared: the figures are noisy).

| command | median ms | MiB/s | peak RSS MiB |
|---|---:|---:|---:|
${row(ours)}
${row(go)}
${row(oursEnc)}
${row(goEnc)}
${row(oursWasm)}
${row(oursEncWasm)}
${caCmds.map(row).join("\n")}

- Decrypt, wall time age-rt / Go: **${decRatio.toFixed(2)}×** (target ≤ 1.15×: ${decRatio <= 1.15 ? "met" : "missed"}).
- Encrypt, wall time age-rt / Go: **${encRatio.toFixed(2)}×** (target ≤ 1.7×: ${encRatio <= 1.7 ? "met" : "missed"}).
- Peak RSS of age-rt: **${maxRss.toFixed(1)} MiB** (target ≤ 80 MiB: ${maxRss <= 80 ? "met" : "missed"}).
${caCmds.length ? `- With this machine's \`NODE_EXTRA_CA_CERTS=${EXTRA_CA}\` left set (the other rows run without it): decrypt **${wall(caCmds[0]!, go).toFixed(2)}×**, encrypt **${wall(caCmds[1]!, goEnc).toFixed(2)}×** Go's time; \`node -e 0\` takes ${fixed.get(caBare[0]!.name)!.toFixed(0)} ms with it and ${fixed.get(nodeBare.name)!.toFixed(0)} ms without (Node 20 parses the whole file at every start, nodejs/node#40524).\n` : ""}- With the file runs on the WebAssembly core (\`AGE_RT_CLI_ENGINE=wasm\`): decrypt **${wall(oursWasm, go).toFixed(2)}×**, encrypt **${wall(oursEncWasm, goEnc).toFixed(2)}×** Go's time.

What this machine allows (the arithmetic): one core of node:crypto's OpenSSL opens the 256 MiB in
${coreOpenSsl.open.toFixed(0)} ms and seals it in ${coreOpenSsl.seal.toFixed(0)} ms, the WebAssembly core in ${core.open.toFixed(0)} and ${core.seal.toFixed(0)} ms
(runs of 16 chunks, no I/O, this process, fastest of 3).
With both cores doing nothing else and no overhead, the floor is the start-up (the 100-byte file's time)
plus half of OpenSSL's: decrypt ${fixedDec.toFixed(0)} + ${(coreOpenSsl.open / 2).toFixed(0)} = ${floorDec.toFixed(0)} ms = **${(floorDec / times.get(go.name)!).toFixed(2)}×** Go's measured time,
encrypt ${fixedEnc.toFixed(0)} + ${(coreOpenSsl.seal / 2).toFixed(0)} = ${floorEnc.toFixed(0)} ms = **${(floorEnc / times.get(goEnc.name)!).toFixed(2)}×** Go's (targets 1.15× and 1.7×).
The machine's other work takes cores from the two threads (Go needs one): in this run, the same sealing
work split over two threads ran **${speedUp.toFixed(2)}×** as fast as on one (2× with two free cores; 1× when
nothing of a second core is left), and the 1-minute load average is in the line above.

Where the time goes (2026-12-06, tenth session, \`perf\` over one decrypt with the runs on node:crypto):
OpenSSL's ChaCha20 and Poly1305 are under a fifth of the process's samples; the kernel's copies out of the
page cache, memory copies and zero-filling of node:crypto's fresh result buffers, malloc, and OpenSSL's cipher
lookup on every \`createDecipheriv\` (locks, hash tables) take most of the rest, beside Node's and V8's start-up.
Before \`keepFreedHeap()\` (src/cli/gc.ts) glibc gave the freed result buffers back to the kernel after every
collection: 65 000–69 000 page faults and 0.18–0.19 s of system time per run, against 10 000–11 000 and
0.05–0.08 s after (\`perf stat -e page-faults\`), and 0.30–0.33 s wall instead of 0.35–0.38.
Twelfth session, \`perf\` again: with \`NODE_EXTRA_CA_CERTS\` set, 5.8 % of one decrypt's samples were Node parsing
that certificate file at start (\`node::crypto::UseExtraCaCerts\`, OpenSSL's decoders); without it,
OpenSSL's ChaCha20 and Poly1305 are 18 % of the samples, the page-cache copies of \`pread\` 8 %, memory copies
and zero-filling 8 %, young-generation collections 46 ms of CPU over both threads (\`--trace-gc\`, 260 of them).

Fixed cost (same rounds, 100-byte files): age-rt -d ${fixed.get(oursTiny.name)!.toFixed(0)} ms, Go age -d ${fixed.get(goTiny.name)!.toFixed(0)} ms,
age-rt -r ${fixed.get(oursTinyEnc.name)!.toFixed(0)} ms, Go age -r ${fixed.get(goTinyEnc.name)!.toFixed(0)} ms, \`node -e 0\` ${fixed.get(nodeBare.name)!.toFixed(0)} ms.

How it gets there (issue 14): both directions on the library's worker pool. For an age v1 file
(named, or standard input redirected from it; 4 MiB or more) going to anything but a terminal, the
file's size fixes every chunk's position and which chunk is final, so the chunks before the last are
done as file runs (src/pool/file-runs.ts): the main thread and every pool worker (available
parallelism − 1; started as soon as a file of 24 MiB or more is open, so it comes up while the header
is read and the key unwrapped) claim runs of 16 chunks from a shared counter, read them with
positional reads and open or seal them with node:crypto (src/cli/openssl-runs.ts; with
\`AGE_RT_CLI_ENGINE=wasm\`, straight in their own WebAssembly instance's memory);
the main thread writes in file order, a run only once all of it authenticated. The last chunk (and,
decrypting, everything from the first failure on) goes through the push decoder's AgeStreamReader or
the encoder's Rechunker. Pipes, armor and age-rt use the pooled streams; small files this thread alone.
Start-up: the CLI bundle loads the pq/tag/SSH code, crypt-io and the encrypted-SSH-key ciphers only
when used, @noble's AES not at all (the WebAssembly core serves AES-GCM), Node's built-ins through
require() and only where needed (no node:tty/net, process.stdout or V8 context for a file to
/dev/null), whitespace-minified (scripts/bundle.mjs, src/cli/stanza-modules.ts, src/cli/tty.ts). Measured
interleaved against the build before these changes (commit a9f76aa), 21 rounds, 100-byte files, on the
loaded machine (2026-12-06, \`NODE_EXTRA_CA_CERTS\` set): CPU time (user + sys, minimum) \`-d\` 130 → 100 ms, \`-r\` 120 → 90-100 ms,
with \`node -e 0\` at 60 ms: about 40 ms of our own start-up are left, of which a CPU profile shows ~16 ms
compiling the bundle's ~280 kB, ~10 ms for the two X25519 operations of the stanza in @noble's JS
(the identity's public key and the shared secret), and Node's ESM loader resolving six files.
`;
console.log(md);
writeSection("cli", md);
