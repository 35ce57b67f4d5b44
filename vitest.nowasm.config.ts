// The codec tests again, in an engine without WebAssembly: a setup file
// deletes globalThis.WebAssembly before the library loads, so everything runs
// on the pure-JS @noble path (embedded engines, Lockdown Mode, --jitless).
// tests/nowasm-backend.ts asserts that path was really the one used.
//
//   npm run test:nowasm
import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

export default defineConfig({
  plugins: base.plugins, // the same `*.wasm` → bytes plugin (the library still imports the bytes)
  test: {
    ...base.test,
    setupFiles: ["tests/nowasm-setup.ts"],
    // The codec tests that finish in ~35 s on 2 cores. Left out: the Python
    // reference vectors (tests/agert-vectors.test.ts), ~50 s of scrypt at
    // N = 2^18 in pure JS, which the CCTV scrypt vectors already cover at
    // lower cost; the tests that load the WebAssembly builds directly; and
    // random access over HTTP (~11 s more here, no crypto path the two
    // random-access files above do not already take).
    include: [
      "tests/nowasm-backend.ts",
      "tests/cctv.test.ts",
      "tests/roundtrip.property.test.ts",
      "tests/decoder-push.test.ts",
      "tests/x25519.test.ts",
      "tests/armor.test.ts",
      "tests/pq.test.ts",
      "tests/async-identity.test.ts",
      "tests/reference-parity.test.ts",
      "tests/misuse.test.ts",
      "tests/random-access.property.test.ts",
      "tests/random-access.auth.test.ts",
      "tests/crypt-io-vectors.test.ts",
      "tests/crypt-io.property.test.ts",
      "tests/a23crypt-vectors.test.ts",
      "tests/a23crypt.property.test.ts",
    ],
  },
});
