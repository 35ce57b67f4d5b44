// The STREAM nonce of age v1 ("Payload"): an 11-byte big-endian chunk counter
// followed by a final-chunk flag byte (0x01 on the last chunk, else 0x00).

/** Builds the 12-byte nonce for chunk `counter` (a safe integer ≥ 0). */
export function streamNonce(counter: number, final: boolean): Uint8Array {
  const nonce = new Uint8Array(12);
  const view = new DataView(nonce.buffer);
  view.setUint32(3, Math.floor(counter / 2 ** 32)); // bytes 3..6: the high word; 0..2 stay zero below 2^64
  view.setUint32(7, counter >>> 0);
  nonce[11] = final ? 1 : 0;
  return nonce;
}
