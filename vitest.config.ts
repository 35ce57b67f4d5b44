import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vitest/config";

// The library imports its WASM binaries as bytes (esbuild's binary loader);
// this plugin gives vitest the same view of `*.wasm` imports.
function wasmBytes(): Plugin {
  return {
    name: "wasm-bytes",
    enforce: "pre",
    load(id) {
      if (!id.endsWith(".wasm")) return null;
      const b64 = readFileSync(id).toString("base64");
      return `export default Uint8Array.from(atob(${JSON.stringify(b64)}), (c) => c.charCodeAt(0));`;
    },
  };
}

export default defineConfig({
  plugins: [wasmBytes()],
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
