// Compiles each AssemblyScript module twice: a SIMD build and a scalar build
// (ASC_FEATURE_SIMD is a compile-time constant, so one source serves both).
// The loader picks one with WebAssembly.validate at run time.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";

const modules = ["core"];
const targets = ["simd", "scalar"];
mkdirSync("build", { recursive: true });
for (const mod of modules) {
  for (const target of targets) {
    const out = `build/${mod}.${target}.wasm`;
    execFileSync(
      process.execPath,
      ["node_modules/assemblyscript/bin/asc.js", "assembly/index.ts",
        "--config", "asconfig.json", "--target", target, "--outFile", out],
      { stdio: "inherit" },
    );
  }
}

// a23crypt's zstd (src/a23crypt/zstd-wasm.ts imports build/zstd.wasm as
// bytes): zstd compiled to WebAssembly, as the @bokuweb/zstd-wasm package
// ships it (pinned; README "Dependencies").
copyFileSync("node_modules/@bokuweb/zstd-wasm/dist/esm/zstd.wasm", "build/zstd.wasm");
