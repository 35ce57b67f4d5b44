// Small pieces (issue 12): request bodies, sockets and file streams hand out
// 1–16 KiB at a time. The same 32 MiB (X25519, age v1) through each
// streaming API, fed 1, 4, 16 and 64 KiB pieces, side by side in one process
// and interleaved; each row's ratio is to the same API fed 64 KiB pieces.
// `echo` is an identity TransformStream over the same pieces: the cost of
// the WHATWG streams machinery itself, which bounds decryptStream and
// encryptStream (Node's web streams are JavaScript, several promises a piece).
// decryptReadable/encryptReadable read the source themselves (one read() a
// piece, no pipe); `pipeTo alone` (source → no-op sink) and `read() alone`
// are the floors of the two shapes: what the source costs before any work.
//   npm run bench -- pieces
import {
  AgeAutoDecoder, AgeEncoder, aiterDecodeChunks, decryptReadable, decryptStream, encodeBytes, encryptReadable, encryptStream,
  generateIdentity, identityToRecipient, iterDecodeChunks, iterEncodeChunks,
} from "../src/index.js";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { interleaved, writeSection } from "./harness.js";

const SIZE = 32 * 2 ** 20;
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const PIECES = [1024, 4096, 16384, 65536];
const MiB = 2 ** 20;
const avx512 = /\bavx512f\b/.test(readFileSync("/proc/cpuinfo", "utf8")) ? "present" : "absent";

const plain = new Uint8Array(SIZE);
for (let i = 0; i < SIZE; i += 65536) crypto.getRandomValues(plain.subarray(i, i + 65536));
const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));

/** Fresh copies, as a socket's reads would be. */
function piecesOf(bytes: Uint8Array, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += n) out.push(bytes.slice(i, i + n));
  return out;
}

/** A source handing out the pieces one pull at a time. */
function sourceOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({ pull: (c) => (i < pieces.length ? c.enqueue(pieces[i++]!) : c.close()) });
}

/** Bytes that reach a no-op sink. */
async function sunk(s: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  await s.pipeTo(new WritableStream({ write: (c) => void (n += c.length) }));
  return n;
}

const through = (pieces: Uint8Array[], ts: TransformStream<Uint8Array, Uint8Array>) => sunk(sourceOf(pieces).pipeThrough(ts));

async function readAlone(pieces: Uint8Array[]): Promise<number> {
  const reader = sourceOf(pieces).getReader();
  let n = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) n += r.value.length;
  return n;
}

const check = (n: number, want: number) => {
  if (n !== want) throw new Error(`got ${n} bytes, expected ${want}`);
};
const dec = () => new AgeAutoDecoder({ identities: [identity] });
const apis: Record<string, (p: number) => () => Promise<void> | void> = {};
const cipherPieces = new Map(PIECES.map((p) => [p, piecesOf(file, p)]));
const plainPieces = new Map(PIECES.map((p) => [p, piecesOf(plain, p)]));
apis["iterDecodeChunks"] = (p) => () => {
  let n = 0;
  for (const c of iterDecodeChunks(cipherPieces.get(p)!, dec())) n += c.length;
  check(n, SIZE);
};
apis["aiterDecodeChunks"] = (p) => async () => {
  let n = 0;
  for await (const c of aiterDecodeChunks(cipherPieces.get(p)!, dec())) n += c.length;
  check(n, SIZE);
};
/** The pieces handed out by an async generator, as a Node Readable's or a body's async iterator does. */
async function* asyncPieces(pieces: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) yield piece;
}
apis["aiterDecodeChunks (async source)"] = (p) => async () => {
  let n = 0;
  for await (const c of aiterDecodeChunks(asyncPieces(cipherPieces.get(p)!), dec())) n += c.length;
  check(n, SIZE);
};
apis["for await alone (async source of ciphertext pieces)"] = (p) => async () => {
  let n = 0;
  for await (const c of asyncPieces(cipherPieces.get(p)!)) n += c.length;
  check(n, file.length);
};
apis["decryptStream"] = (p) => async () => check(await through(cipherPieces.get(p)!, decryptStream(dec())), SIZE);
apis["decryptReadable"] = (p) => async () => check(await sunk(decryptReadable(sourceOf(cipherPieces.get(p)!), dec())), SIZE);
apis["echo (ciphertext pieces)"] = (p) => async () => check(await through(cipherPieces.get(p)!, new TransformStream()), file.length);
apis["pipeTo alone (ciphertext pieces)"] = (p) => async () => check(await sunk(sourceOf(cipherPieces.get(p)!)), file.length);
apis["read() alone (ciphertext pieces)"] = (p) => async () => check(await readAlone(cipherPieces.get(p)!), file.length);
apis["iterEncodeChunks"] = (p) => () => {
  let n = 0;
  for (const c of iterEncodeChunks(plainPieces.get(p)!, AgeEncoder.fromRecipients([recipient]))) n += c.length;
  check(n, file.length);
};
apis["encryptStream"] = (p) => async () => check(await through(plainPieces.get(p)!, encryptStream(AgeEncoder.fromRecipients([recipient]))), file.length);
apis["encryptReadable"] = (p) => async () => check(await sunk(encryptReadable(sourceOf(plainPieces.get(p)!), AgeEncoder.fromRecipients([recipient]))), file.length);

const loadBefore = loadavg()[0]!;
const cases = Object.entries(apis).flatMap(([api, make]) => PIECES.map((p) => ({ name: `${api} ${p}`, run: make(p) })));
const ms = await interleaved(cases, ROUNDS, 1, { isolate: true });
const mbps = (name: string) => SIZE / MiB / (ms.get(name)! / 1000);

const rows = Object.keys(apis).map((api) => {
  const base = mbps(`${api} 65536`);
  return `| ${api} | ${PIECES.map((p) => `${mbps(`${api} ${p}`).toFixed(0)} (${(mbps(`${api} ${p}`) / base).toFixed(2)}×)`).join(" | ")} |`;
});
const md = `## Small pieces: 32 MiB (X25519, age v1) fed in 1–64 KiB pieces

\`npm run bench -- pieces\` — Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}, avx512f ${avx512}),
1-minute load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} (the machine is shared: absolute figures move, ratios less). Medians of ${ROUNDS} interleaved rounds, each after a
full garbage collection; MiB/s, and in parentheses the ratio to the same API fed 64 KiB pieces.
\`echo\` is an identity TransformStream over the same pieces: the web streams' own cost, which
decryptStream and encryptStream pay on top of their work. decryptReadable/encryptReadable read the source
themselves; \`pipeTo alone\` (source piped to a no-op sink) and \`read() alone\` (a reader loop) are what the
source costs before any work: the floors of the two shapes. \`aiterDecodeChunks\` takes the pieces from an array
(a sync source, stepped without a tick per piece) and, in the row after it, from an async generator, whose own
cost per piece is the \`for await alone\` row.

| API | 1 KiB | 4 KiB | 16 KiB | 64 KiB |
|---|---:|---:|---:|---:|
${rows.join("\n")}
`;
console.log(md);
writeSection("pieces", md);
