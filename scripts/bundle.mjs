// Bundles the library for npm: ESM with code splitting, so `age-rt` and
// `age-rt/node` share one copy of the classes (instanceof works across them).
// The WASM binaries are inlined as bytes (`--loader:.wasm=binary`).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

// Chunk names carry content hashes: clear the old ones, or dist/ (and the npm
// package) collects every build's chunks.
for (const dir of ["dist/chunks", "dist/cli"]) rmSync(dir, { recursive: true, force: true });

const common = {
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  target: "es2022",
  loader: { ".wasm": "binary" },
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: { index: "src/index.ts", node: "src/node.ts", "crypt-io": "src/crypt-io/index.ts", a23crypt: "src/a23crypt/index.ts" },
  platform: "neutral",
  packages: "external",
  chunkNames: "chunks/[name]-[hash]",
});

// The commands: self-contained (the @noble code bundled in too), since
// resolving and loading a dozen package files at every start cost ~40 ms
// of a ~200 ms start-up. They share no classes with the library entries.
await build({
  ...common,
  entryPoints: {
    "cli/age-rt": "src/cli/age-rt.ts",
    "cli/age-rt-keygen": "src/cli/age-rt-keygen.ts",
    "cli/age-rt-inspect": "src/cli/age-rt-inspect.ts",
  },
  platform: "node",
  chunkNames: "chunks/cli-[name]-[hash]",
  // bcrypt-pbkdf (encrypted SSH keys) is CommonJS and its tweetnacl
  // require()s node:crypto: give the bundled CommonJS code a require.
  banner: { js: 'import { createRequire as __ageRtRequire } from "node:module"; const require = __ageRtRequire(import.meta.url);' },
});

// Hosts that forbid compiling bytes at run time (edge workers) import the
// module file itself and pass it to init(): ship it as `age-rt/wasm/core.simd.wasm`.
mkdirSync("dist/wasm", { recursive: true });
for (const name of ["core.simd.wasm", "core.scalar.wasm"]) copyFileSync(`build/${name}`, `dist/wasm/${name}`);
