// @noble/curves' X25519 ladder, set up as src/crypto/x25519.ts had it before
// issue 11 wrote the ladder out: the reference the tests
// (tests/x25519-ladder.test.ts) and the benchmark (bench/unlock.bench.ts)
// compare ours with.
import { pow } from "@noble/curves/abstract/modular.js";
import { montgomery } from "@noble/curves/abstract/montgomery.js";

const P = 2n ** 255n - 19n;

export const nobleX25519 = montgomery({
  P, type: "x25519", powPminus2: (x: bigint) => pow(x, P - 2n, P),
  // RFC 7748 §5 decodeScalar25519: clear the 3 low bits and the top bit, set bit 254.
  adjustScalarBytes(k: Uint8Array) {
    k[0]! &= 248;
    k[31]! &= 127;
    k[31]! |= 64;
    return k;
  },
});
