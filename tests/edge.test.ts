// Edge runtimes (Cloudflare Workers, Deno Deploy, Vercel Edge): the main
// entry must bundle for a neutral platform, with no Node built-ins and
// nothing left external, whatever bundler such a platform uses.
//
// The library's behaviour in a real edge runtime (init(module), and the
// pure-JS path where compiling bytes is refused) is tested in workerd itself:
// tests/workerd.test.ts.
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/** The main entry bundled for a neutral platform: no Node resolution, no externals. */
async function neutralBundle() {
  const result = await build({
    entryPoints: ["src/index.ts"],
    bundle: true,
    platform: "neutral",
    format: "iife",
    globalName: "ageRt",
    target: "es2022",
    loader: { ".wasm": "binary" },
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile };
}

describe("edge runtime: neutral bundle", () => {
  it("bundles with platform neutral: no Node built-ins, nothing external", async () => {
    const { code, metafile } = await neutralBundle(); // a node:* import would fail to resolve here
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((p) => p.startsWith("node:") || /^(fs|path|crypto|stream|buffer|util)$/.test(p))).toEqual([]);
    for (const out of Object.values(metafile.outputs)) expect(out.imports).toEqual([]);
    // Node's globals only where looked up by name and tested first (hosts.ts, run-buffer.ts: `globalThis["Buffer"]?.…`).
    expect(code).not.toMatch(/\brequire\(|\bprocess\.|(?<!["'])\bBuffer\b(?!["'])/);
  });
});
