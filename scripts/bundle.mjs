// Bundles the library for npm: ESM with code splitting, so `age-rt` and
// `age-rt/node` share one copy of the classes (instanceof works across them).
// The WASM binaries are inlined as bytes (`--loader:.wasm=binary`).
import { build } from "esbuild";

await build({
  entryPoints: {
    index: "src/index.ts",
    node: "src/node.ts",
    "cli/age-rt": "src/cli/age-rt.ts",
    "cli/age-rt-keygen": "src/cli/age-rt-keygen.ts",
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
