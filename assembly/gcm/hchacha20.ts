// HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): the ChaCha20 state with the
// 16-byte input in words 12..15, 20 rounds, and no final addition; the
// subkey is words 0..3 and 12..15. XChaCha20-Poly1305 (§2.3) then runs
// ChaCha20-Poly1305 under that subkey with nonce 0^4 || nonce[16..24].
//
// The rounds are ChaCha20's (../aead/chacha20.ts, hchachaBlock), with input
// words 12..15 as its counter and nonce and HChaCha20's output taken
// straight from the state, without a block's feed-forward.
import { NONCE } from "../aead/memory";
import { hchachaBlock } from "../aead/chacha20";

/** Writes HChaCha20(key at KEY, 16 bytes at input) at out (which may be KEY). */
export function hchacha20(input: usize, out: usize): void {
  store<u32>(NONCE, load<u32>(input, 4));
  store<u32>(NONCE, load<u32>(input, 8), 4);
  store<u32>(NONCE, load<u32>(input, 12), 8);
  hchachaBlock(load<u32>(input), out);
}
