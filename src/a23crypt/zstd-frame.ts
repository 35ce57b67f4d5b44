// Walks one zstd frame (RFC 8878 §3.1.1) without decoding it: where it
// ends, and the content size its header declares. The decoder uses it to
// accept exactly one complete frame (the original refuses bytes after the
// frame, skippable frames and other magics) and to refuse a frame that
// declares more than the cap before anything is inflated.
import { CompressionError } from "./errors.js";

const MAGIC = 0xfd2fb528;

export interface FrameInfo {
  /** The declared Frame_Content_Size, or -1 when the header has none. */
  contentSize: number;
  /** Window_Size (§3.1.1.1.2): what a streaming decoder keeps; the content size for a single-segment frame. */
  windowSize: number;
}

function truncated(): CompressionError {
  return new CompressionError("incomplete zstd frame");
}

/** Checks that `src` is exactly one zstd frame (header, blocks, optional checksum); throws CompressionError otherwise. */
export function walkFrame(src: Uint8Array): FrameInfo {
  if (src.length < 4) throw new CompressionError("not a zstd frame (too short)");
  const magic = (src[0]! | (src[1]! << 8) | (src[2]! << 16) | (src[3]! << 24)) >>> 0;
  if (magic !== MAGIC) throw new CompressionError("not a zstd frame (bad magic number)");
  let at = 4;
  if (at >= src.length) throw truncated();
  const fhd = src[at++]!;
  if (fhd & 0x08) throw new CompressionError("zstd frame header: reserved bit set");
  const fcsFlag = fhd >> 6;
  const single = (fhd & 0x20) !== 0;
  const checksum = (fhd & 0x04) !== 0;
  const dictBytes = [0, 1, 2, 4][fhd & 3]!;
  let windowSize = 0;
  if (!single) {
    if (at >= src.length) throw truncated();
    const wd = src[at++]!; // Window_Descriptor
    const base = 2 ** (10 + (wd >> 3));
    windowSize = base + (base / 8) * (wd & 7);
  }
  at += dictBytes;
  const fcsBytes = [single ? 1 : 0, 2, 4, 8][fcsFlag]!;
  if (at + fcsBytes > src.length) throw truncated();
  let contentSize = -1;
  if (fcsBytes > 0) {
    contentSize = 0;
    for (let i = fcsBytes - 1; i >= 0; i--) contentSize = contentSize * 256 + src[at + i]!;
    if (fcsBytes === 2) contentSize += 256;
    if (single) windowSize = contentSize;
  }
  at += fcsBytes;
  for (;;) {
    if (at + 3 > src.length) throw truncated();
    const bh = src[at]! | (src[at + 1]! << 8) | (src[at + 2]! << 16);
    at += 3;
    const type = (bh >> 1) & 3;
    if (type === 3) throw new CompressionError("zstd block of the reserved type");
    at += type === 1 ? 1 : bh >>> 3;
    if (at > src.length) throw truncated();
    if (bh & 1) break; // Last_Block
  }
  if (checksum) at += 4;
  if (at > src.length) throw truncated();
  if (at !== src.length) throw new CompressionError(`${src.length - at} bytes after the end of the zstd frame`);
  return { contentSize, windowSize };
}
