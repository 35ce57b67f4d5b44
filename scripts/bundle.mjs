// Bundles the library for npm: ESM with code splitting, so `age-rt` and
// `age-rt/node` share one copy of the classes (instanceof works across them).
// The WASM binaries are inlined as bytes (`--loader:.wasm=binary`).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";

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
// The CLI's stanza-modules.ts (pq, tag and SSH code as chunks imported on
// first use) in place of the library's, which imports them all up front.
const CLI_STANZA_MODULES = resolve("src/cli/stanza-modules.ts");
// And aead.ts's pure-JS AES-GCM/XChaCha fallback, which Node (always with the
// WebAssembly core) never reaches, left out: @noble's AES builds its tables as it loads.
const CLI_NONCE_AEAD = resolve("src/cli/nonce-aead-missing.ts");
const AEAD = resolve("src/crypto/aead.ts");
// And X25519 by Node's OpenSSL (constant time, microseconds) in place of the BigInt ladder.
const CLI_X25519 = resolve("src/cli/x25519-openssl.ts");
const cliSubstitutes = {
  name: "cli-substitutes",
  setup(b) {
    b.onResolve({ filter: /\/stanza-modules\.js$/ }, (args) =>
      args.importer === CLI_STANZA_MODULES ? undefined : { path: CLI_STANZA_MODULES });
    b.onResolve({ filter: /\/nonce-aead-js\.js$/ }, (args) => (args.importer === AEAD ? { path: CLI_NONCE_AEAD } : undefined));
    b.onResolve({ filter: /\/x25519-ladder\.js$/ }, () => ({ path: CLI_X25519 }));
  },
};

// Node built-ins through require(), not ESM imports: an ESM import of a
// built-in makes Node build a facade of all its exports, which runs lazy
// getters (node:fs's `promises` loads fs/promises, readline and the stream
// modules; node:crypto's webcrypto...), ~10 ms at every start. Getters are
// left out of the named exports for the same reason.
const requiredBuiltins = {
  name: "cli-required-builtins",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) =>
      args.namespace === "cli-builtin" || args.path === "node:module" ? undefined : { path: args.path, namespace: "cli-builtin" });
    b.onLoad({ filter: /.*/, namespace: "cli-builtin" }, async (args) => {
      const real = await import(args.path);
      const names = Object.entries(Object.getOwnPropertyDescriptors(real.default ?? real))
        .filter(([name, d]) => "value" in d && d.enumerable && /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default")
        .map(([name]) => name);
      const id = JSON.stringify(args.path);
      return {
        contents: `import { createRequire } from "node:module";\nconst m = createRequire(import.meta.url)(${id});\nexport default m;\nexport const { ${names.join(", ")} } = m;\n`,
        loader: "js",
        resolveDir: process.cwd(),
      };
    });
  },
};

// age-rt on its own, so its start loads only its own chunks (the chunks an
// entry shares with the others are more, smaller files, each resolved and
// compiled at start); keygen and inspect together.
const cliBuild = (entries) => build({
  ...common,
  plugins: [cliSubstitutes, requiredBuiltins],
  entryPoints: entries,
  platform: "node",
  chunkNames: "chunks/cli-[name]-[hash]",
  // Less text for V8 to scan at every start (names kept: errors show them).
  minifyWhitespace: true,
  minifySyntax: true,
  // bcrypt-pbkdf (encrypted SSH keys) is CommonJS and its tweetnacl
  // require()s node:crypto: give the bundled CommonJS code a require.
  banner: { js: 'import { createRequire as __ageRtRequire } from "node:module"; const require = __ageRtRequire(import.meta.url);' },
});
await cliBuild({ "cli/age-rt": "src/cli/age-rt.ts" });
await cliBuild({ "cli/age-rt-keygen": "src/cli/age-rt-keygen.ts", "cli/age-rt-inspect": "src/cli/age-rt-inspect.ts" });

// Hosts that forbid compiling bytes at run time (edge workers) import the
// module file itself and pass it to init(): ship it as `age-rt/wasm/core.simd.wasm`.
mkdirSync("dist/wasm", { recursive: true });
for (const name of ["core.simd.wasm", "core.scalar.wasm"]) copyFileSync(`build/${name}`, `dist/wasm/${name}`);
