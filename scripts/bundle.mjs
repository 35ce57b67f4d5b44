// Bundles the library for npm: ESM with code splitting, so `age-rt` and
// `age-rt/node` share one copy of the classes (instanceof works across them).
// The WASM binaries are inlined as bytes (`--loader:.wasm=binary`).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";

await build({
  entryPoints: {
    index: "src/index.ts",
    node: "src/node.ts",
    "cli/age-rt": "src/cli/age-rt.ts",
    "cli/age-rt-keygen": "src/cli/age-rt-keygen.ts",
    // The worker thread of the CLI's parallel decryption, started by URL.
    "cli/run-worker": "src/cli/run-worker.ts",
  },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  packages: "external",
  loader: { ".wasm": "binary" },
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});

// Hosts that forbid compiling bytes at run time (edge workers) import the
// module file itself and pass it to init(): ship it as `age-rt/wasm/core.simd.wasm`.
mkdirSync("dist/wasm", { recursive: true });
for (const name of ["core.simd.wasm", "core.scalar.wasm"]) copyFileSync(`build/${name}`, `dist/wasm/${name}`);
