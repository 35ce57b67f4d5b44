// Everything post-quantum and P-256 in one module: HPKE and the three KEMs.
// src/crypto/pq.ts hands it to the recipient types; the ESM browser bundle
// builds it as a file of its own (age-rt-pq.js), fetched on first use.
export { openBase, sealBase } from "./hpke.js";
export { decompressP256, dhkemP256, mlkem768p256, mlkem768x25519, mlkem768x25519PublicKey } from "./kems.js";
