// age-rt: age v1 and age-rt v0.2 encryption (public entry; no Node built-ins).
export * from "./errors.js";
export { ready, init } from "./wasm/loader.js";
