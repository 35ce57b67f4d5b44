// The entry of age-rt-pq.js (scripts/bundle-browser.mjs): the post-quantum
// stanza code, handed to age-rt.js's registry as the file loads (by import()
// on first use, or statically in a Service Worker: registry.ts).
import * as hybrid from "../recipients/hybrid-stanza.js";
import { _provideLazy } from "./registry.js";

_provideLazy("pq", hybrid);
