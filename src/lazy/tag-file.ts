// The entry of age-rt-tag.js (scripts/bundle-browser.mjs): the tagged
// (P-256) stanza code, handed to age-rt.js's registry as the file loads
// (by import() on first use, or statically in a Service Worker: registry.ts).
import * as tags from "../recipients/tag-stanza.js";
import { _provideLazy } from "./registry.js";

_provideLazy("tag", tags);
