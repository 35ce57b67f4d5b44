// MLKEM768-X25519, i.e. X-Wing (draft-connolly-cfrg-xwing-kem; HPKE KEM id
// 0x647a in draft-ietf-hpke-pq), the KEM of age's mlkem768x25519 stanzas.
// ML-KEM-768 and the seed expansion are @noble/post-quantum's (no home-made
// ML-KEM); the X25519 half is our Montgomery ladder (crypto/x25519.ts), the
// one the rest of the library uses, instead of @noble/curves' (2 kB gzip less
// in the browser's post-quantum file). The combiner is the draft's:
//   ss = SHA3-256(ss_M || ss_X || ct_X || pk_X || XWingLabel)
// CCTV's hybrid vectors, the spec's key pair and typage check all of it.
import { _ecdhKem, combineKEMS, expandSeedXof } from "@noble/post-quantum/hybrid.js";
import { ml_kem768 } from "@noble/post-quantum/ml-kem.js";
import { sha3_256, shake256 } from "@noble/hashes/sha3.js";
import { concat } from "../format/bytes.js";
import { nobleKem, type Kem } from "./hpke.js";
import { x25519 } from "./x25519.js";

const XWING_LABEL = Uint8Array.of(0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c); // "\.//^\"

const xwing = combineKEMS(
  32, 32, expandSeedXof(shake256),
  (pk: Uint8Array[], ct: Uint8Array[], ss: Uint8Array[]) => sha3_256(concat(ss[0]!, ss[1]!, ct[1]!, pk[1]!, XWING_LABEL)),
  // Our X25519 in the shape _ecdhKem reads (lengths, keygen, getPublicKey, getSharedSecret: crypto/x25519.ts).
  ml_kem768, _ecdhKem(x25519 as unknown as Parameters<typeof _ecdhKem>[0]),
);

export const mlkem768x25519: Kem = nobleKem(0x647a, xwing);

/** The 1216-byte X-Wing encapsulation key of a 32-byte seed (an age identity). */
export function mlkem768x25519PublicKey(seed: Uint8Array): Uint8Array {
  return xwing.getPublicKey(seed);
}
