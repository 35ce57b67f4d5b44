import { build } from "esbuild";
import { resolve } from "node:path";
const CLI = resolve("src/cli/stanza-modules.ts");
const r = await build({ entryPoints: { "cli/age-rt": "src/cli/age-rt.ts" }, bundle: true, splitting: true, write: false, format: "esm", platform: "node", loader: { ".wasm": "binary" }, metafile: true, outdir: "/tmp/cli/metaout", logLevel: "error", minifyWhitespace: true, minifySyntax: true,
  plugins: [{ name: "x", setup(b) { b.onResolve({ filter: /\/stanza-modules\.js$/ }, (a) => a.importer === CLI ? undefined : { path: CLI }); } }] });
const m = r.metafile;
for (const [out, o] of Object.entries(m.outputs)) {
  const ins = Object.entries(o.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, 14).map(([k, v]) => `${k.replace("node_modules/", "")}:${(v.bytesInOutput / 1024).toFixed(0)}k`);
  console.log(out, (o.bytes / 1024).toFixed(0) + "k", "static:", o.imports.filter(i => i.kind === "import-statement").length, "\n   ", ins.join(" "));
}
const prev = new Map([["src/cli/age-rt.ts", null]]); const q = ["src/cli/age-rt.ts"];
while (q.length) { const f = q.shift(); for (const i of m.inputs[f]?.imports ?? []) { if (i.kind === "dynamic-import") continue; if (!prev.has(i.path)) { prev.set(i.path, f); q.push(i.path); } } }
for (const t of process.argv.slice(2)) { const p = []; for (let f = t; f; f = prev.get(f)) p.unshift(f); console.log(t, ":", p.join(" -> ")); }
