// Opening a header: the time from a small file to its plaintext, which is
// all identity work (KEM or ECDH or scrypt, HKDF, header MAC) — ours against
// typage 0.3 in the same process, interleaved, for the post-quantum hybrid
// (mlkem768x25519), X25519 and passphrase (scrypt at work factor 10) headers.
// Each file holds 100 bytes, so the payload costs nothing next to the header.
// Then the primitives the browser bundle now carries written out (issue 11:
// src/crypto/x25519.ts, sha256.ts, hmac-sha256.ts) against the @noble ones
// they replaced, in the same process, interleaved.
//
//   npm run bench -- unlock
import { Decrypter, Encrypter } from "age-encryption";
import { hkdf as nobleHkdf } from "@noble/hashes/hkdf.js";
import { hmac as nobleHmac } from "@noble/hashes/hmac.js";
import { pbkdf2 as noblePbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { readFileSync } from "node:fs";
import { interleaved, machineLine, writeSection } from "./harness.js";
import {
  AgeAutoDecoder, AgeEncoder, decodeBytes, encodeBytes, generateHybridIdentity, generateIdentity, identityToRecipient,
} from "../src/index.js";
import { hkdf, hmacSha256, pbkdf2Sha256Once } from "../src/crypto/hmac-sha256.js";
import { sha256 as ourSha256 } from "../src/crypto/sha256.js";
import { x25519PublicKey, x25519Raw } from "../src/crypto/x25519.js";
import { nobleX25519 } from "../tests/helpers/noble-x25519.js";

const ROUNDS = 41;
const plaintext = new Uint8Array(100).fill(7);
const pq = generateHybridIdentity();
const x = generateIdentity();
const PASS = "correct horse battery staple";
const WF = 10;

const typageDecrypter = (setup: (d: Decrypter) => void) => {
  const d = new Decrypter();
  setup(d);
  return d;
};
const typageFile = async (setup: (e: Encrypter) => void) => {
  const e = new Encrypter();
  setup(e);
  return e.encrypt(plaintext);
};

const kinds = {
  "post-quantum (mlkem768x25519)": {
    file: encodeBytes([plaintext], AgeEncoder.fromRecipients([identityToRecipient(pq)])),
    ours: () => new AgeAutoDecoder({ identities: [pq] }),
    theirs: typageDecrypter((d) => d.addIdentity(pq)),
  },
  X25519: {
    file: encodeBytes([plaintext], AgeEncoder.fromRecipients([identityToRecipient(x)])),
    ours: () => new AgeAutoDecoder({ identities: [x] }),
    theirs: typageDecrypter((d) => d.addIdentity(x)),
  },
  [`passphrase (scrypt, work factor ${WF})`]: {
    file: await typageFile((e) => {
      e.setPassphrase(PASS);
      e.setScryptWorkFactor(WF);
    }),
    ours: () => new AgeAutoDecoder({ passphrase: PASS }),
    theirs: typageDecrypter((d) => d.addPassphrase(PASS)),
  },
};

const typageVersion = JSON.parse(readFileSync("node_modules/age-encryption/package.json", "utf8")).version;
const rows: string[] = [];
for (const [kind, k] of Object.entries(kinds)) {
  // Both decrypt the same file; check once that both give the plaintext.
  const mine = () => decodeBytes(k.file, k.ours()).next().value as Uint8Array;
  if (mine().length !== plaintext.length || (await k.theirs.decrypt(k.file)).length !== plaintext.length) throw new Error(`${kind}: wrong plaintext`);
  const t = await interleaved([
    { name: "age-rt", run: mine },
    { name: "typage", run: () => k.theirs.decrypt(k.file) },
  ], ROUNDS, 3);
  const ours = t.get("age-rt")!, theirs = t.get("typage")!;
  rows.push(`| ${kind} | ${ours.toFixed(2)} | ${theirs.toFixed(2)} | ${(theirs / ours).toFixed(1)}× |`);
  console.log(`${kind}: age-rt ${ours.toFixed(2)} ms, typage ${theirs.toFixed(2)} ms`);
}

// The replaced primitives: @noble/curves' ladder (tests/helpers/noble-x25519.ts) and @noble/hashes' KDFs.
const sk = crypto.getRandomValues(new Uint8Array(32));
const peer = x25519PublicKey(crypto.getRandomValues(new Uint8Array(32)));
const key16 = crypto.getRandomValues(new Uint8Array(16));
const salt = crypto.getRandomValues(new Uint8Array(16));
const header = crypto.getRandomValues(new Uint8Array(200));
const kib = crypto.getRandomValues(new Uint8Array(1024));
const REPS = 50;
const prims: Array<[string, () => unknown, () => unknown]> = [
  ["X25519 shared secret", () => x25519Raw(sk, peer), () => nobleX25519.getSharedSecret(sk, peer)],
  ["X25519 public key", () => x25519PublicKey(sk), () => nobleX25519.getPublicKey(sk)],
  ["SHA-256 of 1 KiB", () => ourSha256(kib), () => sha256(kib)],
  ["HKDF-SHA-256, 32 bytes (payload key)", () => hkdf(key16, salt, header.subarray(0, 7), 32), () => nobleHkdf(sha256, key16, salt, header.subarray(0, 7), 32)],
  ["HMAC-SHA-256 of a 200-byte header", () => hmacSha256(key16, header), () => nobleHmac(sha256, key16, header)],
  ["PBKDF2-HMAC-SHA-256, c = 1, 1 KiB (scrypt's B at r = 8)", () => pbkdf2Sha256Once(key16, salt, 1024), () => noblePbkdf2(sha256, key16, salt, { c: 1, dkLen: 1024 })],
];
const primRows: string[] = [];
for (const [name, mine, noble] of prims) {
  const t = await interleaved([
    { name: "ours", run: () => { for (let i = 0; i < REPS; i++) mine(); } },
    { name: "noble", run: () => { for (let i = 0; i < REPS; i++) noble(); } },
  ], ROUNDS, 3);
  const ours = t.get("ours")! / REPS, theirs = t.get("noble")! / REPS;
  primRows.push(`| ${name} | ${(ours * 1000).toFixed(1)} | ${(theirs * 1000).toFixed(1)} | ${(theirs / ours).toFixed(2)}× |`);
  console.log(`${name}: ours ${(ours * 1000).toFixed(1)} µs, noble ${(theirs * 1000).toFixed(1)} µs`);
}

writeSection("unlock", `## unlock

\`npm run bench -- unlock\`, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ${await machineLine()}.
Time to decrypt a 100-byte file (all of it header work: the identity's KEM, ECDH or scrypt, HKDF and the header MAC),
median of ${ROUNDS} interleaved rounds, both libraries in this process; typage is \`age-encryption\` ${typageVersion} (the same file for both).

| header | age-rt (ms) | typage (ms) | age-rt speed-up |
|---|---:|---:|---:|
${rows.join("\n")}

The primitives written out for the browser bundle's size (issue 11) against the @noble ones they replaced, in this
process, interleaved (median of ${ROUNDS} rounds of ${REPS} calls; µs per call; > 1× means ours is faster):

| primitive | ours (µs) | @noble (µs) | ours speed-up |
|---|---:|---:|---:|
${primRows.join("\n")}
`);
