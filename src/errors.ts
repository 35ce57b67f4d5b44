// The error taxonomy of API.md: every failure is an AgeRTError, decode
// failures are DecodeErrors, and each class maps to one CCTV outcome
// ("header failure", "no match", "HMAC failure", "payload failure",
// "armor failure"). Messages name what and where, never secrets.

/** Base of every error this library throws on purpose. */
export class AgeRTError extends Error {
  // Each class spells out its name: minifiers rename classes, so
  // new.target.name would be "k" in a minified bundle (dist/browser).
  override name = "AgeRTError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Base of every error raised while decoding a file or stream. */
export class DecodeError extends AgeRTError {
  override name = "DecodeError";
}

/** Malformed header, unknown version, bad stanza, or a limit exceeded. */
export class HeaderParseError extends DecodeError {
  override name = "HeaderParseError";
}

/** No identity or passphrase unwraps the file key. */
export class NoIdentityMatchError extends DecodeError {
  override name = "NoIdentityMatchError";
}

/** The file key unwrapped but the header MAC does not verify. */
export class HeaderMacError extends DecodeError {
  override name = "HeaderMacError";
}

/** A chunk failed to authenticate, a length prefix is invalid, or data trails the final chunk. */
export class ChunkAuthenticationError extends DecodeError {
  override name = "ChunkAuthenticationError";
}

/** The input ended before the final chunk. */
export class StreamTruncatedError extends DecodeError {
  override name = "StreamTruncatedError";
}

/** `feed()` was given a length other than `bytesWanted`. */
export class InsufficientDataError extends DecodeError {
  override name = "InsufficientDataError";
}

/** Invalid ASCII armor. */
export class ArmorError extends DecodeError {
  override name = "ArmorError";
}

/**
 * The API was used in a way it does not allow: an encoder used after its
 * final chunk, a decoder fed after it finished, an invalid argument.
 */
export class UsageError extends AgeRTError {
  override name = "UsageError";
}

/**
 * An age plugin (C2SP age-plugin) failed: it could not be started, exited
 * or went silent mid-protocol, broke the protocol, or reported an error.
 * `plugin` is its name (the binary is age-plugin-NAME).
 */
export class PluginError extends AgeRTError {
  override name = "PluginError";

  constructor(readonly plugin: string, message: string, options?: { cause?: unknown }) {
    super(`plugin ${plugin}: ${message}`, options);
  }
}

/** Whether `value` is a Uint8Array (Buffers included, and arrays from another realm, e.g. a vm context or an iframe). */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor?.name === "Uint8Array");
}

/** Throws UsageError unless `value` is a Uint8Array; `what` names the argument ("feed() data"). */
export function assertBytes(what: string, value: unknown): asserts value is Uint8Array {
  if (!isBytes(value)) {
    const got = value === null ? "null" : typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value;
    throw new UsageError(`${what} must be a Uint8Array, got ${got}`);
  }
}
