// Exports of a23crypt's noise loops (noise.ts), used by src/wasm/noise.ts.
export { noise_add, noise_remove } from "./noise";
