// Mutation fuzzing (issue 5), part 2: every way of decoding a file, and the
// oracle that judges what each one did with a mutant.
//
// The oracle, for every path: the outcome is either the seed's plaintext,
// exactly (the same chunk list), or a DecodeError subclass thrown (never a
// TypeError, RangeError, UsageError, or an InsufficientDataError when the
// path fed what bytesWanted asked). Whatever was released before the error
// is a prefix of the seed's chunk list: whole chunks, in order, each
// identical to the original (age v1 chunks are 64 KiB, so the released bytes
// are a prefix of the plaintext ending on a chunk boundary). The push path
// also checks that bytesWanted never exceeds the largest frame the options
// allow (so a hostile length is refused before anything is buffered), that
// an error is sticky (the next feed throws the same object), and that feed()
// after isDone() is misuse (InsufficientDataError): the push path judges the
// bytes left after the final chunk itself, by the spec (trailing data, or
// whitespace after an armor's end line). The callable paths record how much
// they read: an age-rt stream's reader stops at the final chunk.
import {
  AgeAutoDecoder, AgeDecoder, AgeRTDecoder, DecodeError, InsufficientDataError, aiterDecodeCallable, aiterDecodeChunks,
  decodeBytes, decryptStream, iterDecodeCallable, iterDecodeChunks, type Decoder, type DecoderOptions,
} from "../../src/index.js";
import { CryptIoDecoder } from "../../src/crypt-io/index.js";
import { A23Decoder } from "../../src/a23crypt/index.js";
import { CS, FUZZ_MAX_WORK_FACTOR, chance, pick, type Rand, type Seed } from "./fuzz.js";
import { randomSplits } from "./random.js";

export interface Outcome {
  released: Uint8Array[];
  error: unknown;
  /** The decoder finished (isDone) without error. */
  complete: boolean;
  /** Bytes of the file the path read (push and callable paths). */
  consumed?: number;
  /** Push path: bytes followed the final chunk; the error they deserve (an error class name). */
  trailing?: string;
}

/** What an armor tolerates after its end line: ASCII whitespace (C2SP age.md "ASCII armor"). */
const isArmorSpace = (b: number) => b === 0x20 || (b >= 0x09 && b <= 0x0d);

export type DecoderKind = "strict" | "auto";

/** Options for a decoder of this seed: its key, sometimes with a spare identity first, and limits that keep every case cheap. */
export function decoderOptions(seed: Seed, spareIdentity: string, rand: Rand): DecoderOptions {
  const opts: DecoderOptions = { maxWorkFactor: FUZZ_MAX_WORK_FACTOR };
  if (seed.keys.passphrase !== undefined) opts.passphrase = seed.keys.passphrase;
  if (seed.keys.identities !== undefined) opts.identities = chance(rand, 0.2) ? [spareIdentity, ...seed.keys.identities] : seed.keys.identities;
  if (seed.maxChunk > CS) opts.maxChunkSize = pick(rand, [seed.maxChunk, 16 << 20]);
  else if (chance(rand, 0.2)) opts.maxChunkSize = pick(rand, [seed.maxChunk, 16 << 20]);
  return opts;
}

export function makeDecoder(seed: Seed, kind: DecoderKind, opts: DecoderOptions): Decoder {
  if (kind === "auto") return new AgeAutoDecoder(opts);
  return seed.format === "age" ? new AgeDecoder(opts) : new AgeRTDecoder(opts);
}

/** The largest bytesWanted a decoder with these options may ever ask for. */
export function wantedBound(opts: DecoderOptions): number {
  return Math.max(CS + 16, (opts.maxChunkSize ?? CS) + 16);
}

/** A violation of the oracle: the case fails with this message. */
export class OracleViolation extends Error {}

/**
 * The push API used as documented: feed exactly bytesWanted (a short final
 * read only where AgeDecoder allows it), stop when the input ends (the caller
 * then sees an unfinished decoder: truncation), and feed what is left after
 * isDone() (trailing data, which must throw unless it is armor whitespace).
 */
export function pushPath(file: Uint8Array, dec: Decoder, bound: number): Outcome {
  const released: Uint8Array[] = [];
  let off = 0;
  try {
    while (!dec.isDone()) {
      const want = dec.bytesWanted;
      if (want < 1 || want > bound) throw new OracleViolation(`bytesWanted is ${want}, outside 1..${bound}`);
      const n = Math.min(want, file.length - off);
      if (n === 0) return { released, error: null, complete: false };
      if (n < want && !shortReadAllowed(dec, want)) return { released, error: null, complete: false };
      const out = dec.feed(file.subarray(off, off + n));
      off += n;
      if (out !== null) released.push(out.slice());
      if (n < want && !dec.isDone()) return { released, error: null, complete: false };
    }
    if (dec.bytesWanted !== 0) throw new OracleViolation(`bytesWanted is ${dec.bytesWanted} after isDone()`);
    if (off < file.length) return { released, ...judgeRest(dec, file.subarray(off)), complete: true, consumed: off };
    return { released, error: null, complete: true, consumed: off };
  } catch (e) {
    if (e instanceof OracleViolation) throw e;
    // Sticky: the next call throws the very same error.
    let again: unknown = null;
    try {
      dec.feed(new Uint8Array(Math.max(1, dec.bytesWanted)));
    } catch (e2) {
      again = e2;
    }
    if (again !== e) throw new OracleViolation(`error not sticky: first ${describeError(e)}, then ${describeError(again)}`);
    return { released, error: e, complete: false };
  }
}

/**
 * Bytes after the final chunk, as the push API's caller sees them: feed()
 * refuses them as misuse (InsufficientDataError, sticky), and the caller
 * judges them by the spec: whitespace may follow an armor's end line,
 * anything else there is an ArmorError, and after a binary stream it is
 * trailing data (ChunkAuthenticationError).
 */
function judgeRest(dec: Decoder, rest: Uint8Array): { error: null; trailing?: string } {
  let e: unknown = null;
  try {
    if (dec.feed(rest) !== null) throw new OracleViolation("feed() after isDone() returned plaintext");
  } catch (x) {
    e = x;
  }
  if (e instanceof OracleViolation) throw e;
  if (!(e instanceof InsufficientDataError)) throw new OracleViolation(`feed() after isDone() threw ${describeError(e)}, not InsufficientDataError`);
  let again: unknown = null;
  try {
    dec.feed(new Uint8Array(1));
  } catch (x) {
    again = x;
  }
  if (again !== e) throw new OracleViolation(`misuse error not sticky: then ${describeError(again)}`);
  const armored = dec instanceof AgeAutoDecoder && dec.armored;
  if (armored && rest.every(isArmorSpace)) return { error: null };
  return { error: null, trailing: armored ? "ArmorError" : "ChunkAuthenticationError" };
}

/** AgeDecoder (and the auto decoder in a binary age v1 payload) accept a short final read (API.md). */
function shortReadAllowed(dec: Decoder, want: number): boolean {
  // a23crypt (A23CRYPT.md §7.1): the input ends anywhere; a short read is where it ended.
  if (dec instanceof A23Decoder) return dec._acceptsShortRead;
  // crypt-io (CRYPT-IO.md §7.2): once the header (and v2 salt) is read, a read shorter than a frame is the final chunk.
  if (dec instanceof CryptIoDecoder) {
    const h = dec.streamHeader;
    return h !== null && want === 2 ** h.chunkSizeLog2 + 16 && (h.version === 1 || dec._acceptsShortRead);
  }
  if (want !== CS + 16) return false;
  return dec instanceof AgeDecoder || (dec instanceof AgeAutoDecoder && dec.format === "age" && !dec.armored);
}

/** `consumed()` reports how much of the file a callable path read. */
function syncOutcome(gen: () => Iterable<Uint8Array>, consumed?: () => number): Outcome {
  const released: Uint8Array[] = [];
  try {
    for (const c of gen()) released.push(c.slice());
    return { released, error: null, complete: true, consumed: consumed?.() };
  } catch (e) {
    return { released, error: e, complete: false, consumed: consumed?.() };
  }
}

async function asyncOutcome(gen: () => AsyncIterable<Uint8Array>, consumed?: () => number): Promise<Outcome> {
  const released: Uint8Array[] = [];
  try {
    for await (const c of gen()) released.push(c.slice());
    return { released, error: null, complete: true, consumed: consumed?.() };
  } catch (e) {
    return { released, error: e, complete: false, consumed: consumed?.() };
  }
}

/**
 * Blobs of random sizes: mostly small (byte paths), sometimes up to 200 KiB
 * (the batched run path of age v1). Files over 20 KB get larger pieces, or
 * the thousands of tiny blobs would dominate the run time.
 */
export function blobsOf(file: Uint8Array, rand: Rand): Uint8Array[] {
  return randomSplits(file, rand, pick(rand, file.length > 20_000 ? [4096, 70_000, 200_000] : [1, 17, 200, 70_000]));
}

export type PathName =
  | "push" | "iterDecodeChunks" | "decodeBytes" | "iterDecodeCallable" | "aiterDecodeChunks" | "aiterDecodeCallable" | "decryptStream";

/** The paths every case takes, and those it takes in rotation (one per case). */
export const ALWAYS: readonly PathName[] = ["push", "iterDecodeChunks"];
export const ROTATING: readonly PathName[] = ["decodeBytes", "iterDecodeCallable", "aiterDecodeChunks", "aiterDecodeCallable", "decryptStream"];

export async function runPath(path: PathName, file: Uint8Array, dec: Decoder, bound: number, rand: Rand): Promise<Outcome> {
  switch (path) {
    case "push": return pushPath(file, dec, bound);
    case "iterDecodeChunks": return syncOutcome(() => iterDecodeChunks(blobsOf(file, rand), dec));
    case "decodeBytes": return syncOutcome(() => decodeBytes(file, dec));
    case "iterDecodeCallable": {
      // Reads of exactly n bytes, fewer only at the end.
      let off = 0;
      return syncOutcome(() => iterDecodeCallable((n) => file.subarray(off, (off = Math.min(off + n, file.length))), dec), () => off);
    }
    case "aiterDecodeChunks": {
      const blobs = blobsOf(file, rand);
      return asyncOutcome(() => aiterDecodeChunks((async function* () {
        for (const b of blobs) yield b;
      })(), dec));
    }
    case "aiterDecodeCallable": {
      let off = 0;
      return asyncOutcome(() => aiterDecodeCallable(async (n) => file.subarray(off, (off = Math.min(off + n, file.length))), dec), () => off);
    }
    case "decryptStream": {
      const blobs = blobsOf(file, rand);
      const source = new ReadableStream<Uint8Array>({
        start(c) {
          for (const b of blobs) c.enqueue(b);
          c.close();
        },
      });
      return asyncOutcome(() => source.pipeThrough(decryptStream(dec)) as unknown as AsyncIterable<Uint8Array>);
    }
  }
}

export function describeError(e: unknown): string {
  if (e === null) return "no error";
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}`;
  return `non-Error thrown: ${String(e)}`;
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

/**
 * Judges one outcome against the seed; returns a label for the tallies
 * ("plaintext", an error class name, or "unfinished" for a push-path input
 * that ended early) or throws OracleViolation.
 */
export function judge(seed: Pick<Seed, "chunks">, o: Outcome, secrets: readonly string[]): string {
  const want = seed.chunks;
  // Released chunks: a prefix of the chunk list, chunk for chunk.
  if (o.released.length > want.length) throw new OracleViolation(`released ${o.released.length} chunks, the file has ${want.length}`);
  o.released.forEach((c, i) => {
    if (!equal(c, want[i]!)) throw new OracleViolation(`released chunk ${i} (${c.length} bytes) differs from the original (${want[i]!.length} bytes)`);
  });
  if (o.error === null) {
    if (o.complete) {
      if (o.released.length !== want.length) throw new OracleViolation(`finished without error after ${o.released.length} of ${want.length} chunks`);
      return o.trailing ?? "plaintext";
    }
    return "unfinished";
  }
  const e = o.error;
  if (!(e instanceof DecodeError) || e instanceof InsufficientDataError) {
    throw new OracleViolation(`wrong kind of error: ${describeError(e)}${e instanceof Error ? `\n${e.stack}` : ""}`);
  }
  if (typeof e.message !== "string" || e.message.length === 0) throw new OracleViolation(`${e.constructor.name} without a message`);
  if (e.name !== e.constructor.name) throw new OracleViolation(`error name ${e.name} is not its class ${e.constructor.name}`);
  for (const s of secrets) {
    if (e.message.includes(s)) throw new OracleViolation(`error message contains a secret: ${e.message}`);
  }
  return e.constructor.name;
}

/** Tallies of a fuzz run, per format. */
export class Tally {
  cases = 0;
  decodes = 0;
  maxCaseMs = 0;
  totalMs = 0;
  readonly byOperator = new Map<string, number>();
  readonly byOutcome = new Map<string, number>();
  readonly byPath = new Map<string, number>();
  readonly bySeed = new Map<string, number>();

  add(map: Map<string, number>, key: string, n = 1): void {
    map.set(key, (map.get(key) ?? 0) + n);
  }

  /** The Markdown tables of a one-format group (crypt-io, a23crypt): totals, outcomes, operators, seeds (`seedHeading`). */
  tables(seedHeading: string): string {
    const fmt = (n: number) => n.toLocaleString("en-US");
    const rows = (m: Map<string, number>) => [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `| ${k} | ${fmt(v)} |`).join("\n");
    return `| cases | decodes | time (s) | ms / case | slowest case (ms) |
|---:|---:|---:|---:|---:|
| ${fmt(this.cases)} | ${fmt(this.decodes)} | ${(this.totalMs / 1000).toFixed(0)} | ${(this.totalMs / this.cases).toFixed(2)} | ${this.maxCaseMs.toFixed(0)} |

| outcome (rotating path) | cases |
|---|---:|
${rows(this.byOutcome)}

| operator | applied |
|---|---:|
${rows(this.byOperator)}

| ${seedHeading} | cases |
|---|---:|
${rows(this.bySeed)}
`;
  }
}

/** A decoder kind for the case: the format's own decoder or the auto-detecting one (armor: always auto). */
export function decoderKind(armored: boolean, rand: Rand): DecoderKind {
  return armored || chance(rand, 0.4) ? "auto" : "strict";
}


/** A mutation operator of a one-format group: the seed's bytes changed, or null where it does not apply. */
export type Operator<S> = (seed: S, bytes: Uint8Array, rand: Rand) => Uint8Array | null;

/** One case of a one-format group (crypt-io, a23crypt): what the group's file gives runFormatCase. */
export interface FormatCase<S extends { name: string; file: Uint8Array }> {
  /** The group's name, as AGE_RT_FUZZ_CASE takes it (`NAME:index`). */
  group: string;
  seed: S;
  operators: Readonly<Record<string, Operator<S>>>;
  /** The oracle's label for the mutant decoded on `path` (judge() of runPath's outcome). */
  label(path: PathName, bytes: Uint8Array): Promise<string>;
  /** The seed's row in the tally. */
  seedGroup: string;
  limitMs: number;
}

/**
 * Mutates the case's seed with one operator (three cases in four) or two to
 * three, decodes the mutant on both ALWAYS paths and the rotating one, checks
 * that the paths agree (push may stop short, never at plaintext the others
 * refused) and that the case stayed under its time limit, and tallies it.
 */
export async function runFormatCase<S extends { name: string; file: Uint8Array }>(
  c: FormatCase<S>, index: number, rand: Rand, tally: Tally,
): Promise<void> {
  const names = Object.keys(c.operators);
  let bytes = c.seed.file;
  const ops: string[] = [];
  const count = chance(rand, 0.75) ? 1 : 2 + Math.floor(rand() * 2);
  for (let tries = 0; ops.length < count && tries < 50; tries++) {
    const name = pick(rand, names);
    const out = c.operators[name]!(c.seed, bytes, rand);
    if (out === null) continue;
    ops.push(name);
    bytes = out;
  }
  const id = `case ${c.group}:${index}`;
  const rotating = ROTATING[index % ROTATING.length]!;
  const paths: PathName[] = [...ALWAYS, rotating];
  const labels = new Map<PathName, string>();
  const t0 = performance.now();
  for (const path of paths) {
    const where = () => `${id} (replay: AGE_RT_FUZZ_CASE=${c.group}:${index}), seed ${c.seed.name}, ops [${ops.join(", ")}], path ${path}`;
    try {
      labels.set(path, await c.label(path, bytes));
    } catch (e) {
      if (e instanceof OracleViolation) throw new Error(`${where()}: ${e.message}`);
      throw new Error(`${where()}: the test harness threw ${describeError(e)}`, { cause: e });
    }
    tally.add(tally.byPath, path);
  }
  const ms = performance.now() - t0;
  const iterLabels = new Set([...labels].filter(([p]) => p !== "push").map(([, l]) => l));
  const push = labels.get("push")!;
  const agree = iterLabels.size === 1 && (push === "unfinished" ? !iterLabels.has("plaintext") : iterLabels.has(push));
  if (!agree) throw new Error(`${id}, seed ${c.seed.name}, ops [${ops.join(", ")}]: paths disagree: ${JSON.stringify(Object.fromEntries(labels))}`);
  if (ms > c.limitMs) throw new Error(`${id} took ${ms.toFixed(0)} ms, over ${c.limitMs} ms`);
  tally.cases++;
  tally.decodes += paths.length;
  tally.totalMs += ms;
  tally.maxCaseMs = Math.max(tally.maxCaseMs, ms);
  for (const op of ops) tally.add(tally.byOperator, op);
  tally.add(tally.byOutcome, labels.get(rotating)!);
  tally.add(tally.bySeed, c.seedGroup);
}
