// Byte-string helpers every layer uses (no crypto, no format knowledge).

/** The concatenation of `parts`, in a fresh array. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * What a push that completes no chunk returns (Feeder, Rechunker): one
 * frozen empty list, which callers test by identity to skip iterating it,
 * a cost per small piece otherwise.
 */
export const NO_CHUNKS: readonly Uint8Array[] = Object.freeze([]);
