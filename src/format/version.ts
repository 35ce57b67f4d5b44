// The version line (C2SP age.md "Version line") of the two formats we read:
// age v1 and age-rt v0.2, whose line may announce its largest chunk as
// `?maxchunk=N` (canonical decimal, absent = 65536, at most 16 MiB).
import { HeaderParseError } from "../errors.js";

export const AGE_V1_LINE = "age-encryption.org/v1";
export const AGE_RT_LINE = "github.com/parsimonit/age-rt-encryption/v0.2";
export const DEFAULT_MAX_CHUNK = 65536;
export const MAX_CHUNK_CAP = 16 * 1024 * 1024;

export type Version =
  | { readonly format: "age" }
  | { readonly format: "age-rt"; readonly maxChunk: number };

/** Parses a version line (without its LF). */
export function parseVersionLine(line: string): Version {
  if (line === AGE_V1_LINE) return { format: "age" };
  if (line === AGE_RT_LINE) return { format: "age-rt", maxChunk: DEFAULT_MAX_CHUNK };
  const prefix = AGE_RT_LINE + "?maxchunk=";
  if (line.startsWith(prefix)) {
    const n = line.slice(prefix.length);
    // Canonical decimal only (no sign, no leading zero, no other characters),
    // so that a version line has one spelling; checked before converting.
    if (!/^[1-9][0-9]{0,8}$/.test(n)) throw new HeaderParseError(`invalid maxchunk value in version line: ${JSON.stringify(n.slice(0, 20))}`);
    const maxChunk = Number(n);
    if (maxChunk > MAX_CHUNK_CAP) throw new HeaderParseError(`maxchunk ${maxChunk} exceeds the format's cap of ${MAX_CHUNK_CAP}`);
    return { format: "age-rt", maxChunk };
  }
  throw new HeaderParseError(`unknown version line ${JSON.stringify(line.slice(0, 64))}`);
}

/** The version line an encoder writes. */
export function versionLine(version: Version): string {
  if (version.format === "age") return AGE_V1_LINE;
  return version.maxChunk === DEFAULT_MAX_CHUNK ? AGE_RT_LINE : `${AGE_RT_LINE}?maxchunk=${version.maxChunk}`;
}
