// The crypt-io stream header (../shared/formats/CRYPT-IO.md §3): 24 bytes,
// magic "\x89CRYPTIO", version, algorithm byte, chunk_size_log2, and bytes
// that are a v1 nonce prefix or must be zero in v2. Checks run in the
// original's order (§3.1) with its messages; every failure is a
// HeaderParseError.
import { HeaderParseError, UsageError } from "../errors.js";

export const HEADER_SIZE = 24;
/** v2: the per-stream HKDF salt after the header (§4). */
export const SALT_SIZE = 32;
export const TAG_SIZE = 16;
export const MIN_LOG2 = 10;
export const MAX_LOG2 = 24;
const MAGIC = [0x89, 0x43, 0x52, 0x59, 0x50, 0x54, 0x49, 0x4f];

/** The AEADs a crypt-io stream may use (CRYPT-IO.md §3). */
export type CryptIoAlgorithm = "chacha20-poly1305" | "aes-256-gcm" | "xchacha20-poly1305";
/** The crypt-io stream versions: 1 (the key itself) and 2 (a per-stream HKDF subkey). */
export type CryptIoVersion = 1 | 2;

/** Algorithm bytes (§3): 0x00, 0x01, 0x02. */
export const ALGORITHMS: readonly CryptIoAlgorithm[] = ["chacha20-poly1305", "aes-256-gcm", "xchacha20-poly1305"];

/** A parsed crypt-io header (CRYPT-IO.md §3). */
export interface CryptIoHeader {
  /** The stream version. */
  readonly version: CryptIoVersion;
  /** The AEAD. */
  readonly algorithm: CryptIoAlgorithm;
  /** log2 of the plaintext bytes per chunk. */
  readonly chunkSizeLog2: number;
  /** The 24 bytes as on the wire (they are the AAD, §4). */
  readonly bytes: Uint8Array;
}

/** Nonce length of an algorithm: 12, or 24 for XChaCha20-Poly1305 (§3). */
export function nonceLength(algorithm: CryptIoAlgorithm): number {
  return algorithm === "xchacha20-poly1305" ? 24 : 12;
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/** Parses and checks a 24-byte header (§3.1). `maxLog2` is the decoder's cap on chunk_size_log2. */
export function parseHeader(bytes: Uint8Array, maxLog2 = MAX_LOG2): CryptIoHeader {
  if (bytes.length < HEADER_SIZE) throw new HeaderParseError(`stream header too short (${bytes.length} bytes, need ${HEADER_SIZE})`);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new HeaderParseError("stream magic mismatch (not a crypt-io stream)");
  }
  const version = bytes[8]!;
  if (version !== 1 && version !== 2) {
    throw new HeaderParseError(`unsupported stream version: 0x${hex2(version)} (this decoder reads versions 1 and 2)`);
  }
  const algorithmByte = bytes[9]!;
  if (algorithmByte > (version === 1 ? 1 : 2)) throw new HeaderParseError(`unknown algorithm byte: 0x${hex2(algorithmByte)}`);
  const log2 = bytes[10]!;
  if (log2 < MIN_LOG2 || log2 > MAX_LOG2) throw new HeaderParseError(`chunk_size_log2 out of range: ${log2}`);
  if (version === 2 && bytes.subarray(11, HEADER_SIZE).some((b) => b !== 0)) {
    throw new HeaderParseError("stream v2 header: reserved bytes must be zero");
  }
  // Our own limit, checked before anything of that size is allocated.
  if (log2 > maxLog2) {
    throw new HeaderParseError(`chunk_size_log2 ${log2} is above this decoder's limit of ${maxLog2} (option maxChunkSizeLog2)`);
  }
  return { version, algorithm: ALGORITHMS[algorithmByte]!, chunkSizeLog2: log2, bytes: Uint8Array.from(bytes.subarray(0, HEADER_SIZE)) };
}

/** The header an encoder writes (§3): reserved bytes zero; the v1 nonce prefix in bytes 16..23. */
export function encodeHeader(version: CryptIoVersion, algorithm: CryptIoAlgorithm, log2: number, v1Prefix?: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE);
  out.set(MAGIC);
  out[8] = version;
  out[9] = ALGORITHMS.indexOf(algorithm);
  out[10] = log2;
  if (version === 1) out.set(v1Prefix!, 16);
  return out;
}

/** Checks encoder options (§3: log2 10..=24, no XChaCha20-Poly1305 in v1) with UsageErrors. */
export function checkEncoderOptions(version: unknown, algorithm: unknown, log2: unknown): void {
  if (version !== 1 && version !== 2) throw new UsageError(`version must be 1 or 2, got ${String(version)}`);
  if (!ALGORITHMS.includes(algorithm as CryptIoAlgorithm)) {
    throw new UsageError(`algorithm must be one of ${ALGORITHMS.join(", ")}, got ${String(algorithm)}`);
  }
  if (!Number.isInteger(log2) || (log2 as number) < MIN_LOG2 || (log2 as number) > MAX_LOG2) {
    throw new UsageError(`chunkSizeLog2 must be an integer in ${MIN_LOG2}..${MAX_LOG2}, got ${String(log2)}`);
  }
  if (version === 1 && algorithm === "xchacha20-poly1305") {
    throw new UsageError("crypt-io version 1 has no XChaCha20-Poly1305 (use version 2)");
  }
}
