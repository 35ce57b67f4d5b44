import { describe, expect, it } from "vitest";
import { ArmorError, UsageError } from "../src/errors.js";
import { ArmorDecoder, ArmorEncoder, BEGIN_LINE, END_LINE, armor, isArmorLeadByte, isArmorStart } from "../src/format/armor.js";
import { loadVectors, type CctvVector } from "./helpers/cctv.js";

const armored = loadVectors().filter((v) => v.armored);
const latin1 = (b: Uint8Array) => Buffer.from(b).toString("latin1");

/** The canonical form of an accepted armor text: outer whitespace trimmed, LF, final newline. */
const canonical = (text: string) => text.trim().replaceAll("\r\n", "\n") + "\n";

/** Runs the incremental decoder over `input` split at `cuts`; returns the output or the error. */
function streamDecode(input: Uint8Array, cuts: number[]): Uint8Array | ArmorError {
  const dec = new ArmorDecoder();
  const parts: Uint8Array[] = [];
  try {
    let at = 0;
    for (const cut of [...cuts, input.length]) {
      parts.push(dec.push(input.subarray(at, cut)));
      at = cut;
    }
    dec.finish();
    return new Uint8Array(Buffer.concat(parts));
  } catch (e) {
    if (!(e instanceof ArmorError)) throw e;
    return e;
  }
}

function randomCuts(n: number, count: number): number[] {
  return Array.from({ length: count }, () => Math.floor(Math.random() * (n + 1))).sort((a, b) => a - b);
}

describe("armor: CCTV vectors", () => {
  it("has the armored vectors", () => {
    expect(armored.length).toBeGreaterThanOrEqual(30);
    expect(armored.filter((v) => v.expect === "armor failure").length).toBeGreaterThanOrEqual(20);
  });

  it.each(armored.map((v) => [v.name, v] as const))("%s", (_, v: CctvVector) => {
    const text = latin1(v.body);
    if (v.expect === "armor failure") {
      expect(() => armor.decode(text)).toThrow(ArmorError);
      return;
    }
    const bin = armor.decode(text);
    expect(armor.encode(bin)).toBe(canonical(text));
    // The decoded file is a binary age file (or empty, for armor_empty).
    if (bin.length > 0) expect(latin1(bin.subarray(0, 21))).toBe("age-encryption.org/v1");
  });

  it.each(armored.map((v) => [v.name, v] as const))("%s: streamed byte by byte and at random splits", (_, v: CctvVector) => {
    const whole = (() => {
      try {
        return armor.decode(v.body);
      } catch (e) {
        return e as ArmorError;
      }
    })();
    expect(whole instanceof ArmorError).toBe(v.expect === "armor failure");
    const byByte = streamDecode(v.body, Array.from({ length: v.body.length }, (_, i) => i));
    const splits = [1, 2, 5, 17].map((k) => streamDecode(v.body, randomCuts(v.body.length, k)));
    for (const r of [byByte, ...splits]) {
      if (whole instanceof ArmorError) {
        expect(r).toBeInstanceOf(ArmorError);
        expect((r as ArmorError).message).toBe(whole.message); // same place, same reason
      } else {
        expect(r).toEqual(whole);
      }
    }
  });
});

describe("armor: encode", () => {
  it("writes padded base64 in 64-column lines with LF and a final newline", () => {
    for (const n of [0, 1, 2, 3, 47, 48, 49, 95, 96, 97, 1000]) {
      const bin = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = armor.encode(bin);
      const lines = text.split("\n");
      expect(lines[0]).toBe(BEGIN_LINE);
      expect(lines.at(-2)).toBe(END_LINE);
      expect(lines.at(-1)).toBe("");
      const body = lines.slice(1, -2);
      expect(body.length).toBe(Math.ceil(n / 48));
      body.forEach((l, i) => (i < body.length - 1 ? expect(l).toHaveLength(64) : expect(l.length).toBeLessThanOrEqual(64)));
      expect(body.join("")).toBe(Buffer.from(bin).toString("base64"));
      expect(armor.decode(text)).toEqual(bin);
    }
  });

  it("streams: any split of the input gives the same text", () => {
    const bin = crypto.getRandomValues(new Uint8Array(500));
    for (let k = 0; k < 20; k++) {
      const enc = new ArmorEncoder();
      let out = "";
      let at = 0;
      for (const cut of [...randomCuts(bin.length, k), bin.length]) {
        out += enc.push(bin.subarray(at, cut));
        at = cut;
      }
      out += enc.finish();
      expect(out).toBe(armor.encode(bin));
    }
    const enc = new ArmorEncoder();
    enc.finish();
    expect(() => enc.push(bin)).toThrow(UsageError);
    expect(() => enc.finish()).toThrow(UsageError);
  });
});

describe("armor: decode edge cases", () => {
  const bin = Uint8Array.from({ length: 100 }, (_, i) => i);
  const good = armor.encode(bin);
  const bad = (text: string, why: RegExp) => {
    expect(() => armor.decode(text)).toThrow(ArmorError);
    expect(() => armor.decode(text)).toThrow(why);
  };

  it("accepts the tolerated variants", () => {
    expect(armor.decode(good)).toEqual(bin);
    expect(armor.decode(good.replaceAll("\n", "\r\n"))).toEqual(bin);
    expect(armor.decode(" \t\r\n\n" + good + "\n \r\n\t")).toEqual(bin);
    expect(armor.decode(good.trimEnd())).toEqual(bin);
    expect(armor.decode(new TextEncoder().encode(good))).toEqual(bin);
    expect(armor.decode(`${BEGIN_LINE}\n${END_LINE}\n`)).toEqual(new Uint8Array(0));
  });

  it("rejects mixed line endings", () => {
    bad(good.replace("\n", "\r\n"), /LF line ending in a file using CRLF/);
    bad(good.replaceAll("\n", "\r\n").replace(/\r\n(?=[^-])/, "\n"), /LF line ending/);
    bad(good.replace(/\n(?=[A-Za-z0-9+/])/g, (m, i: number) => (i > 100 ? "\r\n" : m)), /CR in a file using LF/);
    bad(good.replace("\n", "\r\r\n"), /CR not followed by LF/);
  });

  it("rejects what only a lax parser would take", () => {
    bad("", /no begin line/);
    bad("  \n\t", /no begin line/);
    bad(good.slice(0, 20), /truncated begin line/);
    bad(good.slice(0, good.length - 5), /truncated end line/);
    bad(good.replace(END_LINE + "\n", ""), /missing end line/);
    bad(good + "x", /after the end line/);
    bad("x" + good, /expected the begin line/);
    bad(good.replace(BEGIN_LINE, BEGIN_LINE + " "), /after the begin line/);
    bad(good.replace(END_LINE, END_LINE.slice(0, -1)), /expected the end line/);
    bad(good.replace("\n", "\nAAAA\n"), /short or padded line/);
    bad(good.replace(/\n[^\n]*\n-----END/, (m) => "\n" + m.slice(1).replace("\n", "\n\n")), /empty line/);
    bad(good.replace(/[A-Za-z]/g, (c, i: number) => (i === 40 ? "é" : c)), /not base64/);
  });

  it("rejects a line whose padding is non-canonical or misplaced", () => {
    // 100 bytes: two full lines and a last line of 4 bytes ("ZGFi" style, no padding) — make a 1-byte tail instead.
    const one = armor.encode(new Uint8Array([0xff]));
    expect(one).toContain("\n/w==\n");
    bad(one.replace("/w==", "/x=="), /non-canonical/);
    bad(one.replace("/w==", "/w="), /not a multiple of 4/);
    bad(one.replace("/w==", "/w"), /not a multiple of 4/);
    bad(one.replace("/w==", "/w==AAAA"), /non-canonical, or padding before the end/);
    const two = armor.encode(new Uint8Array(47)); // a 64-column line ending in "="
    expect(two.split("\n")[1]).toMatch(/^A{63}=$/);
    expect(armor.decode(two)).toEqual(new Uint8Array(47));
    bad(two.replace(END_LINE, "AAAA\n" + END_LINE), /short or padded line/);
  });

  it("names the line and column of an error", () => {
    const text = good.replace(/\n(.{9})./, "\n$1*");
    expect(() => armor.decode(text)).toThrow(/line 2, column 10: invalid character/);
  });

  it("keeps throwing the same error, and refuses use after finish", () => {
    const dec = new ArmorDecoder();
    let first: unknown;
    try {
      dec.push(new TextEncoder().encode("garbage"));
    } catch (e) {
      first = e;
    }
    expect(first).toBeInstanceOf(ArmorError);
    expect(() => dec.push(new Uint8Array(0))).toThrow(first as Error);
    expect(() => dec.finish()).toThrow(first as Error);
    const ok = new ArmorDecoder();
    ok.push(new TextEncoder().encode(good));
    expect(ok.ended).toBe(true);
    ok.finish();
    ok.finish(); // idempotent
    expect(() => ok.push(new Uint8Array(1))).toThrow(UsageError);
  });

  it("decodes a large file in constant-size pieces", () => {
    const big = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 2654435761) >>> 24);
    const text = new TextEncoder().encode(armor.encode(big));
    const dec = new ArmorDecoder();
    const parts: Uint8Array[] = [];
    for (let i = 0; i < text.length; i += 4093) {
      const out = dec.push(text.subarray(i, i + 4093));
      expect(out.length).toBeLessThanOrEqual(Math.floor(((4093 + 64) * 3) / 4));
      parts.push(out);
    }
    dec.finish();
    expect(Buffer.concat(parts).equals(Buffer.from(big))).toBe(true);
  });
});

describe("armor: detection", () => {
  const enc = (s: string) => new TextEncoder().encode(s);

  it("isArmorStart needs optional whitespace and the whole begin line", () => {
    expect(isArmorStart(enc(BEGIN_LINE))).toBe(true);
    expect(isArmorStart(enc(" \r\n\t" + BEGIN_LINE + "\nAAAA"))).toBe(true);
    expect(isArmorStart(enc(BEGIN_LINE.slice(0, -1)))).toBe(false);
    expect(isArmorStart(enc("-----BEGIN AGE ENCRYPTED MESSAGE-----"))).toBe(false);
    expect(isArmorStart(enc("age-encryption.org/v1\n"))).toBe(false);
    expect(isArmorStart(new Uint8Array(0))).toBe(false);
  });

  it("isArmorLeadByte tells armor from a binary header by the first byte", () => {
    for (const c of " \t\r\n-") expect(isArmorLeadByte(c.charCodeAt(0))).toBe(true);
    for (const c of "ag") expect(isArmorLeadByte(c.charCodeAt(0))).toBe(false);
  });
});
