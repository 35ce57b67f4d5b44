// The Web Worker of bench/browser.bench.ts, run in headless Chromium: the
// shipped browser bundle (/age-rt.js) and typage (/typage.js, bundled by the
// bench) encrypt and decrypt the same 64 MiB in one worker, interleaved.
// Each side uses its public API the way a page would; ours decrypts into one
// contiguous array, like typage's decrypt() returns.
import * as ours from "/age-rt.js";
import * as typage from "/typage.js";
import { randomBytes, timeRounds } from "/common.js";

self.onmessage = async ({ data: { size, rounds } }) => {
  try {
    self.postMessage({ ok: true, result: await run(size, rounds) });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e?.stack ?? e) });
  }
};

async function run(size, rounds) {
  await ours.ready();
  const plain = randomBytes(size);
  const identity = ours.generateIdentity();
  const recipient = ours.identityToRecipient(identity);
  const typEnc = new typage.Encrypter();
  typEnc.addRecipient(recipient);
  const typDec = new typage.Decrypter();
  typDec.addIdentity(identity);

  const ourFile = ours.encodeBytes([plain], ours.AgeEncoder.fromRecipients([recipient]));
  const typFile = await typEnc.encrypt(plain);
  const decodeInto = (file) => {
    const out = new Uint8Array(size);
    let o = 0;
    for (const chunk of ours.decodeBytes(file, new ours.AgeDecoder({ identities: [identity] }))) {
      out.set(chunk, o);
      o += chunk.length;
    }
    return out;
  };
  // Each reads what the other wrote before anything is timed.
  if (!same(decodeInto(typFile), plain)) throw new Error("typage → age-rt: wrong plaintext");
  if (!same(await typDec.decrypt(ourFile), plain)) throw new Error("age-rt → typage: wrong plaintext");

  const cases = {
    "age-rt encrypt": () => ours.encodeBytes([plain], ours.AgeEncoder.fromRecipients([recipient])),
    "typage encrypt": () => typEnc.encrypt(plain),
    "age-rt decrypt": () => decodeInto(ourFile),
    "typage decrypt": () => typDec.decrypt(ourFile),
  };
  return { userAgent: navigator.userAgent, medians: await timeRounds(cases, rounds) };
}

function same(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
