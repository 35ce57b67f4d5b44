// The one WebAssembly module of age-rt: ChaCha20-Poly1305 (RFC 8439), AES-256-GCM
// and XChaCha20-Poly1305 (gcm/), the scrypt core (RFC 7914) and
// a23crypt's noise loop (a23/). Built twice, SIMD and scalar (scripts/build-wasm.mjs).
export * from "./aead/index";
export * from "./scrypt/index";
export * from "./gcm/index";
export * from "./a23/index";
