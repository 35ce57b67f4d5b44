// HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): the ChaCha20 state with the
// 16-byte input in words 12..15, 20 rounds, and no final addition; the
// subkey is words 0..3 and 12..15. XChaCha20-Poly1305 (§2.3) then runs
// ChaCha20-Poly1305 under that subkey with nonce 0^4 || nonce[16..24].
//
// Computed with the ChaCha20 block function of ../aead/chacha20.ts (input
// words 12..15 as its counter and nonce), then the feed-forward it adds is
// subtracted again from the eight words HChaCha20 keeps.
import { KEY, NONCE, KS } from "../aead/memory";
import { chachaBlock, C0, C1, C2, C3 } from "../aead/chacha20";

/** Writes HChaCha20(key at KEY, 16 bytes at input) at out (which may be KEY). */
export function hchacha20(input: usize, out: usize): void {
  const w0 = load<u32>(input), w1 = load<u32>(input, 4), w2 = load<u32>(input, 8), w3 = load<u32>(input, 12);
  store<u32>(NONCE, w1);
  store<u32>(NONCE, w2, 4);
  store<u32>(NONCE, w3, 8);
  chachaBlock(w0, KS);
  store<u32>(out, load<u32>(KS) - C0);
  store<u32>(out, load<u32>(KS, 4) - C1, 4);
  store<u32>(out, load<u32>(KS, 8) - C2, 8);
  store<u32>(out, load<u32>(KS, 12) - C3, 12);
  store<u32>(out, load<u32>(KS, 48) - w0, 16);
  store<u32>(out, load<u32>(KS, 52) - w1, 20);
  store<u32>(out, load<u32>(KS, 56) - w2, 24);
  store<u32>(out, load<u32>(KS, 60) - w3, 28);
}
