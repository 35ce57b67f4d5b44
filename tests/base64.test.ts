import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64 } from "../src/format/base64.js";

describe("base64", () => {
  it("round-trips against Buffer for every length 0..300, padded and unpadded", () => {
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n) & 0xff);
      const std = Buffer.from(bytes).toString("base64");
      expect(encodeBase64(bytes, true)).toBe(std);
      expect(encodeBase64(bytes)).toBe(std.replace(/=+$/, ""));
      expect(Buffer.compare(decodeBase64(std, true)!, bytes)).toBe(0);
      expect(Buffer.compare(decodeBase64(std.replace(/=+$/, ""))!, bytes)).toBe(0);
    }
  });
  it("rejects non-canonical and malformed input", () => {
    expect(decodeBase64("AA==")).toBeNull(); // padding where none is expected
    expect(decodeBase64("AA", true)).toBeNull(); // missing padding
    expect(decodeBase64("AB")).toBeNull(); // unused bits set
    expect(decodeBase64("AAB")).toBeNull();
    expect(decodeBase64("A")).toBeNull(); // impossible length
    expect(decodeBase64("AA AA")).toBeNull();
    expect(decodeBase64("AA\n")).toBeNull();
    expect(decodeBase64("AA-_")).toBeNull(); // URL alphabet
    expect(decodeBase64("A=AA", true)).toBeNull();
    expect(decodeBase64("")).toEqual(new Uint8Array(0));
  });
});
