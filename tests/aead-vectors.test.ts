// RFC 8439 test vectors for the WebAssembly ChaCha20-Poly1305 core, run over
// both builds: §2.3.2 (block), §2.4.2 (encryption), §2.5.2 (Poly1305),
// §2.6.2 (Poly1305 key generation), §2.8.2 (AEAD), and Appendix A.1 (block),
// A.2 (encryption), A.3 (Poly1305, with the edge cases #5-#11), A.4 (key
// generation), A.5 (AEAD decryption).
import { describe, expect, it } from "vitest";
import simdBytes from "../build/core.simd.wasm";
import scalarBytes from "../build/core.scalar.wasm";
import { aeadOver, primitivesOver } from "../src/wasm/aead.js";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/[\s:]/g, ""), "hex"));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

const KEY_00_1F = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const KEY_80_9F = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
const KEY_1C92 = hex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
const ZERO32 = new Uint8Array(32);
const ZERO12 = new Uint8Array(12);
const KEY_LAST_1 = hex("00".repeat(31) + "01");
const NONCE_LAST_2 = hex("00".repeat(11) + "02");

const SUNSCREEN = ascii(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);
const IETF = ascii(
  "Any submission to the IETF intended by the Contributor for publication as all or part of an IETF " +
    "Internet-Draft or RFC and any statement made within the context of an IETF activity is considered " +
    'an "IETF Contribution". Such statements include oral statements in IETF sessions, as well as ' +
    "written and electronic communications made at any time or place, which are addressed to",
);
const JABBERWOCKY = ascii(
  "'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\nAll mimsy were the borogoves,\n" +
    "And the mome raths outgrabe.",
);

// A.1: [key, nonce, block counter, keystream]
const BLOCKS: [Uint8Array, Uint8Array, number, string][] = [
  [ZERO32, ZERO12, 0, `76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7
    da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586`],
  [ZERO32, ZERO12, 1, `9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed
    29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f`],
  [KEY_LAST_1, ZERO12, 1, `3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a
    8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0`],
  [hex("00ff" + "00".repeat(30)), ZERO12, 2, `72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca
    13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096`],
  [ZERO32, NONCE_LAST_2, 0, `c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7
    8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d`],
];

const CT_2_4_2 = `6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b
  f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8
  07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736
  5af90bbf74a35be6b40b8eedf2785e42874d`;

const CT_A2_2 = `a3fbf07df3fa2fde4f376ca23e82737041605d9f4f4f57bd8cff2c1d4b7955ec
  2a97948bd3722915c8f3d337f7d370050e9e96d647b7c39f56e031ca5eb6250d
  4042e02785ececfa4b4bb5e8ead0440e20b6e8db09d881a7c6132f420e527950
  42bdfa7773d8a9051447b3291ce1411c680465552aa6c405b7764d5e87bea85a
  d00f8449ed8f72d0d662ab052691ca66424bc86d2df80ea41f43abf937d3259d
  c4b2d0dfb48a6c9139ddd7f76966e928e635553ba76c5c879d7b35d49eb2e62b
  0871cdac638939e25e8a1e0ef9d5280fa8ca328b351c3c765989cbcf3daa8b6c
  cc3aaf9f3979c92b3720fc88dc95ed84a1be059c6499b9fda236e7e818b04b0b
  c39c1e876b193bfe5569753f88128cc08aaa9b63d1a16f80ef2554d7189c411f
  5869ca52c5b83fa36ff216b9c1d30062bebcfd2dc5bce0911934fda79a86f6e6
  98ced759c3ff9b6477338f3da4f9cd8514ea9982ccafb341b2384dd902f3d1ab
  7ac61dd29c6f21ba5b862f3730e37cfdc4fd806c22f221`;

const CT_A2_3 = `62e6347f95ed87a45ffae7426f27a1df5fb69110044c0d73118effa95b01e5cf
  166d3df2d721caf9b21e5fb14c616871fd84c54f9d65b283196c7fe4f60553eb
  f39c6402c42234e32a356b3e764312a61a5532055716ead6962568f87d3f3f77
  04c6a8d1bcd1bf4d50d6154b6da731b187b58dfd728afa36757a797ac188d1`;

// A.3: [one-time key, message, tag]
const R_2 = "02" + "00".repeat(15);
const R_1 = "01" + "00".repeat(15);
const S_0 = "00".repeat(16);
const MACS: [string, Uint8Array, string, string][] = [
  ["#1", new Uint8Array(64), "00".repeat(32), "00".repeat(16)],
  ["#2", IETF, "00".repeat(16) + "36e5f6b5c5e06070f0efca96227a863e", "36e5f6b5c5e06070f0efca96227a863e"],
  ["#3", IETF, "36e5f6b5c5e06070f0efca96227a863e" + "00".repeat(16), "f3477e7cd95417af89a6b8794c310cf0"],
  ["#4", JABBERWOCKY, "1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0", "4541669a7eaaee61e708dc7cbcc5eb62"],
  ["#5 partially reduced result", hex("ff".repeat(16)), R_2 + S_0, "03" + "00".repeat(15)],
  ["#6 s overflows 2^128", hex("02" + "00".repeat(15)), R_2 + "ff".repeat(16), "03" + "00".repeat(15)],
  ["#7 carry into an all-ones limb", hex("ff".repeat(16) + "f0" + "ff".repeat(15) + "11" + "00".repeat(15)), R_1 + S_0, "05" + "00".repeat(15)],
  ["#8 result exactly 2^130-5", hex("ff".repeat(16) + "fb" + "fe".repeat(15) + "01".repeat(16)), R_1 + S_0, "00".repeat(16)],
  ["#9 result 2^130-6", hex("fd" + "ff".repeat(15)), R_2 + S_0, "fa" + "ff".repeat(15)],
  ["#10 131-bit intermediate", hex(`e33594d7505e43b90000000000000000 3394d7505e4379cd0100000000000000
    00000000000000000000000000000000 01000000000000000000000000000000`),
    "0100000000000000040000000000000000000000000000000000000000000000", "14000000000000005500000000000000"],
  ["#11 131-bit final result", hex(`e33594d7505e43b90000000000000000 3394d7505e4379cd0100000000000000
    00000000000000000000000000000000`),
    "0100000000000000040000000000000000000000000000000000000000000000", "13000000000000000000000000000000"],
];

const A5_CT = `64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2
  4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf
  332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855
  9797a06ef4f0ef61c186324e2b350638360690 7b6a7c02b0f9f6157b53c867e4
  b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e
  af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a
  0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10
  49e617d91d361094fa68f0ff779871 30305beaba2eda04df997b714d6c6f2c29
  a6ad5cb4022b02709b`;
const A5_PT = ascii(
  "Internet-Drafts are draft documents valid for a maximum of six months and may be updated, replaced, " +
    "or obsoleted by other documents at any time. It is inappropriate to use Internet-Drafts as reference " +
    "material or to cite them other than as /\u201cwork in progress./\u201d",
);

const builds = [
  ["simd", simdBytes],
  ["scalar", scalarBytes],
] as const;

describe.each(builds)("RFC 8439 vectors, %s build", (_name, bytes) => {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const raw = primitivesOver(instance);
  const aead = aeadOver(instance);

  it("§2.3.2 block function", () => {
    const block = raw.chacha20Block(KEY_00_1F, hex("000000090000004a00000000"), 1);
    expect(toHex(block)).toBe(
      "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e" +
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e",
    );
  });

  it.each(BLOCKS.map((v, i) => [i + 1, ...v] as const))("A.1 block #%i", (_i, key, nonce, counter, keystream) => {
    expect(toHex(raw.chacha20Block(key, nonce, counter))).toBe(toHex(hex(keystream)));
  });

  it("§2.4.2 encryption", () => {
    const ct = raw.chacha20(KEY_00_1F, hex("000000000000004a00000000"), 1, SUNSCREEN);
    expect(toHex(ct)).toBe(toHex(hex(CT_2_4_2)));
  });

  it("A.2 encryption #1-#3", () => {
    expect(toHex(raw.chacha20(ZERO32, ZERO12, 0, new Uint8Array(64)))).toBe(toHex(hex(BLOCKS[0]![3])));
    expect(toHex(raw.chacha20(KEY_LAST_1, NONCE_LAST_2, 1, IETF))).toBe(toHex(hex(CT_A2_2)));
    expect(toHex(raw.chacha20(KEY_1C92, NONCE_LAST_2, 42, JABBERWOCKY))).toBe(toHex(hex(CT_A2_3)));
    // and back
    expect(Buffer.compare(raw.chacha20(KEY_LAST_1, NONCE_LAST_2, 1, hex(CT_A2_2)), IETF)).toBe(0);
  });

  it("§2.5.2 Poly1305", () => {
    const key = hex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
    expect(toHex(raw.poly1305(key, ascii("Cryptographic Forum Research Group")))).toBe("a8061dc1305136c6c22b8baf0c0127a9");
  });

  it.each(MACS)("A.3 Poly1305 %s", (_name, msg, key, tag) => {
    expect(toHex(raw.poly1305(hex(key), msg))).toBe(tag);
  });

  it("§2.6.2 and A.4 Poly1305 key generation (block 0, first 32 bytes)", () => {
    const otk = (key: Uint8Array, nonce: Uint8Array) => toHex(raw.chacha20Block(key, nonce, 0).subarray(0, 32));
    expect(otk(KEY_80_9F, hex("000000000001020304050607"))).toBe(
      "8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646",
    );
    expect(otk(ZERO32, ZERO12)).toBe("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7");
    expect(otk(KEY_LAST_1, NONCE_LAST_2)).toBe("ecfa254f845f647473d3cb140da9e87606cb33066c447b87bc2666dde3fbb739");
    expect(otk(KEY_1C92, NONCE_LAST_2)).toBe("965e3bc6f9ec7ed9560808f4d229f94b137ff275ca9b3fcbdd59deaad23310ae");
  });

  it("§2.8.2 AEAD seal and open", () => {
    const nonce = hex("07000000 4041424344454647");
    const aad = hex("50515253c0c1c2c3c4c5c6c7");
    const expected = `d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
      3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
      92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
      3ff4def08e4b7a9de576d26586cec64b6116 1ae10b594f09e26a7e902ecbd0600691`;
    // The one-time key of §2.8.2, from block 0.
    expect(toHex(raw.chacha20Block(KEY_80_9F, nonce, 0).subarray(0, 32))).toBe(
      "7bac2b252db447af09b67a55a4e955840ae1d6731075d9eb2a9375783ed553ff",
    );
    const sealed = aead.seal(KEY_80_9F, nonce, SUNSCREEN, aad);
    expect(toHex(sealed)).toBe(toHex(hex(expected)));
    expect(Buffer.compare(aead.open(KEY_80_9F, nonce, sealed, aad)!, SUNSCREEN)).toBe(0);
    expect(aead.open(KEY_80_9F, nonce, sealed)).toBeNull(); // AAD missing
  });

  it("A.5 AEAD decryption", () => {
    const nonce = hex("000000000102030405060708");
    const aad = hex("f33388860000000000004e91");
    const sealed = hex(A5_CT + "eead9d67890cbb22392336fea1851f38");
    expect(toHex(raw.chacha20Block(KEY_1C92, nonce, 0).subarray(0, 32))).toBe(
      "bdf04aa95ce4de8995b14bb6a18fecaf26478f50c054f563dbc0a21e261572aa",
    );
    const pt = aead.open(KEY_1C92, nonce, sealed, aad);
    expect(pt).not.toBeNull();
    expect(new TextDecoder().decode(pt!)).toBe(new TextDecoder().decode(A5_PT));
    const forged = sealed.slice();
    forged[forged.length - 1]! ^= 1;
    expect(aead.open(KEY_1C92, nonce, forged, aad)).toBeNull();
  });
});
