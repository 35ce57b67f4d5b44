// openRandomAccess (API.md "Random access"): reads an age v1 file's header
// and nonce from a source, unlocks the file key with the decoder options'
// identities, and authenticates the last chunk as final before resolving —
// so the plaintext size it reports is trusted, and a file cut short or
// extended fails here, not at some later read (rage#195's mistake).
//
// age-rt streams (variable-size chunks: no fixed grid to seek in) and
// armored files (text: byte offsets do not map to the binary) are refused
// from their first bytes, before any identity is tried.
import { payloadKey } from "../crypto/kdf.js";
import { resolveOptions, type DecoderOptions } from "../decoder/options.js";
import { unlockFileKey } from "../decoder/unlock.js";
import { ChunkAuthenticationError, HeaderParseError, UsageError } from "../errors.js";
import { isArmorLeadByte } from "../format/armor.js";
import { HeaderReader, type Header, type HeaderLimits } from "../format/header.js";
import { AgeStreamReader } from "../stream/age-reader.js";
import { AgeRandomAccessFile, type AgeRandomAccess } from "./age-random-access.js";
import { HEAD_READ, chunkOffset, payloadLayout } from "./layout.js";
import { readExactly, toSource, type RandomAccessSource } from "./source.js";

const NONCE = 16;
const LF = 0x0a;

/**
 * Opens an age v1 file for random access. On success the returned object
 * owns the source (its close() closes what fileSource(path) opened); if
 * opening fails, the source stays the caller's.
 */
export async function openRandomAccess(source: Uint8Array | Blob | RandomAccessSource, opts: DecoderOptions): Promise<AgeRandomAccess> {
  if (typeof opts !== "object" || opts === null) throw new UsageError("openRandomAccess needs options with a passphrase or identities");
  const resolved = resolveOptions(opts);
  if (resolved.armored === true) throw notSeekable("armored (ASCII text)");
  const src = toSource(source);
  const { header, payloadStart, nonce } = await readHeader(src, resolved.limits);
  const layout = payloadLayout(payloadStart, src.size);
  const fileKey = await unlockFileKey(header, resolved.identities);
  const key = payloadKey(fileKey, nonce);
  fileKey.fill(0);
  try {
    // The last chunk, through the push decoders' own rules: a short chunk
    // must open as final; a full one is tried as non-final, then as final.
    const last = layout.chunks - 1;
    const reader = new AgeStreamReader(key, last);
    const finalPlaintext = reader.read(await readExactly(src, chunkOffset(layout, last), layout.lastSealed));
    if (!reader.done) {
      finalPlaintext.fill(0);
      throw new ChunkAuthenticationError(
        `chunk ${last}, the last in the file, authenticates as a non-final chunk: the file was cut at a chunk boundary`,
      );
    }
    return new AgeRandomAccessFile(src, layout, key, finalPlaintext);
  } catch (error) {
    key.fill(0);
    throw error;
  }
}

function notSeekable(what: string, why = "byte offsets in it do not map to the plaintext"): UsageError {
  return new UsageError(`this file is ${what}: ${why}, so it cannot be opened for random access; decrypt it as a stream (decryptStream) instead`);
}

interface HeaderRead {
  header: Header;
  payloadStart: number;
  nonce: Uint8Array;
}

/** Reads the header and the nonce, in reads that double from HEAD_READ bytes. */
async function readHeader(src: RandomAccessSource, limits: HeaderLimits): Promise<HeaderRead> {
  if (src.size === 0) throw new HeaderParseError("input ended inside the header: the source is empty");
  const reader = new HeaderReader(limits);
  let at = 0;
  let want = HEAD_READ;
  let buffer: Uint8Array = new Uint8Array(0);
  for (;;) {
    buffer = await readExactly(src, at, Math.min(want, src.size - at));
    if (at === 0) {
      if (isArmorLeadByte(buffer[0]!)) throw notSeekable("ASCII-armored", "its bytes are base64 text");
      // The version line alone first, so an age-rt stream is named before its stanzas are parsed.
      const lf = buffer.indexOf(LF);
      const line = lf < 0 ? buffer.length : lf + 1;
      reader.push(buffer.subarray(0, line));
      if (reader.versionSoFar?.format === "age-rt") {
        throw notSeekable("an age-rt stream", "its chunks vary in size, so there is no fixed chunk grid to seek in");
      }
      const used = line + reader.push(buffer.subarray(line));
      if (reader.header !== null) return withNonce(src, reader.header, used, buffer.subarray(used));
    } else {
      const used = reader.push(buffer);
      if (reader.header !== null) return withNonce(src, reader.header, at + used, buffer.subarray(used));
    }
    at += buffer.length;
    if (at >= src.size) throw new HeaderParseError("input ended inside the header");
    want *= 2;
  }
}

/** The nonce after a header of `headerLength` bytes; `rest` holds the bytes read after the header. */
async function withNonce(src: RandomAccessSource, header: Header, headerLength: number, rest: Uint8Array): Promise<HeaderRead> {
  const payloadStart = headerLength + NONCE;
  // Go age reads the nonce with the header; CCTV calls a short nonce a header failure.
  if (src.size < payloadStart) throw new HeaderParseError("input ended inside the 16-byte payload nonce");
  const nonce = rest.length >= NONCE ? rest.slice(0, NONCE) : (await readExactly(src, headerLength, NONCE)).slice();
  return { header, payloadStart, nonce };
}
