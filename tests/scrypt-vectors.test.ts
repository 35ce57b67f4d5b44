// RFC 7914 test vectors (§8 Salsa20/8 core, §9 scryptBlockMix, §10
// scryptROMix, §12 scrypt) on both WebAssembly builds of the core.
import { describe, expect, it } from "vitest";
import simdBytes from "../build/core.simd.wasm";
import scalarBytes from "../build/core.scalar.wasm";
import { blockMixOver, roMixOver, scryptOver } from "../src/wasm/scrypt.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));
const utf8 = (s: string) => new TextEncoder().encode(s);

// §8
const SALSA_IN = unhex(`7e879a214f3ec9867ca940e641718f26baee555b8c61c1b50df846116dcd3b1d
  ee24f319df9b3d8514121e4b5ac5aa3276021d2909c74829edebc68db8b8c25e`);
const SALSA_OUT = `a41f859c6608cc993b81cacb020cef05044b2181a2fd337dfd7b1c6396682f29
  b4393168e3c9e6bcfe6bc5b7a06d96bae424cc102c91745c24ad673dc7618f81`;
// §9 and §10 share their input (r = 1)
const MIX_IN = unhex(`f7ce0b653d2d72a4108cf5abe912ffdd777616dbbb27a70e8204f3ae2d0f6fad
  89f68f4811d1e87bcc3bd7400a9ffd29094f0184639574f39ae5a1315217bcd7
  894991447213bb226c25b54da86370fbcd984380374666bb8ffcb5bf40c254b0
  67d27c51ce4ad5fed829c90b505a571b7f4d1cad6a523cda770e67bceaaf7e89`);
const BLOCKMIX_OUT = `a41f859c6608cc993b81cacb020cef05044b2181a2fd337dfd7b1c6396682f29
  b4393168e3c9e6bcfe6bc5b7a06d96bae424cc102c91745c24ad673dc7618f81
  20edc975323881a80540f64c162dcd3c21077cfe5f8d5fe2b1a4168f953678b7
  7d3b3d803b60e4ab920996e59b4d53b65d2a225877d5edf5842cb9f14eefe425`;
const ROMIX_OUT = `79ccc193629debca047f0b70604bf6b62ce3dd4a9626e355fafc6198e6ea2b46
  d58413673b99b029d665c357601fb426a0b2f4bba200ee9f0a43d19b571a9c71
  ef1142e65d5a266fddca832ce59faa7cac0b9cf1be2bffca300d01ee387619c4
  ae12fd4438f203a0e4e1c47ec314861f4e9087cb33396a6873e8f9d2539a4b8e`;
// §12: password, salt, logN, r, p, dkLen = 64
const SCRYPT: [string, string, number, number, number, string, boolean][] = [
  ["", "", 4, 1, 1, `77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442
    fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906`, false],
  ["password", "NaCl", 10, 8, 16, `fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162
    2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640`, false],
  ["pleaseletmein", "SodiumChloride", 14, 8, 1, `7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2
    d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887`, false],
  ["pleaseletmein", "SodiumChloride", 20, 8, 1, `2101cb9b6a511aaeaddbbe09cf70f881ec568d574a2ffd4dabe5ee9820adaa47
    8e56fd8f4ba5d09ffa1c6d927c40f4c337304049e8a952fbcbf45c6fa77a41a4`, true],
];
const slow = process.env.AGE_RT_SLOW === "1";

for (const [build, bytes] of [["simd", simdBytes], ["scalar", scalarBytes]] as const) {
  const module = new WebAssembly.Module(bytes);
  const instance = () => new WebAssembly.Instance(module, {});
  const scrypt = scryptOver(instance)!;

  describe(`scrypt RFC 7914 vectors (${build} build)`, () => {
    it("§8 Salsa20/8 core", () => {
      // BlockMix with r = 1 on SALSA_IN || 0^64 computes X = 0 xor SALSA_IN,
      // then Y[0] = Salsa20/8(X): its first 64 bytes are the core's output.
      const b = new Uint8Array(128);
      b.set(SALSA_IN);
      expect(hex(blockMixOver(instance, b).subarray(0, 64))).toBe(SALSA_OUT.replace(/\s+/g, ""));
    });

    it("§9 scryptBlockMix (r = 1)", () => {
      expect(hex(blockMixOver(instance, MIX_IN))).toBe(BLOCKMIX_OUT.replace(/\s+/g, ""));
    });

    it("§10 scryptROMix (r = 1, N = 16)", () => {
      expect(hex(roMixOver(instance, MIX_IN, 4))).toBe(ROMIX_OUT.replace(/\s+/g, ""));
    });

    for (const [pw, salt, logN, r, p, dk, isSlow] of SCRYPT) {
      it.skipIf(isSlow && !slow)(`§12 scrypt P="${pw}" S="${salt}" N=2^${logN} r=${r} p=${p}`, () => {
        expect(hex(scrypt(utf8(pw), utf8(salt), logN, r, p, 64))).toBe(dk.replace(/\s+/g, ""));
      });
    }
  });
}
