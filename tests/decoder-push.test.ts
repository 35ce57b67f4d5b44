// The raw push protocol, driven the way the Python reference's README shows:
// `while (wanted = dec.bytesWanted) feed(read(wanted))`, one chunk per feed.
// Armored input goes one character per feed and still yields every chunk,
// even for age-rt streams of many tiny chunks.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeDecoder, AgeEncoder, AgeRTDecoder, AgeRTEncoder, InsufficientDataError, armor, encodeBytes, generateIdentity,
  identityToRecipient, type Decoder,
} from "../src/index.js";
import { loadVectors } from "./helpers/cctv.js";

/** The reference's loop: feed exactly bytesWanted (a short read only at the end). */
function pushAll(file: Uint8Array, dec: Decoder): Uint8Array[] {
  const out: Uint8Array[] = [];
  let off = 0;
  for (let wanted = dec.bytesWanted; wanted > 0 && off < file.length; wanted = dec.bytesWanted) {
    const data = file.subarray(off, off + wanted);
    off += data.length;
    const chunk = dec.feed(data);
    if (chunk !== null) out.push(chunk.slice());
  }
  return out;
}

const identity = generateIdentity();

describe("push protocol", () => {
  it("binary age-rt: one chunk per feed, the empty final chunk included", () => {
    const chunks = [new Uint8Array([1]), new Uint8Array(0), new Uint8Array(70).fill(2)];
    const file = encodeBytes(chunks, AgeRTEncoder.fromRecipients([identityToRecipient(identity)]));
    const dec = new AgeRTDecoder({ identities: [identity] });
    const out = pushAll(file, dec);
    expect(out.map((c) => c.length)).toEqual([1, 0, 70, 0]);
    expect(dec.isDone()).toBe(true);
    expect(dec.bytesWanted).toBe(0);
  });

  it("armored age-rt of many tiny chunks, one character per feed", () => {
    const chunks = Array.from({ length: 50 }, (_, i) => new Uint8Array(i % 3).fill(i));
    const file = encodeBytes(chunks, AgeRTEncoder.fromRecipients([identityToRecipient(identity)]));
    const text = new TextEncoder().encode(armor.encode(file));
    const dec = new AgeAutoDecoder({ identities: [identity] });
    const out = pushAll(text, dec);
    expect(dec.armored).toBe(true);
    expect(dec.format).toBe("age-rt");
    expect(out.map((c) => c.length)).toEqual([...chunks.map((c) => c.length), 0]);
    expect(dec.isDone()).toBe(true);
  });

  it("an armored age v1 file of several chunks, one character per feed, byte for byte", () => {
    const data = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7 + (i >> 9)) & 0xff);
    const file = encodeBytes([data], AgeEncoder.fromRecipients([identityToRecipient(identity)]));
    const text = new TextEncoder().encode(armor.encode(file));
    const dec = new AgeAutoDecoder({ identities: [identity] });
    const out = pushAll(text, dec);
    expect(out.map((c) => c.length)).toEqual([65536, 65536, 65536, 3392]);
    expect(Buffer.compare(Buffer.concat(out), data)).toBe(0);
    expect(dec.isDone()).toBe(true);
  });

  it("every armored CCTV success vector, one character per feed", () => {
    const armoredOk = loadVectors().filter((v) => v.armored && v.expect === "success" && v.identities.every((i) => !i.includes("-PQ-")));
    expect(armoredOk.length).toBeGreaterThan(3);
    for (const v of armoredOk) {
      const dec = new AgeAutoDecoder({ identities: v.identities, passphrase: v.passphrases });
      const out = pushAll(v.body, dec);
      expect(dec.isDone(), v.name).toBe(true);
      expect(createHash("sha256").update(Buffer.concat(out)).digest("hex"), v.name).toBe(v.payloadHash);
    }
  });

  // The Python reference asks for the same sizes (interop with it relies on them):
  // the header one byte at a time, 16 for the nonce, then 4 + the frame's
  // length per age-rt chunk, 64 KiB + 16 per age v1 chunk, then 0.
  describe("the bytesWanted sequence is the reference's", () => {
    /** Every bytesWanted before a feed, then the final one. */
    function wantedSequence(file: Uint8Array, dec: Decoder): number[] {
      const seq: number[] = [];
      let off = 0;
      while (dec.bytesWanted > 0) {
        seq.push(dec.bytesWanted);
        const data = file.subarray(off, off + dec.bytesWanted);
        off += data.length;
        dec.feed(data);
      }
      expect(off).toBe(file.length);
      return [...seq, dec.bytesWanted];
    }
    /** Bytes up to and including the header's MAC line. */
    const headerLength = (file: Uint8Array) => Buffer.from(file).indexOf("\n", Buffer.from(file).indexOf("\n--- ") + 1) + 1;
    const recipient = identityToRecipient(identity);

    for (const make of [() => new AgeRTDecoder({ identities: [identity] }), () => new AgeAutoDecoder({ identities: [identity] })]) {
      it(`age-rt, ${make().constructor.name}: 1 per header byte, 16, then 4 and 16 + L per chunk`, () => {
        const chunks = [new Uint8Array(1), new Uint8Array(0), new Uint8Array(70), new Uint8Array(65536)];
        const file = encodeBytes(chunks, AgeRTEncoder.fromRecipients([recipient]));
        const frames = [...chunks.map((c) => c.length), 0].flatMap((n) => [4, n + 16]);
        expect(wantedSequence(file, make())).toEqual([...Array<number>(headerLength(file)).fill(1), 16, ...frames, 0]);
      });
    }

    for (const make of [() => new AgeDecoder({ identities: [identity] }), () => new AgeAutoDecoder({ identities: [identity] })]) {
      it(`age v1, ${make().constructor.name}: 1 per header byte, 16, then 65552 per chunk (the last read short)`, () => {
        for (const [n, chunks] of [[0, 1], [100, 1], [65536, 1], [2 * 65536 + 5, 3]] as const) {
          const file = encodeBytes([new Uint8Array(n)], AgeEncoder.fromRecipients([recipient]));
          expect(wantedSequence(file, make())).toEqual([...Array<number>(headerLength(file)).fill(1), 16, ...Array<number>(chunks).fill(65552), 0]);
        }
      });
    }
  });

  it("a feed of the wrong length is an InsufficientDataError, and it sticks", () => {
    const dec = new AgeRTDecoder({ identities: [identity] });
    expect(() => dec.feed(new Uint8Array(2))).toThrow(InsufficientDataError);
    expect(() => dec.feed(new Uint8Array(1))).toThrow(InsufficientDataError);
  });
});
