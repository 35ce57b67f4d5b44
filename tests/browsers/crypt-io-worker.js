// The browser tests' crypt-io Worker (tests/browsers.test.ts): runs the
// runtime scenario's crypt-io cases (tests/runtimes/cases.ts) with age-rt
// and age-rt/crypt-io as a bundler makes them for a page that imports both
// (/test/crypt-io.js, esbuild over the built entries), so that AES-256-GCM's
// lane GHASH (i8x16.swizzle) runs in each engine's own WebAssembly compiler.
import { fromB64, fromHex, runScenario } from "/test/scenario.mjs";

/** A module whose one function returns a v128 constant: valid only where the engine has WebAssembly SIMD. */
const SIMD_PROBE = new Uint8Array([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0,
  0x0a, 0x16, 1, 0x14, 0, 0xfd, 0x0c, ...new Array(16).fill(0), 0x0b,
]);

self.onmessage = async ({ data }) => {
  try {
    const { age, cryptIo } = await import("/test/crypt-io.js");
    const out = await runScenario(age, { cases: data.cases }, { cryptIo });
    self.postMessage({ ok: true, value: { ...out, simd: WebAssembly.validate(SIMD_PROBE), mixed: await mixedBuilds(cryptIo, data.cases[0]) } });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e?.stack ?? e) });
  }
};

/**
 * The prebuilt browser bundle (/age-rt.js) given a decoder and an encoder of
 * the separately bundled build: each refused with the library's UsageError
 * (its streams drive them through members it renames). Returns the errors'
 * names and whether the bundle's own class recognised them.
 */
async function mixedBuilds(cryptIo, c) {
  const prebuilt = await import("/age-rt.js");
  const key = fromHex(c.key);
  const file = fromB64(c.file);
  const attempt = (f) => {
    try {
      f();
      return "no error";
    } catch (e) {
      return `${e?.name} ${e instanceof prebuilt.AgeRTError}`;
    }
  };
  return {
    decoder: attempt(() => [...prebuilt.decodeBytes(file, new cryptIo.CryptIoDecoder(key))]),
    encoder: attempt(() => prebuilt.encodeBytes([file], cryptIo.CryptIoEncoder.create(key))),
  };
}
