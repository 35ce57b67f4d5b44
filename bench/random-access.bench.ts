// Issue 15's targets for random access (src/random-access/), on a 256 MiB
// age v1 file on disk (X25519, made once in bench/.cache):
// - 10 000 random 4 KiB reads through fileSource, one after another, with
//   the chunk opens each read caused counted (source bytes read / sealed
//   chunk size: every chunk fetched is opened), next to a plain 4 KiB pread
//   of the same offsets in an unencrypted file, as the floor;
// - sequential: AgeRandomAccess.stream() over the whole file against
//   decryptStream fed by the same file (fs.createReadStream → Readable.toWeb),
//   interleaved rounds in one process. Target: stream() ≥ 0.9× decryptStream.
// Go age 1.3's DecryptReaderAt is the anchor for the idea; not measured here
// (Debian's age is 1.1.1, and it has no command for a range).
//   npm run bench -- random-access
import { createReadStream, existsSync, openSync, readFileSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { open } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { Readable } from "node:stream";
import { execFileSync } from "node:child_process";
import {
  AgeDecoder, AgeEncoder, decryptStream, generateIdentity, identityToRecipient, openRandomAccess, type RandomAccessSource,
} from "../src/index.js";
import { fileSource } from "../src/node.js";
import { interleaved, median, writeSection } from "./harness.js";

const SIZE = 256 * 1024 * 1024;
const CS = 65536;
const SEALED = CS + 16;
const READS = Number(process.env.READS ?? 10_000);
const READ = 4096;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const FILE = "bench/.cache/random-access-256MiB.age";
const PLAIN = "bench/.cache/random-access-256MiB.plain";
const KEY = "bench/.cache/random-access.key";

/** Makes the plaintext and its encryption once (random data, our encoder, chunk by chunk). */
function prepare(): string {
  if (existsSync(FILE) && existsSync(PLAIN) && existsSync(KEY)) return readFileSync(KEY, "utf8").trim();
  const identity = generateIdentity();
  const enc = AgeEncoder.fromRecipients([identityToRecipient(identity)]);
  const out = openSync(FILE, "w");
  const plain = openSync(PLAIN, "w");
  writeSync(out, enc.getHeader());
  const chunk = new Uint8Array(CS);
  for (let o = 0; o < SIZE; o += CS) {
    crypto.getRandomValues(chunk);
    writeSync(plain, chunk);
    writeSync(out, enc.encodeChunk(chunk, o + CS >= SIZE));
  }
  closeSync(out);
  closeSync(plain);
  writeFileSync(KEY, identity + "\n");
  return identity;
}

/** A source that counts the bytes read through it. */
function counting(inner: RandomAccessSource): RandomAccessSource & { bytes: number } {
  const c = { size: inner.size, bytes: 0, read: async (o: number, l: number) => ((c.bytes += l), inner.read(o, l)), close: () => inner.close?.() };
  return c;
}

/** A deterministic offset list (mulberry32), the same for every case. */
function offsets(n: number, max: number): number[] {
  let a = 0x9e3779b9;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push(Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * max));
  }
  return out;
}

const identity = prepare();
const opts = { identities: [identity] };
const at = offsets(READS, SIZE - READ);
const plainBytes = readFileSync(PLAIN);

// Random reads: each read timed alone, its chunk opens counted.
const source = counting(await fileSource(FILE));
const ra = await openRandomAccess(source, opts);
const plainHandle = await open(PLAIN, "r");
const buf = new Uint8Array(READ);
for (const o of at.slice(0, 200)) await ra.read(o, READ); // warm-up (the LRU then holds other chunks than the timed reads mostly touch)
const latency: number[] = [];
const floor: number[] = [];
const opensByTouched = new Map<number, number[]>(); // chunks a read touched → opens it cost
let wrong = 0;
const tAll = performance.now();
for (const o of at) {
  const before = source.bytes;
  const t0 = performance.now();
  const got = await ra.read(o, READ);
  latency.push(performance.now() - t0);
  const opens = (source.bytes - before) / SEALED;
  const touched = Math.floor((o + READ - 1) / CS) - Math.floor(o / CS) + 1;
  (opensByTouched.get(touched) ?? opensByTouched.set(touched, []).get(touched)!).push(opens);
  if (Buffer.compare(got, plainBytes.subarray(o, o + READ)) !== 0) wrong++;
}
const totalMs = performance.now() - tAll;
for (const o of at) {
  const t0 = performance.now();
  await plainHandle.read(buf, 0, READ, o);
  floor.push(performance.now() - t0);
}
ra.close();
await plainHandle.close();
if (wrong > 0) throw new Error(`${wrong} random reads returned wrong bytes`);

// Sequential: stream() against decryptStream, interleaved.
async function drain(s: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const part of s as unknown as AsyncIterable<Uint8Array>) n += part.length;
  if (n !== SIZE) throw new Error(`drained ${n} bytes, expected ${SIZE}`);
  return n;
}
const seq = await interleaved([
  {
    name: "AgeRandomAccess.stream() via fileSource",
    run: async () => {
      const r = await openRandomAccess(await fileSource(FILE), opts);
      await drain(r.stream());
      r.close();
    },
  },
  {
    name: "decryptStream (createReadStream 1 MiB → Readable.toWeb)",
    run: async () => {
      const input = Readable.toWeb(createReadStream(FILE, { highWaterMark: 1 << 20 })) as unknown as ReadableStream<Uint8Array>;
      await drain(input.pipeThrough(decryptStream(new AgeDecoder({ identities: [identity] }))));
    },
  },
], ROUNDS, 1, { isolate: true });

const streamMs = seq.get("AgeRandomAccess.stream() via fileSource")!;
const decryptMs = seq.get("decryptStream (createReadStream 1 MiB → Readable.toWeb)")!;
const mibs = (ms: number) => (SIZE / (1 << 20)) / (ms / 1000);
const us = (ms: number) => (ms * 1000).toFixed(1);
const lscpu = (() => {
  try {
    const text = execFileSync("lscpu", { encoding: "utf8" });
    const model = /Model name:\s*(.+)/.exec(text)?.[1]?.trim() ?? cpus()[0]?.model ?? "?";
    return { model, avx512f: /\bavx512f\b/.test(text) };
  } catch {
    return { model: cpus()[0]?.model ?? "?", avx512f: false };
  }
})();
const summary = (xs: number[]) => `${xs.length} reads: ${[0, 1, 2].map((k) => `${xs.filter((x) => x === k).length} × ${k}`).join(", ")} opens`;
const one = opensByTouched.get(1) ?? [];
const two = opensByTouched.get(2) ?? [];
const ratio = decryptMs / streamMs;

const md = `
## Random access (issue 15)

\`npm run bench -- random-access\` — a 256 MiB age v1 file (X25519, random data) on disk, read through
\`fileSource\` (positional reads). ${cpus().length} cores, ${lscpu.model} (avx512f ${lscpu.avx512f ? "present" : "absent"}),
load average ${loadavg()[0]!.toFixed(2)} (1 min) at the end; Node ${process.version}. The machine is shared: ±20%.

**Random reads**: ${READS} reads of ${READ} bytes at random offsets, one after another, each timed alone,
with a cache of 16 opened chunks (the file has 4096, so almost every read misses).

| | median µs | mean µs | reads/s |
|---|---:|---:|---:|
| \`AgeRandomAccess.read(offset, 4096)\` | ${us(median(latency))} | ${us(totalMs / READS)} | ${Math.round(READS / (totalMs / 1000))} |
| plain \`FileHandle.read\` of 4 KiB, unencrypted copy (floor) | ${us(median(floor))} | ${us(floor.reduce((a, b) => a + b, 0) / READS)} | ${Math.round(READS / (floor.reduce((a, b) => a + b, 0) / 1000))} |

Chunk opens per read (counted from the bytes the source read: every chunk fetched is opened, nothing more):
reads within one chunk — ${summary(one)}; reads across a chunk boundary — ${summary(two)}.
Target "a random 4 KiB read costs at most one chunk open on a cache miss": **${Math.max(0, ...one) <= 1 && Math.max(0, ...two) <= 2 ? "met" : "NOT met"}**
(at most one open per chunk missed: ${Math.max(0, ...one)} for a read inside one chunk, ${Math.max(0, ...two)} for one across a boundary, which misses two).

**Sequential**: the whole 256 MiB plaintext, median of ${ROUNDS} interleaved rounds (after a warm-up, a full GC before each run).

| | median ms | MiB/s |
|---|---:|---:|
| \`openRandomAccess(fileSource(path)).stream()\` | ${streamMs.toFixed(0)} | ${mibs(streamMs).toFixed(0)} |
| \`decryptStream\` over \`Readable.toWeb(createReadStream(path, 1 MiB))\` | ${decryptMs.toFixed(0)} | ${mibs(decryptMs).toFixed(0)} |

- stream() / decryptStream throughput: **${ratio.toFixed(2)}×** (target ≥ 0.9×: ${ratio >= 0.9 ? "met" : "NOT met"}).
- Go age 1.3's \`DecryptReaderAt\` is the model (last chunk authenticated first and kept); not measured here.
`;
console.log(md);
writeSection("random-access", md);

