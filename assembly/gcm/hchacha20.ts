// HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): the ChaCha20 state with the
// 16-byte input in words 12..15, 20 rounds, and no final addition; the
// subkey is words 0..3 and 12..15. XChaCha20-Poly1305 (§2.3) then runs
// ChaCha20-Poly1305 under that subkey with nonce 0^4 || nonce[16..24].


/** Writes HChaCha20(key at key, 16 bytes at input) at out (may equal key). */
export function hchacha20(key: usize, input: usize, out: usize): void {
  // Locals, not a heap array: the runtime is "stub" and this core never allocates.
  let x0: u32 = 0x61707865, x1: u32 = 0x3320646e, x2: u32 = 0x79622d32, x3: u32 = 0x6b206574;
  let x4 = load<u32>(key, 0), x5 = load<u32>(key, 4), x6 = load<u32>(key, 8), x7 = load<u32>(key, 12);
  let x8 = load<u32>(key, 16), x9 = load<u32>(key, 20), x10 = load<u32>(key, 24), x11 = load<u32>(key, 28);
  let x12 = load<u32>(input, 0), x13 = load<u32>(input, 4), x14 = load<u32>(input, 8), x15 = load<u32>(input, 12);
  for (let i = 0; i < 10; i++) {
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 16); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 12);
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 8); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 7);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 16); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 12);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 8); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 7);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 16); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 12);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 8); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 7);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 16); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 12);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 8); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 7);
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 16); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 12);
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 8); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 7);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 16); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 12);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 8); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 7);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 16); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 12);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 8); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 7);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 16); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 12);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 8); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 7);
  }
  store<u32>(out, x0, 0); store<u32>(out, x1, 4); store<u32>(out, x2, 8); store<u32>(out, x3, 12);
  store<u32>(out, x12, 16); store<u32>(out, x13, 20); store<u32>(out, x14, 24); store<u32>(out, x15, 28);
}
