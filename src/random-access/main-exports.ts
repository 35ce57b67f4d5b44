// What age-rt-random.js takes from age-rt.js in the ESM browser bundle: the
// modules outside src/random-access/ that its code imports, exported from
// age-rt.js under their own names (scripts/bundle-browser.mjs adds them to
// that bundle only; they are internals, not API). The bundle script checks
// that every name the random-access file imports is here.
export { payloadKey } from "../crypto/kdf.js";
export { resolveOptions } from "../decoder/options.js";
export { unlockFileKey } from "../decoder/unlock.js";
export { isArmorLeadByte } from "../format/armor.js";
export { AGE_CHUNK, AGE_SEALED_CHUNK, RUN_CHUNKS } from "../format/chunk-size.js";
export { HeaderReader } from "../format/header.js";
export { AgeStreamReader } from "../stream/age-reader.js";
export { _provideLazy } from "../lazy/registry.js";
