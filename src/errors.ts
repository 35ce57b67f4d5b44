// The error taxonomy of API.md: every failure is an AgeRTError, decode
// failures are DecodeErrors, and each class maps to one CCTV outcome
// ("header failure", "no match", "HMAC failure", "payload failure",
// "armor failure"); the most specific class decides, since
// NoIdentityMatchError and HeaderMacError extend ChunkAuthenticationError
// (the Python reference's "wrong passphrase or corruption"). Messages name
// what and where, never secrets.

/** Base of every error this library throws on purpose. */
export class AgeRTError extends Error {
  // Each class spells out its name: minifiers rename classes, so
  // new.target.name would be "k" in a minified bundle (dist/browser).
  /** Always "AgeRTError": spelled out so that minified bundles keep it. */
  override name = "AgeRTError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Base of every error raised while decoding a file or stream. */
export class DecodeError extends AgeRTError {
  /** Always "DecodeError": spelled out so that minified bundles keep it. */
  override name = "DecodeError";
}

/** Malformed header, unknown version, bad stanza, or a limit exceeded. */
export class HeaderParseError extends DecodeError {
  /** Always "HeaderParseError": spelled out so that minified bundles keep it. */
  override name = "HeaderParseError";
}

/**
 * A chunk failed to authenticate, a length prefix is invalid, or data trails
 * the final chunk. As in the Python reference it also means "authentication
 * failed — wrong passphrase or corruption": NoIdentityMatchError and
 * HeaderMacError are its subclasses, so code that catches it for a wrong
 * passphrase (the reference's README does) keeps working.
 */
export class ChunkAuthenticationError extends DecodeError {
  /** Always "ChunkAuthenticationError": spelled out so that minified bundles keep it. */
  override name = "ChunkAuthenticationError";
}

/** No identity or passphrase unwraps the file key (a ChunkAuthenticationError, as the reference reports a wrong passphrase). */
export class NoIdentityMatchError extends ChunkAuthenticationError {
  /** Always "NoIdentityMatchError": spelled out so that minified bundles keep it. */
  override name = "NoIdentityMatchError";
}

/** The file key unwrapped but the header MAC does not verify (a ChunkAuthenticationError, as in the reference). */
export class HeaderMacError extends ChunkAuthenticationError {
  /** Always "HeaderMacError": spelled out so that minified bundles keep it. */
  override name = "HeaderMacError";
}

/** The input ended before the final chunk. */
export class StreamTruncatedError extends DecodeError {
  /** Always "StreamTruncatedError": spelled out so that minified bundles keep it. */
  override name = "StreamTruncatedError";
}

/** `feed()` was given a length other than `bytesWanted` (bytes after the decoder is done included). */
export class InsufficientDataError extends DecodeError {
  /** Always "InsufficientDataError": spelled out so that minified bundles keep it. */
  override name = "InsufficientDataError";
}

/** Invalid ASCII armor. */
export class ArmorError extends DecodeError {
  /** Always "ArmorError": spelled out so that minified bundles keep it. */
  override name = "ArmorError";
}

/**
 * An HTTP server did not serve a byte range as asked (rangeSource): it
 * ignored `Range` (answered 200), sent a missing or inconsistent
 * `Content-Range`, answered with an error status, or the file changed
 * between requests (its pinned `ETag`/`Last-Modified` no longer matches).
 * `status` is the HTTP status, or 0 when the request itself failed.
 */
export class RangeRequestError extends AgeRTError {
  /** Always "RangeRequestError": spelled out so that minified bundles keep it. */
  override name = "RangeRequestError";

  constructor(
    message: string,
    /** The HTTP status of the failed response, 0 when there was none (a network error). */
    readonly status = 0,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The API was used in a way it does not allow: an encoder used after its
 * final chunk, a decoder fed after it finished, an invalid argument.
 */
export class UsageError extends AgeRTError {
  /** Always "UsageError": spelled out so that minified bundles keep it. */
  override name = "UsageError";
}

/**
 * A worker pool (createWorkerPool) could not do its part: a worker could not
 * be started, died mid-run, or the pool was closed while a stream used it.
 * Nothing a failed run opened is released.
 */
export class WorkerPoolError extends AgeRTError {
  /** Always "WorkerPoolError": spelled out so that minified bundles keep it. */
  override name = "WorkerPoolError";
}

/**
 * An age plugin (C2SP age-plugin) failed: it could not be started, exited
 * or went silent mid-protocol, broke the protocol, or reported an error.
 * `plugin` is its name (the binary is age-plugin-NAME).
 */
export class PluginError extends AgeRTError {
  override name = "PluginError";

  /**
   * @param plugin the plugin's name (NAME of age-plugin-NAME), kept on the error
   * @param message what went wrong; the plugin's name is put before it
   */
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

/** Throws UsageError unless `value` is a Uint8Array of `length` bytes; `what` names the argument ("key"). */
export function assertLength(what: string, value: unknown, length: number): asserts value is Uint8Array {
  assertBytes(what, value);
  if (value.length !== length) throw new UsageError(`${what} expected ${length} bytes, got ${value.length}`);
}
