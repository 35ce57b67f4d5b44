// WASM binaries are imported as their bytes (esbuild `--loader:.wasm=binary`,
// and the small plugin in vitest.config.ts).
declare module "*.wasm" {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
