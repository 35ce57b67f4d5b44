// What an encrypted file is, without decrypting it (age-rt-inspect, API.md
// "Command line"; the field names and meanings of Go age-inspect's JSON):
// its version line, armor, stanza types, whether it is post-quantum, and the
// sizes of its header, armor, encryption overhead and payload, plus the
// number of payload chunks.
//
// age v1 chunks are all 64 KiB but the last (age v1 "Payload"), so their
// count follows from the payload's size: a regular file is read up to the
// end of its header and no further. age-rt v0.2 chunks carry 4-byte length
// prefixes: a regular file is read prefix by prefix, skipping the frames.
// Armor and pipes are read to the end (the armor's size depends on its line
// endings, a pipe's size on its end). Nothing is decrypted: sizes are what
// the file says "assuming it decrypts", as Go's tool puts it.
import { ChunkAuthenticationError, StreamTruncatedError } from "../errors.js";
import { ArmorDecoder, isArmorLeadByte } from "../format/armor.js";
import { AGE_SEALED_CHUNK } from "../format/chunk-size.js";
import { HeaderReader, type Header } from "../format/header.js";
import { versionLine } from "../format/version.js";

const NONCE = 16;
const TAG = 16;
const PREFIX = 4;

/** Go age-inspect's JSON (internal/inspect Metadata), plus `chunks`. */
export interface Inspection {
  version: string;
  postquantum: "yes" | "no" | "unknown";
  armor: boolean;
  stanza_types: string[];
  sizes: {
    header: number;
    armor: number;
    overhead: number;
    min_payload: number;
    max_payload: number;
    min_padding: number;
    max_padding: number;
  };
  chunks: number;
}

/** Where the bytes come from: positional reads of a regular file, or a stream read to its end. */
export type InspectSource =
  | { kind: "file"; size: number; readAt: (offset: number, length: number) => Uint8Array }
  | { kind: "stream"; chunks: AsyncIterator<Uint8Array> };

// Stanza types whose key exchange a quantum computer breaks, and those it
// does not (scrypt is symmetric). As Go age-inspect decides: any classic
// stanza makes the file "no"; else any post-quantum one makes it "yes"; a
// file of other types only (a plugin's, or GREASE) is "unknown". Other types
// beside post-quantum ones do not count: they cannot weaken the file key's
// wrapping in the post-quantum stanza (a classic one can).
const CLASSIC = new Set(["X25519", "ssh-rsa", "ssh-ed25519", "p256tag", "piv-p256"]);
const POST_QUANTUM = new Set(["mlkem768x25519", "mlkem768p256tag", "scrypt"]);

export function postQuantum(types: readonly string[]): Inspection["postquantum"] {
  if (types.some((t) => CLASSIC.has(t))) return "no";
  if (types.some((t) => POST_QUANTUM.has(t))) return "yes";
  return "unknown";
}

/**
 * The chunk count and encryption overhead of an age v1 payload of `size`
 * bytes (nonce included): full sealed chunks, then one shorter final chunk
 * that is empty only when it is the only one. Throws when no such split
 * exists (the file is truncated or extended).
 */
export function ageV1Layout(size: number): { chunks: number; overhead: number } {
  if (size < NONCE + TAG) throw new StreamTruncatedError(`the payload is ${size} bytes, shorter than a nonce and one empty chunk (32)`);
  const sealed = size - NONCE;
  const full = Math.floor(sealed / AGE_SEALED_CHUNK);
  const rest = sealed % AGE_SEALED_CHUNK;
  let chunks: number;
  if (rest === 0) chunks = full;
  else if (rest < TAG) throw new StreamTruncatedError(`the last chunk is ${rest} bytes, shorter than its tag`);
  else if (rest === TAG && full > 0) throw new ChunkAuthenticationError("the payload ends with an empty chunk after a full one, which age v1 forbids");
  else chunks = full + 1;
  return { chunks, overhead: NONCE + TAG * chunks };
}

/**
 * Walks an age-rt v0.2 payload: the nonce, then frames of a 4-byte
 * big-endian length L (16 ≤ L ≤ maxChunk + 16) and L bytes. Bytes are pushed
 * as they come; a frame's body may instead be skipped unseen.
 */
export class FrameWalker {
  chunks = 0;
  private inNonce = NONCE;
  private readonly prefix = new Uint8Array(PREFIX);
  private prefixLen = 0;
  private body = 0; // bytes of the current frame's body still to come

  constructor(private readonly maxChunk: number) {}

  /** How many bytes may be skipped unseen now (the rest of a frame's body). */
  get skippable(): number {
    return this.body;
  }

  skip(n: number): void {
    this.body -= n;
  }

  push(data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      if (this.inNonce > 0) {
        const n = Math.min(this.inNonce, data.length - i);
        this.inNonce -= n;
        i += n;
      } else if (this.body > 0) {
        const n = Math.min(this.body, data.length - i);
        this.body -= n;
        i += n;
      } else {
        this.prefix[this.prefixLen++] = data[i++]!;
        if (this.prefixLen === PREFIX) this.frame();
      }
    }
  }

  private frame(): void {
    const p = this.prefix;
    const length = ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
    if (length < TAG || length > this.maxChunk + TAG) {
      throw new ChunkAuthenticationError(`chunk ${this.chunks}: length prefix ${length} is outside ${TAG}..${this.maxChunk + TAG}`);
    }
    this.prefixLen = 0;
    this.body = length;
    this.chunks++;
  }

  /** The chunk count and overhead once the input ended; throws if it ended inside a frame. */
  finish(): { chunks: number; overhead: number } {
    if (this.inNonce > 0) throw new StreamTruncatedError("the input ends inside the payload nonce");
    if (this.prefixLen > 0 || this.body > 0) throw new StreamTruncatedError(`the input ends inside chunk ${this.chunks - (this.body > 0 ? 1 : 0)}`);
    if (this.chunks === 0) throw new StreamTruncatedError("the payload has no chunk");
    return { chunks: this.chunks, overhead: NONCE + (PREFIX + TAG) * this.chunks };
  }
}

const HEAD_READ = 4096;

/** Inspects `src`; throws the decoders' typed errors on a malformed file. */
export async function inspect(src: InspectSource): Promise<Inspection> {
  const reader = new HeaderReader();
  let armor: ArmorDecoder | null = null;
  let inputBytes = 0; // bytes read from the source (armored text, when armored)
  let headerLength = 0;
  let payloadSeen: Uint8Array[] = []; // binary bytes read past the header
  let nextRead: () => Promise<Uint8Array | null>;
  if (src.kind === "file") {
    let at = 0;
    nextRead = async () => {
      if (at >= src.size) return null;
      const piece = src.readAt(at, Math.min(HEAD_READ, src.size - at));
      at += piece.length;
      return piece;
    };
  } else {
    nextRead = async () => {
      const next = await src.chunks.next();
      return next.done ? null : next.value;
    };
  }
  let first = true;
  for (;;) {
    const piece = await nextRead();
    if (piece === null) throw new StreamTruncatedError("the input ends inside the header");
    if (piece.length === 0) continue;
    inputBytes += piece.length;
    if (first) armor = isArmorLeadByte(piece[0]!) ? new ArmorDecoder() : null;
    first = false;
    const binary = armor ? armor.push(piece) : piece;
    const took = reader.push(binary);
    headerLength += took;
    if (reader.header !== null) {
      payloadSeen = [binary.subarray(took)];
      break;
    }
  }
  const header = reader.header as Header;
  let layout: { chunks: number; overhead: number };
  let payloadSize: number;
  if (src.kind === "file" && armor === null && header.version.format === "age") {
    payloadSize = src.size - headerLength;
    layout = ageV1Layout(payloadSize);
  } else {
    // Count (and for age-rt, walk) the rest: positionally for a plain
    // age-rt file, else by reading everything.
    const walker = header.version.format === "age-rt" ? new FrameWalker(header.version.maxChunk) : null;
    let count = 0;
    const take = (binary: Uint8Array) => {
      count += binary.length;
      walker?.push(binary);
    };
    for (const b of payloadSeen) take(b);
    if (src.kind === "file" && armor === null && walker !== null) {
      let at = inputBytes;
      while (at < src.size) {
        const skip = Math.min(walker.skippable, src.size - at);
        if (skip > 0) {
          walker.skip(skip);
          count += skip;
          at += skip;
          continue;
        }
        const piece = src.readAt(at, Math.min(PREFIX, src.size - at));
        at += piece.length;
        take(piece);
      }
    } else {
      for (let piece = await nextRead(); piece !== null; piece = await nextRead()) {
        inputBytes += piece.length;
        take(armor ? armor.push(piece) : piece);
      }
      armor?.finish();
    }
    payloadSize = count;
    layout = walker ? walker.finish() : ageV1Layout(count);
  }
  const stanzaTypes = header.stanzas.map((s) => s.type);
  const payload = payloadSize - layout.overhead;
  return {
    version: versionLine(header.version),
    postquantum: postQuantum(stanzaTypes),
    armor: armor !== null,
    stanza_types: stanzaTypes,
    sizes: {
      header: headerLength,
      armor: armor !== null ? inputBytes - headerLength - payloadSize : 0,
      overhead: layout.overhead,
      min_payload: payload,
      max_payload: payload,
      min_padding: 0,
      max_padding: 0,
    },
    chunks: layout.chunks,
  };
}

/** The human-readable report. */
export function describeInspection(name: string, r: Inspection): string {
  const format = r.version.startsWith("age-encryption.org/") ? "an age v1 file" : "an age-rt file";
  const lines = [`${name} is ${format}, version ${JSON.stringify(r.version)}.`, ""];
  if (r.armor) lines.push("It is ASCII-armored.", "");
  lines.push("Its file key is wrapped for these recipient types (one stanza each):");
  for (const t of r.stanza_types) lines.push(`  - ${JSON.stringify(t)}`);
  lines.push("");
  lines.push(
    r.postquantum === "yes" ? "It is protected against future quantum computers (post-quantum)."
      : r.postquantum === "no" ? "It is NOT protected against future quantum computers (not post-quantum)."
        : "Whether it is protected against future quantum computers is unknown.",
    "",
  );
  const s = r.sizes;
  const row = (label: string, n: number) => `    ${label.padEnd(20)}${String(n).padStart(14)} bytes`;
  lines.push("Sizes, if it decrypts:", "");
  lines.push(row("Header", s.header));
  if (r.armor) lines.push(row("Armor overhead", s.armor));
  lines.push(row("Encryption overhead", s.overhead));
  lines.push(row("Payload", s.min_payload));
  lines.push(`    ${"".padEnd(20)}${"-".repeat(20)}`);
  lines.push(row("Total", s.header + s.armor + s.overhead + s.min_payload));
  lines.push("");
  lines.push(`The payload is ${r.chunks} chunk${r.chunks === 1 ? "" : "s"}.`, "");
  lines.push("For machine-readable output, use --json.");
  return lines.join("\n") + "\n";
}
