// The entry of age-rt-ssh.js (scripts/bundle-browser.mjs): the SSH recipient
// types' code, handed to age-rt.js's registry as the file loads (by import()
// on first use, or statically in a Service Worker: registry.ts).
import * as ssh from "../recipients/ssh-stanza.js";
import { _provideLazy } from "./registry.js";

_provideLazy("ssh", ssh);
