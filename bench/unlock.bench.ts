// Opening a header: the time from a small file to its plaintext, which is
// all identity work (KEM or ECDH or scrypt, HKDF, header MAC) — ours against
// typage 0.3 in the same process, interleaved, for the post-quantum hybrid
// (mlkem768x25519), X25519 and passphrase (scrypt at work factor 10) headers.
// Each file holds 100 bytes, so the payload costs nothing next to the header.
//
//   npm run bench -- unlock
import { Decrypter, Encrypter } from "age-encryption";
import { readFileSync } from "node:fs";
import { interleaved, machineLine, writeSection } from "./harness.js";
import {
  AgeAutoDecoder, AgeEncoder, decodeBytes, encodeBytes, generateHybridIdentity, generateIdentity, identityToRecipient,
} from "../src/index.js";

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

writeSection("unlock", `## unlock

\`npm run bench -- unlock\`, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ${await machineLine()}.
Time to decrypt a 100-byte file (all of it header work: the identity's KEM, ECDH or scrypt, HKDF and the header MAC),
median of ${ROUNDS} interleaved rounds, both libraries in this process; typage is \`age-encryption\` ${typageVersion} (the same file for both).

| header | age-rt (ms) | typage (ms) | age-rt speed-up |
|---|---:|---:|---:|
${rows.join("\n")}
`);
