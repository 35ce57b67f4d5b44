// Browser bundles of the main entry, minified, with the @noble packages and
// the WebAssembly bytes inside (gzip -9 sizes: bench/results/bundle.md):
//   dist/browser/age-rt.js           ESM, for <script type="module"> and module
//                                    workers: all a browser with WebAssembly
//                                    loads (24.0 kB gzip; the target is 25)
//   dist/browser/age-rt-fallback.js  the pure-JS AEAD and scrypt (@noble), which
//                                    age-rt.js imports only from ready(), and only
//                                    where the WebAssembly core cannot serve (9.4 kB)
//   dist/browser/age-rt-pq.js        the post-quantum recipient type (HPKE, X-Wing:
//                                    ML-KEM-768 + X25519), which age-rt.js imports only
//                                    when a post-quantum key or stanza appears (12.4 kB;
//                                    36.4 kB with age-rt.js, the target is 40)
//   dist/browser/age-rt-tag.js       the tagged recipient types (HPKE over P-256 and
//                                    ML-KEM-768 + P-256), imported only to encrypt to one
//   dist/browser/age-rt-ssh.js       the SSH recipient types, imported the first time
//                                    an SSH key is used
//   dist/browser/age-rt-random.js    openRandomAccess and rangeSource, imported on their first call;
//                                    the modules they share with age-rt.js come from it
//   dist/browser/age-rt-pool.js      createWorkerPool's pool (src/pool/), which age-rt.js imports
//                                    only when a stream first uses a pool
//   dist/browser/age-rt.iife.js      a classic script defining the global `ageRt`
//                                    (importScripts() in workers, embedded engines),
//                                    with all of the above inline: those hosts
//                                    may have no WebAssembly and no import()
// Every lazily imported file hands itself to age-rt.js's registry as it loads
// (src/lazy/registry.ts), so a Service Worker, where import() is not allowed,
// imports the ones it needs statically instead.
//
// What keeps age-rt.js small changes size only, not behaviour (gzip saved):
// - The pure-JS fallback is a separate file (9.7 kB): src/lazy/fallback.ts
//   takes the place of crypto/fallback.ts. Every current browser runs the SIMD core,
//   so it never fetches the file; other engines get it from ready(), which the
//   API already asks for where the core cannot be compiled synchronously.
//   It is built on its own, not by esbuild's code splitting: splitting moves
//   the code both files use (SHA-256, errors) into a third file that
//   age-rt.js would import at once, ~0.8 kB more than one file. The fallback
//   file carries its own copy of the @noble hashes instead, and takes the
//   error classes from age-rt.js, so `instanceof` holds across the two.
//   Likewise the post-quantum, tagged, SSH and random-access code.
// - X25519, SHA-256 and HMAC/HKDF/PBKDF2 are written out for what age uses
//   (src/crypto/x25519.ts, sha256.ts, hmac-sha256.ts) instead of @noble's
//   generic ones, which carry helpers age never calls (2.1, 1.7 and 0.8 kB).
// - Classes keep their state in native #private fields, whose names esbuild
//   shortens (TypeScript's `private` stays a full-length public name: 0.3 kB).
// - The worker pool's shell in age-rt.js (src/pool/lazy.ts) only holds a
//   stream's start() until age-rt-pool.js has loaded.
// - Only the SIMD WebAssembly build is shipped (2.4 kB). Engines that refuse
//   SIMD (and those without WebAssembly) take the pure-JS path; almost no
//   browser in use lacks SIMD (Chrome 91, Firefox 89, Safari 16.4).
// - The WebAssembly exports that only the tests call (the raw RFC 8439
//   primitives, one BlockMix), and the AES-256-GCM / XChaCha20-Poly1305 ones
//   that only age-rt/crypt-io calls, are removed with the code only they reach
//   (0.8 kB; crypt-io's, ~8 kB more), by binaryen, which the AssemblyScript compiler uses anyway. The
//   functions that remain are unchanged (only their indices are renumbered),
//   so the speed is that of build/core.simd.wasm.
// - The bytes are inlined as a string literal, one character per byte, not in
//   base64 (1.4 kB): gzip finds the module's own repetitions again (base64
//   hides them behind a 3-to-4 byte regrouping). Each byte is shifted so that
//   the most frequent ones need no escape (0.34 kB, see wasmAsString). The
//   file stays ASCII (esbuild escapes the high bytes), so no charset can
//   garble it.
// - Internal `_name` properties are renamed (esbuild mangleProps, 0.07 kB).
// asc's shrinkLevel 1 and 2 were tried for the SIMD build: they make the
// module no smaller after gzip, so the build keeps its speed settings.
//
//   node scripts/bundle-browser.mjs [--analyze] [--outdir DIR]
//   (--analyze lists the heaviest inputs of age-rt.js; --outdir is for tests
//   that want a fresh bundle of the current source without touching dist/)
import { build } from "esbuild";
import binaryen from "binaryen";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";

export const FALLBACK_FILE = "age-rt-fallback.js";
export const PQ_FILE = "age-rt-pq.js";
export const TAG_FILE = "age-rt-tag.js";
export const RANDOM_FILE = "age-rt-random.js";
export const SSH_FILE = "age-rt-ssh.js";
export const POOL_FILE = "age-rt-pool.js";
// Paths are relative to the working directory, the repository root, as the entry points are.
const REGISTRY = resolve("src/lazy/registry.ts");
const FALLBACK_SHELL = resolve("src/lazy/fallback.ts");
const STANZA_SHELL = resolve("src/lazy/stanza-modules.ts");
const RANDOM_DIR = resolve("src/random-access");
const RANDOM_LAZY = resolve("src/random-access/lazy.ts");
const POOL_DIR = resolve("src/pool");
const POOL_LAZY = resolve("src/pool/lazy.ts");

/**
 * Exports of assembly/index.ts that the browser bundle (the main entry) never calls: those only the tests use
 * (src/wasm/aead.ts primitivesOver, scrypt.ts blockMixOver, gcm.ts gcmPrimitivesOver), and AES-256-GCM /
 * XChaCha20-Poly1305, which only age-rt/crypt-io uses (not in this bundle: 8 kB of module).
 */
const TEST_ONLY_EXPORTS = [
  "chacha20_block", "chacha20_xor", "poly1305_mac", "scrypt_blockmix",
  "gcm_key_ptr", "gcm_seal", "gcm_open", "xchacha_nonce_ptr", "xchacha_seal", "xchacha_open",
  "hchacha20_raw", "aes_sbox_raw", "aes256_block_raw", "ghash_raw",
  // a23crypt's noise loop and its SHAKE-256: only age-rt/a23crypt uses them.
  "noise_add", "noise_remove", "shake256_raw",
];

/** build/core.simd.wasm without the test-only exports and the code only they reach. */
function shippedWasm(bytes) {
  const module = binaryen.readBinary(bytes);
  try {
    module.setFeatures(binaryen.Features.All); // for validate(): SIMD and the rest asc emits
    for (const name of TEST_ONLY_EXPORTS) {
      if (!module.getExport(name)) throw new Error(`bundle-browser: the WebAssembly core no longer exports ${name}; update TEST_ONLY_EXPORTS`);
      module.removeExport(name);
    }
    module.runPasses(["remove-unused-module-elements"]); // drops what nothing reaches; rewrites no function
    if (!module.validate()) throw new Error("bundle-browser: the trimmed WebAssembly core does not validate");
    return module.emitBinary();
  } finally {
    module.dispose();
  }
}

/**
 * The WebAssembly builds as the browser bundles carry them: the SIMD build
 * trimmed and inlined as a one-char-per-byte string; the scalar build as
 * zero bytes, which the loader reads as "not shipped" (where SIMD does not
 * validate, it uses the pure-JS path). The flags undo one measure each, for
 * bench/bundle.bench.ts: `simdOnly: false` inlines both builds, `trim: false`
 * keeps the test-only exports, `asText: false` inlines base64 (esbuild's binary loader).
 */
function inlineWasm({ simdOnly, trim, asText }) {
  return {
    name: "inline-wasm",
    setup(b) {
      b.onLoad({ filter: /core\.(simd|scalar)\.wasm$/, namespace: "file" }, ({ path }) => {
        if (simdOnly && path.endsWith("scalar.wasm")) return { contents: "export default new Uint8Array(0);", loader: "js" };
        const bytes = trim ? shippedWasm(readFileSync(path)) : readFileSync(path);
        if (!asText) return { contents: bytes, loader: "binary" };
        const { text, shift } = wasmAsString(bytes);
        return { contents: `export default Uint8Array.from(${text}, (c) => (c.charCodeAt(0) - ${shift}) & 255);`, loader: "js" };
      });
    },
  };
}

/**
 * The module as a JS string literal, one character per byte, each byte
 * shifted by the amount (mod 256) that gzips smallest. Unshifted, the bytes
 * WebAssembly uses most (0x00, small indices and opcodes) are control
 * characters, each an escape sequence of 2-4 characters in the literal;
 * shifted by ~48 most land on printable characters (0.34 kB gzip less).
 */
function wasmAsString(bytes) {
  let best = null;
  for (let shift = 0; shift < 256; shift++) {
    const text = JSON.stringify(String.fromCharCode(...bytes.map((b) => (b + shift) & 255)));
    const size = gzipSync(text, { level: 9 }).length;
    if (best === null || size < best.size) best = { text, shift, size };
  }
  return best;
}

/**
 * age-rt.js: the modules that become files of their own are swapped for
 * their shells in src/lazy/, which fetch those files through
 * src/lazy/registry.ts (import() of `./age-rt-NAME.js` on first use; a
 * Service Worker imports them statically instead): crypto/fallback.js
 * (age-rt-fallback.js), recipients/stanza-modules.js (age-rt-pq.js,
 * age-rt-tag.js, age-rt-ssh.js), random-access/open.js and
 * range-source.js (age-rt-random.js) and pool/worker-pool.js (age-rt-pool.js).
 */
const lazyFallback = {
  name: "lazy-fallback",
  setup(b) {
    b.onResolve({ filter: /\/fallback\.js$/ }, () => ({ path: FALLBACK_SHELL }));
  },
};

const lazyStanzas = {
  name: "lazy-stanzas",
  setup(b) {
    b.onResolve({ filter: /\/stanza-modules\.js$/ }, () => ({ path: STANZA_SHELL }));
  },
};

/** age-rt.js: imports of the modules `filter` matches, from outside `dir`, get `shell` (in src/) instead. */
function shellOutside(name, filter, dir, shell) {
  return {
    name,
    setup(b) {
      b.onResolve({ filter }, ({ importer }) => (importer.startsWith(dir) ? undefined : { path: shell }));
    },
  };
}

// openRandomAccess/rangeSource and createWorkerPool: the shells fetch age-rt-random.js and age-rt-pool.js.
const lazyRandom = shellOutside("lazy-random", /\/random-access\/(open|range-source)\.js$/, RANDOM_DIR, RANDOM_LAZY);
const lazyPool = shellOutside("lazy-pool", /\/worker-pool\.js$/, POOL_DIR, POOL_LAZY);

/**
 * age-rt-random.js and age-rt-pool.js: every module outside the file's own
 * directory comes from age-rt.js (which exports those in that directory's
 * main-exports.ts), so the file has no second WebAssembly core, no second
 * copy of a class, and hands itself to age-rt.js's registry (src/lazy/).
 */
function sharedFromMain(dir) {
  return {
    name: "shared-from-main",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, ({ path, resolveDir }) => {
        const target = resolve(resolveDir, path).replace(/\.js$/, ".ts");
        return resolveDir.startsWith(dir) && !target.startsWith(dir) ? { path: "./age-rt.js", external: true } : undefined;
      });
    },
  };
}

/** The ESM bundle's entry: the API, plus the internals age-rt-random.js and age-rt-pool.js take from it. */
const MAIN_ENTRY = {
  stdin: {
    contents: 'export * from "./src/browser.ts";\nexport * from "./src/random-access/main-exports.ts";\nexport * from "./src/pool/main-exports.ts";\n',
    resolveDir: resolve("."), sourcefile: "age-rt.js", loader: "ts",
  },
};

/**
 * age-rt-fallback.js, -pq.js, -tag.js, -ssh.js: the error classes come from
 * age-rt.js (loaded before them, or beside them by the same static import),
 * so a UsageError of theirs is the library's; and so does the registry
 * (src/lazy/registry.ts) they hand themselves to as they load.
 */
const errorsFromMain = {
  name: "errors-from-main",
  setup(b) {
    b.onResolve({ filter: /\/(errors|registry)\.js$/ }, ({ path, resolveDir }) =>
      path.endsWith("/errors.js") || resolve(resolveDir, path).replace(/\.js$/, ".ts") === REGISTRY ? { path: "./age-rt.js", external: true } : undefined);
  },
};

/**
 * The esbuild options shared by the browser bundles (without format/outfile).
 * bench/bundle.bench.ts measures variants (see inlineWasm for the WASM flags);
 * `lazyFallback` is what age-rt.js uses, false puts the fallback inline;
 * `lazyPq`, `lazyRandomAccess` and `lazyPoolFile` (by default as `lazyFallback`) do the
 * same for the post-quantum and P-256 files, random access and the worker pool.
 */
export function browserOptions({
  simdOnly = true, trimWasm = true, wasmAsText = true, lazyFallback: lazy = false, lazyPq = lazy, lazyRandomAccess = lazy, lazyPoolFile = lazy,
  plugins = [],
} = {}) {
  return {
    entryPoints: ["src/browser.ts"],
    bundle: true,
    minify: true,
    // es2022 keeps class private fields native (smaller than WeakMap helpers);
    // BigInt (noble) already needs an engine of that age.
    target: "es2022",
    platform: "browser",
    // Internal `_name` properties (ours and @noble's) get short names. No code
    // reads them by string, and each bundle is built whole, so the renaming
    // is consistent within it (the fallback file shares no objects with them).
    mangleProps: /^_[a-z]/,
    plugins: [
      inlineWasm({ simdOnly, trim: trimWasm, asText: wasmAsText }), ...(lazy ? [lazyFallback] : []), ...(lazyPq ? [lazyStanzas] : []),
      ...(lazyRandomAccess ? [lazyRandom] : []), ...(lazyPoolFile ? [lazyPool] : []), ...plugins,
    ],
    metafile: true,
    logLevel: "warning",
  };
}

/** The files of dist/browser (written under `outdir`) with their esbuild options. */
export function browserBundles(outdir) {
  const base = browserOptions();
  return {
    "age-rt.js": {
      ...browserOptions({ lazyFallback: true }), entryPoints: undefined, ...MAIN_ENTRY, format: "esm", outfile: `${outdir}/age-rt.js`,
    },
    [POOL_FILE]: {
      ...base, entryPoints: ["src/pool/pool-entry.ts"], plugins: [sharedFromMain(POOL_DIR)], format: "esm", outfile: `${outdir}/${POOL_FILE}`,
    },
    [RANDOM_FILE]: {
      ...base, entryPoints: ["src/random-access/entry.ts"], plugins: [sharedFromMain(RANDOM_DIR)], format: "esm", outfile: `${outdir}/${RANDOM_FILE}`,
    },
    [FALLBACK_FILE]: {
      ...base, entryPoints: ["src/lazy/fallback-file.ts"], plugins: [errorsFromMain], format: "esm", outfile: `${outdir}/${FALLBACK_FILE}`,
    },
    [PQ_FILE]: {
      ...base, entryPoints: ["src/lazy/pq-file.ts"], plugins: [errorsFromMain], format: "esm", outfile: `${outdir}/${PQ_FILE}`,
    },
    [TAG_FILE]: {
      ...base, entryPoints: ["src/lazy/tag-file.ts"], plugins: [errorsFromMain], format: "esm", outfile: `${outdir}/${TAG_FILE}`,
    },
    [SSH_FILE]: {
      ...base, entryPoints: ["src/lazy/ssh-file.ts"], plugins: [errorsFromMain], format: "esm", outfile: `${outdir}/${SSH_FILE}`,
    },
    "age-rt.iife.js": { ...base, format: "iife", globalName: "ageRt", outfile: `${outdir}/age-rt.iife.js` },
  };
}

/**
 * The fallback file must hold only the pure-JS backends and @noble: any other
 * module of src/ would be a second copy, with state and classes of its own.
 */
export function checkFallbackInputs(metafile) {
  const allowed = /^(src\/lazy\/fallback-file\.ts|src\/crypto\/(fallback|aead-js|scrypt-js|nonce|backend)\.ts|node_modules\/@noble\/.*)$/;
  const stray = Object.keys(metafile.inputs).filter((p) => !allowed.test(p));
  if (stray.length > 0) throw new Error(`bundle-browser: ${FALLBACK_FILE} would carry a copy of ${stray.join(", ")}`);
}

/** Likewise for the two post-quantum / P-256 files: their stanza code, HPKE, the KEMs, stateless helpers and @noble. */
export function checkPqInputs(file, metafile) {
  const allowed = /^(src\/lazy\/(pq|tag)-file\.ts|src\/recipients\/(hybrid|tag)-stanza\.ts|src\/crypto\/(hpke|xwing|p256-kems|x25519|x25519-ladder|backend|hmac-sha256|sha256)\.ts|src\/format\/(bytes|text|base64|stanza)\.ts|node_modules\/@noble\/.*)$/;
  const stray = Object.keys(metafile.inputs).filter((p) => !allowed.test(p));
  if (stray.length > 0) throw new Error(`bundle-browser: ${file} would carry a copy of ${stray.join(", ")}`);
}

/** And for the SSH file: the SSH modules, stateless helpers and @noble (no WebAssembly loader, no second copy of state). */
export function checkSshInputs(metafile) {
  const allowed = /^(src\/lazy\/ssh-file\.ts|src\/recipients\/ssh-(stanza|ed25519|rsa|private-key)\.ts|src\/crypto\/(rsa-oaep|x25519|x25519-ladder|hmac-sha256|sha256)\.ts|src\/format\/(ssh-wire|bytes|text|base64|stanza)\.ts|node_modules\/@noble\/.*)$/;
  const stray = Object.keys(metafile.inputs).filter((p) => !allowed.test(p));
  if (stray.length > 0) throw new Error(`bundle-browser: ${SSH_FILE} would carry a copy of ${stray.join(", ")}`);
}

/** Every name age-rt-random.js imports from age-rt.js must be one that age-rt.js exports. */
export function checkRandomImports(outdir, metafiles, file = RANDOM_FILE) {
  const exported = new Set(Object.values(metafiles["age-rt.js"].outputs)[0].exports);
  const code = readFileSync(`${outdir}/${file}`, "utf8");
  const names = [...code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"\.\/age-rt\.js"/g)].flatMap((m) => m[1].split(",").map((n) => n.trim().split(/\s+as\s+/)[0]));
  const missing = names.filter((n) => n !== "" && !exported.has(n));
  if (missing.length > 0) throw new Error(`bundle-browser: ${file} imports ${missing.join(", ")}, which age-rt.js does not export (add them to src/random-access/main-exports.ts or src/pool/main-exports.ts)`);
}

// Run as a script (not when bench/bundle.bench.ts imports the options).
if (process.argv[1]?.endsWith("bundle-browser.mjs")) {
  const outdirArg = process.argv.indexOf("--outdir");
  const OUT = outdirArg > 0 ? process.argv[outdirArg + 1] : "dist/browser";
  mkdirSync(OUT, { recursive: true });
  const metafiles = {};
  let mangleCache;
  for (const [file, options] of Object.entries(browserBundles(OUT))) {
    // age-rt-random.js shares objects with age-rt.js: their `_name` properties must get the same short names.
    // esbuild returns a mangle cache only to a build given one: age-rt.js starts from an empty one.
    const cache = file === "age-rt.js" ? {} : file === RANDOM_FILE || file === POOL_FILE ? mangleCache : undefined;
    const r = await build(cache === undefined ? options : { ...options, mangleCache: cache });
    if (file === "age-rt.js") mangleCache = r.mangleCache;
    metafiles[file] = r.metafile;
  }
  checkFallbackInputs(metafiles[FALLBACK_FILE]);
  checkRandomImports(OUT, metafiles);
  checkRandomImports(OUT, metafiles, POOL_FILE);
  checkPqInputs(PQ_FILE, metafiles[PQ_FILE]);
  checkPqInputs(TAG_FILE, metafiles[TAG_FILE]);
  checkSshInputs(metafiles[SSH_FILE]);

  for (const f of Object.keys(metafiles)) {
    const code = readFileSync(`${OUT}/${f}`);
    console.log(`${OUT}/${f}: ${kb(code.length)} minified, ${kb(gzipSync(code, { level: 9 }).length)} gzip -9`);
  }

  if (process.argv.includes("--analyze")) {
    // Bytes each input contributes to the minified age-rt.js, heaviest first.
    const meta = metafiles["age-rt.js"];
    writeFileSync(`${OUT}/meta.json`, JSON.stringify(meta));
    const inputs = Object.values(meta.outputs)[0].inputs;
    for (const [name, { bytesInOutput }] of Object.entries(inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) {
      if (bytesInOutput > 0) console.log(String(bytesInOutput).padStart(7), name);
    }
  }
}

function kb(n) {
  return `${(n / 1000).toFixed(1)} kB`;
}
