// Browser bundles of the main entry, with everything inside (the @noble
// packages and the WebAssembly bytes), minified:
//   dist/browser/age-rt.js       ESM, for <script type="module"> and module workers
//   dist/browser/age-rt.iife.js  a classic script defining the global `ageRt`
//                                (importScripts() in workers, embedded engines)
//
// Two substitutions keep it small; both change size only, not behaviour:
// - Only the SIMD WebAssembly build is shipped. Engines that refuse SIMD (and
//   those without WebAssembly) take the pure-JS @noble path, which the bundle
//   carries anyway; the scalar build would cost ~3.5 KB gzip for engines that
//   almost no browser in use still is (SIMD: Chrome 91, Firefox 89, Safari 16.4).
// - `@noble/curves/ed25519.js` is replaced by X25519 alone, built from noble's
//   own Montgomery ladder. The full module pulls in Edwards arithmetic and
//   SHA-512 for its fixed-base speed-up; the ladder gives the same results
//   (checked against it) for ~1.5 ms more per public-key derivation (once per
//   identity or recipient), and ~5 KB gzip less.
//
//   node scripts/bundle-browser.mjs [--analyze] [--outdir DIR]
//   (--analyze lists the heaviest inputs; --outdir is for tests that want a
//   fresh bundle of the current source without touching dist/)
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

/** Resolves the ed25519 module to an X25519-only one (see the header comment). */
const x25519Only = {
  name: "x25519-only",
  setup(b) {
    b.onResolve({ filter: /^@noble\/curves\/ed25519\.js$/ }, () => ({ path: "x25519", namespace: "x25519-only" }));
    b.onLoad({ filter: /.*/, namespace: "x25519-only" }, () => ({
      resolveDir: process.cwd(),
      loader: "js",
      // RFC 7748 §5: p = 2^255 - 19, scalars clamped as decodeScalar25519 says.
      contents: `
        import { montgomery } from "@noble/curves/abstract/montgomery.js";
        import { pow } from "@noble/curves/abstract/modular.js";
        const P = 2n ** 255n - 19n;
        export const x25519 = montgomery({
          P,
          type: "x25519",
          // Fermat inversion; ed25519.js uses an addition chain, same result.
          powPminus2: (x) => pow(x, P - 2n, P),
          adjustScalarBytes(k) { k[0] &= 248; k[31] &= 127; k[31] |= 64; return k; },
        });`,
    }));
  },
};

/**
 * The scalar build becomes zero bytes, which the loader reads as "not
 * shipped": where SIMD does not validate it uses the pure-JS path.
 */
const simdOnly = {
  name: "simd-only",
  setup(b) {
    b.onLoad({ filter: /core\.scalar\.wasm$/ }, () => ({ contents: "export default new Uint8Array(0);", loader: "js" }));
  },
};

/**
 * The esbuild options of the browser bundles (without format/outfile).
 * bench/bundle.bench.ts measures variants: `simdOnly` and `x25519Only`
 * false give what the bundle would weigh without each substitution.
 */
export function browserOptions({ simdOnly: simd = true, x25519Only: x25519 = true, plugins = [] } = {}) {
  return {
    entryPoints: ["src/index.ts"],
    bundle: true,
    minify: true,
    // es2022 keeps class private fields native (smaller than WeakMap helpers);
    // BigInt (noble) already needs an engine of that age.
    target: "es2022",
    platform: "browser",
    loader: { ".wasm": "binary" },
    plugins: [...(x25519 ? [x25519Only] : []), ...(simd ? [simdOnly] : []), ...plugins],
    metafile: true,
    logLevel: "warning",
  };
}

// Run as a script (not when bench/bundle.bench.ts imports the options).
if (process.argv[1]?.endsWith("bundle-browser.mjs")) {
  const outdirArg = process.argv.indexOf("--outdir");
  const OUT = outdirArg > 0 ? process.argv[outdirArg + 1] : "dist/browser";
  mkdirSync(OUT, { recursive: true });
  const esm = await build({ ...browserOptions(), format: "esm", outfile: `${OUT}/age-rt.js` });
  await build({ ...browserOptions(), format: "iife", globalName: "ageRt", outfile: `${OUT}/age-rt.iife.js` });

  for (const f of ["age-rt.js", "age-rt.iife.js"]) {
    const code = readFileSync(`${OUT}/${f}`);
    console.log(`${OUT}/${f}: ${kb(code.length)} minified, ${kb(gzipSync(code, { level: 9 }).length)} gzip`);
  }

  if (process.argv.includes("--analyze")) {
    // Bytes each input contributes to the minified ESM output, heaviest first.
    writeFileSync(`${OUT}/meta.json`, JSON.stringify(esm.metafile));
    const inputs = Object.values(esm.metafile.outputs)[0].inputs;
    for (const [name, { bytesInOutput }] of Object.entries(inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) {
      if (bytesInOutput > 0) console.log(String(bytesInOutput).padStart(7), name);
    }
  }
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KiB`;
}
