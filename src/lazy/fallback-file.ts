// The entry of age-rt-fallback.js (scripts/bundle-browser.mjs): the pure-JS
// AEAD and scrypt, handed to age-rt.js's registry as the file loads (by
// ready() where the WebAssembly core cannot serve, or statically in a
// Service Worker: registry.ts).
import { jsBackends } from "../crypto/fallback.js";
import { _provideLazy } from "./registry.js";

_provideLazy("fallback", jsBackends());
