// Seeded randomness for reproducible property tests.

/** A small deterministic PRNG (mulberry32) seeded from a string. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 3432918353), (h = (h << 13) | (h >>> 19));
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cuts data into consecutive pieces of random sizes (1..maxPiece), as views. */
export function randomSplits(data: Uint8Array, rand: () => number, maxPiece = 70_000): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; ) {
    // Mostly small pieces, sometimes large, so both the byte and the run paths are hit.
    const n = 1 + Math.floor(rand() < 0.7 ? rand() * 64 : rand() * maxPiece);
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}
