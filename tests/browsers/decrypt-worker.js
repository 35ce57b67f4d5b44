// The browser tests' Web Worker (tests/browsers.test.ts): imports the shipped
// browser bundle (/age-rt.js), decrypts the 16 MiB X25519 fixture (made by
// Go age) timing it, and a passphrase file (scrypt at a low work factor).
// Reports the plaintexts' SHA-256, MB/s, what ready() did, how many
// WebAssembly instances the library made and which files the worker fetched
// (the pure-JS fallback file is fetched only where WebAssembly cannot run).
// With `withoutWebAssembly` it first removes WebAssembly, as engines without
// it present themselves (Safari's Lockdown Mode, JIT-less modes).
import { countInstances } from "/test/scenario.mjs";

self.onmessage = async ({ data }) => {
  try {
    self.postMessage({ ok: true, value: await run(data) });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e?.stack ?? e) });
  }
};

async function run({ identity, passphrase, rounds, withoutWebAssembly }) {
  if (withoutWebAssembly) delete globalThis.WebAssembly;
  const age = await import("/age-rt.js");
  const instances = countInstances();
  let ready = "resolved";
  await age.ready().catch((e) => (ready = `${e.name} ${e instanceof age.AgeRTError}: ${e.message}`));

  const big = new Uint8Array(await (await fetch("/fixture/big.age")).arrayBuffer());
  let best = Infinity;
  let sha256 = "";
  let plainBytes = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const parts = [...age.decodeBytes(big, new age.AgeAutoDecoder({ identities: [identity] }))];
    best = Math.min(best, performance.now() - t0);
    sha256 = await digest(parts);
    plainBytes = parts.reduce((n, p) => n + p.length, 0);
  }

  const pass = new Uint8Array(await (await fetch("/fixture/pass.age")).arrayBuffer());
  const t1 = performance.now();
  const passSha256 = await digest([...age.decodeBytes(pass, new age.AgeAutoDecoder({ passphrase }))]);
  const scryptMs = performance.now() - t1;

  return {
    sha256,
    mbps: plainBytes / 2 ** 20 / (best / 1000),
    passSha256,
    scryptMs,
    ready,
    webAssembly: typeof WebAssembly,
    wasmInstances: instances(),
    fetched: performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname),
    userAgent: navigator.userAgent,
  };
}

/** The SHA-256 of the parts, in hex. */
async function digest(parts) {
  const blob = new Blob(parts);
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
  return [...d].map((b) => b.toString(16).padStart(2, "0")).join("");
}
