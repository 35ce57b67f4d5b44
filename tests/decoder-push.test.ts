// The raw push protocol, driven the way the Python reference's README shows:
// `while (wanted = dec.bytesWanted) feed(read(wanted))`, one chunk per feed.
// Armored input goes one character per feed and still yields every chunk,
// even for age-rt streams of many tiny chunks.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeEncoder, AgeRTDecoder, AgeRTEncoder, InsufficientDataError, armor, encodeBytes, generateIdentity,
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

  it("a feed of the wrong length is an InsufficientDataError, and it sticks", () => {
    const dec = new AgeRTDecoder({ identities: [identity] });
    expect(() => dec.feed(new Uint8Array(2))).toThrow(InsufficientDataError);
    expect(() => dec.feed(new Uint8Array(1))).toThrow(InsufficientDataError);
  });
});
