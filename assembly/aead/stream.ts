// age STREAM (age v1 "Payload"): ChaCha20-Poly1305 chunks whose 12-byte
// nonce is an 11-byte big-endian chunk counter followed by a final-flag byte,
// with no AAD. The counter crosses the JS boundary as two u32 halves (no
// BigInt); batches seal or open many consecutive non-final chunks per call.
import { NONCE } from "./memory";
import { seal, open } from "./aead";

/** Writes the STREAM nonce for counter hi:lo (bytes 3..10, big-endian) and the final flag (byte 11). */
function streamNonce(hi: u32, lo: u32, final: u32): void {
  store<u32>(NONCE, 0, 0); // bytes 0..2 stay zero (counters stay below 2^64)
  store<u32>(NONCE + 3, bswap<u32>(hi));
  store<u32>(NONCE + 7, bswap<u32>(lo));
  store<u8>(NONCE + 11, final != 0 ? 1 : 0);
}

/** Seals one chunk in place: len bytes at data, tag written at data + len. */
export function sealChunk(data: usize, len: usize, hi: u32, lo: u32, final: u32): void {
  streamNonce(hi, lo, final);
  seal(0, 0, data, data, len);
}

/** Opens one chunk in place (len bytes of ciphertext, then its tag); false when it does not authenticate. */
export function openChunk(data: usize, len: usize, hi: u32, lo: u32, final: u32): bool {
  streamNonce(hi, lo, final);
  return open(0, 0, data, data, len);
}

/**
 * Seals n non-final chunks of `size` bytes, contiguous at src, into frames
 * of size + 16 bytes (ciphertext, tag) at dst; counters hi:lo, hi:lo + 1, ...
 */
export function sealChunks(src: usize, dst: usize, n: u32, size: usize, hi: u32, lo: u32): void {
  let counter = (<u64>hi << 32) | <u64>lo;
  for (let i: u32 = 0; i < n; i++, counter++) {
    streamNonce(<u32>(counter >> 32), <u32>counter, 0);
    seal(0, 0, src, dst, size);
    src += size;
    dst += size + 16;
  }
}

/**
 * Opens n non-final frames of size + 16 bytes at src, writing each chunk's
 * plaintext contiguously at dst. Stops at the first frame that does not
 * authenticate (it is not decrypted) and returns how many did.
 */
export function openChunks(src: usize, dst: usize, n: u32, size: usize, hi: u32, lo: u32): u32 {
  let counter = (<u64>hi << 32) | <u64>lo;
  let i: u32 = 0;
  for (; i < n; i++, counter++) {
    streamNonce(<u32>(counter >> 32), <u32>counter, 0);
    if (!open(0, 0, src, dst, size)) break;
    src += size + 16;
    dst += size;
  }
  return i;
}
