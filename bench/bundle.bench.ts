// Browser bundle size (dist/browser/age-rt.js, WASM included) against the
// 25 KB gzip target and typage (npm age-encryption) bundled the same way,
// plus what each part and each size measure costs: variants of the same
// esbuild build (scripts/bundle-browser.mjs) with one thing changed.
//
//   npm run bench -- bundle
import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import { readFileSync } from "node:fs";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { writeSection } from "./harness.js";
// @ts-expect-error: a plain .mjs script; its options are what the build ships
import { browserOptions } from "../scripts/bundle-browser.mjs";

const TARGET_GZIP = 25_000;

interface Size { min: number; gzip: number; brotli: number; meta?: Metafile }

async function measure(opts: BuildOptions): Promise<Size> {
  const r = await build({ ...opts, format: "esm", write: false, metafile: true, logLevel: "silent" });
  const code = r.outputFiles![0]!.contents;
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length, meta: r.metafile };
}

/** Replaces modules matching `filter` with `contents` (to weigh what they cost). */
function stub(name: string, filter: RegExp, contents: string): Plugin {
  return {
    name,
    setup(b) {
      b.onResolve({ filter }, (a) => ({ path: a.path, namespace: name }));
      b.onLoad({ filter: /.*/, namespace: name }, () => ({ contents, loader: "js" }));
    },
  };
}
const noWasm = stub("no-wasm", /\.wasm$/, "export default new Uint8Array(0);");
const noJsFallback = stub("no-js-fallback", /\/(aead|scrypt)-js\.js$/, "export const jsAead = null, jsScrypt = null;");

const shipped = await measure(browserOptions());
const rows: Array<[string, Size]> = [
  ["**age-rt** `dist/browser/age-rt.js` (shipped: SIMD WASM + pure-JS fallback)", shipped],
  ["age-rt, both WASM builds", await measure(browserOptions({ simdOnly: false }))],
  ["age-rt, both WASM builds, X25519 ladder only", await measure(browserOptions({ simdOnly: false }))],
  ["age-rt without any WASM (the JS alone)", await measure(browserOptions({ plugins: [noWasm] }))],
  ["age-rt without the pure-JS fallback (WASM-only engines)", await measure(browserOptions({ plugins: [noJsFallback] }))],
];
const typage = await measure({
  stdin: { contents: 'export * from "age-encryption";', resolveDir: process.cwd(), loader: "js" },
  bundle: true, minify: true, platform: "browser", target: "es2022",
});
const typageVersion = JSON.parse(readFileSync("node_modules/age-encryption/package.json", "utf8")).version;
rows.push([`typage (\`age-encryption\` ${typageVersion}), whole package, same esbuild flags`, typage]);

// The heaviest inputs of the shipped bundle (minified bytes, before gzip).
const inputs = Object.entries(Object.values(shipped.meta!.outputs)[0]!.inputs)
  .map(([path, v]) => [path, v.bytesInOutput] as const)
  .sort((a, b) => b[1] - a[1]);
const byGroup = new Map<string, number>();
for (const [path, n] of inputs) {
  const g = /node_modules\/(@noble\/[a-z]+)/.exec(path)?.[1] ?? (path.endsWith(".wasm") ? "WebAssembly (base64)" : path.startsWith("src/") ? "age-rt src/" : path);
  byGroup.set(g, (byGroup.get(g) ?? 0) + n);
}

const kb = (n: number) => (n / 1000).toFixed(1);
const table = [
  "| bundle | minified kB | gzip -9 kB | brotli kB |",
  "|---|---:|---:|---:|",
  ...rows.map(([name, s]) => `| ${name} | ${kb(s.min)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`),
].join("\n");
const groups = [...byGroup].sort((a, b) => b[1] - a[1]).map(([g, n]) => `${g} ${kb(n)}`).join(", ");
const verdict = shipped.gzip <= TARGET_GZIP
  ? `within the ${kb(TARGET_GZIP)} kB target`
  : `**over the ${kb(TARGET_GZIP)} kB target by ${kb(shipped.gzip - TARGET_GZIP)} kB**`;
const section = `## Browser bundle size

\`npm run bench -- bundle\` (esbuild --minify, ESM, everything inlined; kB = 1000 bytes).
Shipped: **${kb(shipped.gzip)} kB gzip** (${verdict}), ${(100 * shipped.gzip / typage.gzip).toFixed(0)}% of typage's ${kb(typage.gzip)} kB.

${table}

Minified bytes by origin in the shipped bundle: ${groups}.
`;
console.log(section);
writeSection("bundle", section);
