// Exports of a23crypt's noise loops and their SHAKE-256 (noise.ts, keccak.ts), used by src/wasm/noise.ts.
export { noise_add, noise_remove, shake256_raw } from "./noise";
