// Header non-malleability (issue 5, like Go age's FuzzMalleability): a header
// has exactly one encoding, so parsing and re-encoding gives back the very
// bytes that were parsed. Checked on every CCTV vector whose header parses,
// on random valid headers, and on random mutations of them: a mutant either
// fails to parse (with HeaderParseError, nothing else) or re-encodes to the
// mutated bytes exactly — so no edit of a header can leave its meaning (and
// its MAC input) unchanged.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HeaderParseError, armor } from "../src/index.js";
import { encodeHeaderWithoutMac, encodeMacLine, parseHeader, type Header } from "../src/format/header.js";
import type { Version } from "../src/format/version.js";
import type { Stanza } from "../src/format/stanza.js";
import { loadVectors } from "./helpers/cctv.js";
import { FUZZ_FULL } from "./helpers/fuzz.js";

const RUNS = FUZZ_FULL ? 50_000 : 1500;
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

function reencode(h: Header): { head: Uint8Array; full: Uint8Array } {
  const head = encodeHeaderWithoutMac(h.version, h.stanzas);
  return { head, full: new Uint8Array(Buffer.concat([head, encodeMacLine(h.mac)])) };
}

/** Parses `bytes` and checks the round trip; returns "round trip" or the HeaderParseError message. Any other error fails the test. */
function roundTrip(bytes: Uint8Array): string {
  let parsed: { header: Header; length: number };
  try {
    parsed = parseHeader(bytes);
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw new Error(`parseHeader threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    return e.message;
  }
  const { head, full } = reencode(parsed.header);
  expect(same(full, bytes.subarray(0, parsed.length)), "re-encoding differs from the parsed bytes").toBe(true);
  expect(same(parsed.header.macInput, head), "the MAC input differs from the re-encoded header").toBe(true);
  return "round trip";
}

describe("CCTV vectors", () => {
  const vectors = loadVectors();
  const binary = (v: (typeof vectors)[number]): Uint8Array | null => {
    if (!v.armored) return v.body;
    try {
      return armor.decode(v.body);
    } catch {
      return null; // an armor failure: no header to speak of
    }
  };

  it("every vector that is not a header failure: the header parses and re-encodes to the same bytes", () => {
    let checked = 0;
    for (const v of vectors.filter((v) => v.expect !== "header failure")) {
      const bin = binary(v);
      if (bin === null) {
        expect(v.expect, v.name).toBe("armor failure");
        continue;
      }
      if (bin.length === 0) continue; // armor_empty and the like
      expect(roundTrip(bin), v.name).toBe("round trip");
      checked++;
    }
    expect(checked).toBeGreaterThan(50); // 143 vectors: the header failures, armor failures and empty bodies aside
  });

  it("header-failure vectors: either refused by the parser, or (semantic failures such as a bad share length) they round-trip too", () => {
    const outcomes = { refused: 0, roundTrip: 0 };
    for (const v of vectors.filter((v) => v.expect === "header failure")) {
      const bin = binary(v);
      if (bin === null) continue;
      if (roundTrip(bin) === "round trip") outcomes.roundTrip++;
      else outcomes.refused++;
    }
    expect(outcomes.refused).toBeGreaterThan(10);
  });
});

// Arbitraries for valid headers.
const vchar = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
const arg = fc.array(vchar, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(""));
const bodyLength = fc.oneof(fc.constantFrom(0, 1, 2, 3, 16, 32, 47, 48, 49, 95, 96, 97, 144), fc.integer({ min: 0, max: 300 }));
const stanza: fc.Arbitrary<Stanza> = fc.record({
  type: fc.oneof(fc.constantFrom("X25519", "scrypt", "mlkem768x25519", "-", "---", "->"), arg),
  args: fc.array(arg, { maxLength: 4 }),
  body: bodyLength.chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
});
const version: fc.Arbitrary<Version> = fc.oneof(
  fc.constant({ format: "age" } as const),
  fc.oneof(fc.constantFrom(1, 64, 65535, 65536, 65537, 16 << 20), fc.integer({ min: 1, max: 16 << 20 })).map((maxChunk) => ({ format: "age-rt", maxChunk }) as const),
);
const header = fc.record({
  version,
  stanzas: fc.array(stanza, { minLength: 1, maxLength: 5 }),
  mac: fc.uint8Array({ minLength: 32, maxLength: 32 }),
});
const encode = (h: { version: Version; stanzas: Stanza[]; mac: Uint8Array }) =>
  new Uint8Array(Buffer.concat([encodeHeaderWithoutMac(h.version, h.stanzas), encodeMacLine(h.mac)]));

describe("random headers (fast-check)", () => {
  it("valid headers parse to the same version, stanzas and MAC, and re-encode to the same bytes (payload bytes after them untouched)", () => {
    fc.assert(fc.property(header, fc.uint8Array({ maxLength: 40 }), (h, payload) => {
      const bytes = encode(h);
      const { header: parsed, length } = parseHeader(new Uint8Array(Buffer.concat([bytes, payload])));
      expect(length).toBe(bytes.length);
      expect(parsed.version).toEqual(h.version);
      expect(parsed.stanzas.map((s) => ({ ...s, body: [...s.body] }))).toEqual(h.stanzas.map((s) => ({ ...s, args: [...s.args], body: [...s.body] })));
      expect(same(parsed.mac, h.mac)).toBe(true);
      expect(roundTrip(bytes)).toBe("round trip");
    }), { numRuns: RUNS });
  });

  // Mutations: byte-level edits anywhere, and line-level edits.
  const INTERESTING = [0x00, 0x09, 0x0a, 0x0d, 0x20, 0x2b, 0x2d, 0x2f, 0x3d, 0x3e, 0x41, 0x61, 0x7f, 0x80, 0xff];
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("flip"), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant("set"), at: fc.nat(), value: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 })) }),
    fc.record({ kind: fc.constant("insert"), at: fc.nat(), value: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 })) }),
    fc.record({ kind: fc.constant("delete"), at: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant("line"), at: fc.nat(), op: fc.constantFrom("duplicate", "drop", "swap", "crlf", "space") }),
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

  function apply(bytes: Uint8Array, m: Mutation): Uint8Array {
    const b = Buffer.from(bytes);
    const at = m.at % (b.length + 1);
    switch (m.kind) {
      case "flip": {
        const out = Buffer.from(b);
        if (at < out.length) out[at]! ^= 1 << m.bit;
        return out;
      }
      case "set": {
        const out = Buffer.from(b);
        if (at < out.length) out[at] = m.value;
        return out;
      }
      case "insert": return Buffer.concat([b.subarray(0, at), Buffer.from([m.value]), b.subarray(at)]);
      case "delete": return Buffer.concat([b.subarray(0, at), b.subarray(at + m.count)]);
      case "line": {
        const lines = b.toString("latin1").split("\n");
        const i = m.at % lines.length;
        const j = (i + 1) % lines.length;
        if (m.op === "duplicate") lines.splice(i, 0, lines[i]!);
        else if (m.op === "drop") lines.splice(i, 1);
        else if (m.op === "swap") [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        else if (m.op === "crlf") lines[i] += "\r";
        else lines[i] += " ";
        return Buffer.from(lines.join("\n"), "latin1");
      }
    }
  }

  it("mutated headers either fail to parse (HeaderParseError only) or re-encode to the mutated bytes exactly", () => {
    const tally = { refused: 0, roundTrip: 0 };
    fc.assert(fc.property(header, fc.array(mutation, { minLength: 1, maxLength: 3 }), (h, ms) => {
      const mutated = ms.reduce<Uint8Array>(apply, encode(h));
      if (roundTrip(mutated) === "round trip") tally.roundTrip++;
      else tally.refused++;
    }), { numRuns: RUNS * 2 });
    // Both outcomes happen (an edit inside a stanza body can give another valid header).
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.roundTrip).toBeGreaterThan(0);
  });
});
