// Browser bundles of the main entry, with everything inside (the @noble
// packages and the WebAssembly bytes), minified:
//   dist/browser/age-rt.js       ESM, for <script type="module"> and module workers
//   dist/browser/age-rt.iife.js  a classic script defining the global `ageRt`
//                                (importScripts() in workers, embedded engines)
//
// One substitution keeps it small; it changes size only, not behaviour:
// - Only the SIMD WebAssembly build is shipped. Engines that refuse SIMD (and
//   those without WebAssembly) take the pure-JS @noble path, which the bundle
//   carries anyway; the scalar build would cost ~3.5 KB gzip for engines that
//   almost no browser in use still is (SIMD: Chrome 91, Firefox 89, Safari 16.4).
//
//   node scripts/bundle-browser.mjs [--analyze] [--outdir DIR]
//   (--analyze lists the heaviest inputs; --outdir is for tests that want a
//   fresh bundle of the current source without touching dist/)
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

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
 * bench/bundle.bench.ts measures variants: `simdOnly` false gives what the
 * bundle would weigh with both WASM builds.
 */
export function browserOptions({ simdOnly: simd = true, plugins = [] } = {}) {
  return {
    entryPoints: ["src/index.ts"],
    bundle: true,
    minify: true,
    // es2022 keeps class private fields native (smaller than WeakMap helpers);
    // BigInt (noble) already needs an engine of that age.
    target: "es2022",
    platform: "browser",
    loader: { ".wasm": "binary" },
    plugins: [...(simd ? [simdOnly] : []), ...plugins],
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
