// rangeSource (API.md "Random access"): a RandomAccessSource over HTTP Range
// requests (RFC 9110 §14), with fetch. The first request (bytes 0..16 KiB,
// which openRandomAccess reads the header from anyway, so it is served from
// memory) learns the size from Content-Range and the file's validator;
// every later request carries If-Range with that validator, so a file that
// changes between requests gets a full 200 answer, which is refused, instead
// of a mix of two versions. A server that ignores Range (but for a file that
// fits in the probe's answer), or answers with a Content-Range other than
// the range asked for or another total size, is refused with
// RangeRequestError too: nothing is guessed.
//
// Cross-origin, the server must expose Content-Range (and ETag,
// Last-Modified) through Access-Control-Expose-Headers, or fetch hides them,
// and allow Range and If-Range in its preflight answer (If-Range is not a
// CORS-safelisted request header).
import { RangeRequestError, UsageError } from "../errors.js";
import { HEAD_READ } from "./layout.js";
import type { RandomAccessSource } from "./source.js";

/** Options of the HTTP Range source: how to fetch, and what to send. */
export interface RangeSourceInit {
  /** Replaces the global fetch (a wrapper that adds credentials, a test double, …). */
  fetch?: typeof fetch;
  /** Sent with every request (Authorization, …); Range and If-Range are set here. */
  headers?: HeadersInit;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/;
const UNSATISFIED_RANGE = /^bytes \*\/(\d+)$/;

/** Opens `url` for positional reads; rejects with RangeRequestError unless the server serves byte ranges. */
export async function rangeSource(url: string | URL, init: RangeSourceInit = {}): Promise<RandomAccessSource> {
  const doFetch = init.fetch ?? (typeof fetch === "function" ? (input: RequestInfo | URL, i?: RequestInit) => fetch(input, i) : null);
  if (typeof doFetch !== "function") throw new UsageError("rangeSource needs fetch: this engine has none, pass init.fetch");
  const href = String(url);
  // Messages name the file without its query or fragment: a signed URL carries its credential there.
  const target = href.replace(/[?#].*$/s, "");

  async function request(start: number, end: number, validator: string | null): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("Range", `bytes=${start}-${end}`);
    if (validator !== null) headers.set("If-Range", validator);
    try {
      return await doFetch!(href, { headers });
    } catch (error) {
      throw new RangeRequestError(`request for bytes ${start}-${end} of ${target} failed: ${String(error)}`, 0, { cause: error });
    }
  }

  // The probe: learns the size and the validator, keeps the first bytes.
  const probe = await request(0, HEAD_READ - 1, null);
  let size: number;
  let head: Uint8Array;
  if (probe.status === 416) {
    // An empty file has no byte 0: `Content-Range: bytes */0`.
    const total = UNSATISFIED_RANGE.exec(probe.headers.get("Content-Range") ?? "");
    await discard(probe);
    if (total === null || total[1] !== "0") {
      throw new RangeRequestError(`${target} answered 416 to a request for its first bytes without Content-Range "bytes */0"`, 416);
    }
    size = 0;
    head = new Uint8Array(0);
  } else if (probe.status === 200 && wholeAndSmall(probe.headers)) {
    // A server may answer a range that covers the whole file with the whole
    // file (RFC 9110 §14.2 lets it ignore Range): for a file no larger than
    // the probe, that is all there is to read, and every read is served from it.
    head = new Uint8Array(await probe.arrayBuffer());
    size = head.length;
  } else {
    if (probe.status !== 206) throw await refuse(probe, target, "a Range request");
    const range = contentRange(probe, target);
    if (range.start !== 0 || range.end !== Math.min(HEAD_READ, range.total) - 1) {
      await discard(probe);
      throw inconsistent(target, probe, `bytes 0-${Math.min(HEAD_READ, range.total) - 1}`);
    }
    size = range.total;
    head = await body(probe, target, range.end + 1);
  }
  const validator = pinnedValidator(probe.headers);

  /** Bytes [offset, offset + length) of the file from the server, checked. */
  async function fetchRange(offset: number, length: number): Promise<Uint8Array> {
    const end = offset + length - 1;
    const res = await request(offset, end, validator);
    if (res.status !== 206) throw await refuse(res, target, "a Range request with If-Range", validator);
    const range = contentRange(res, target);
    if (range.start !== offset || range.end !== end || range.total !== size) {
      await discard(res);
      throw inconsistent(target, res, `bytes ${offset}-${end}/${size}`);
    }
    if (validator !== null && changed(validator, res.headers)) {
      await discard(res);
      throw new RangeRequestError(`${target} changed since it was opened (its validator is no longer ${validator})`, 206);
    }
    return body(res, target, length);
  }

  return {
    size,
    async read(offset, length) {
      if (length === 0) return new Uint8Array(0);
      if (offset + length <= head.length) return head.subarray(offset, offset + length);
      if (offset >= head.length) return fetchRange(offset, length);
      // Partly in the probe's bytes (chunk 0 after a short header): only the rest is fetched, so no byte is fetched twice.
      const out = new Uint8Array(length);
      out.set(head.subarray(offset));
      out.set(await fetchRange(head.length, offset + length - head.length), head.length - offset);
      return out;
    },
  };
}

/** Whether a 200 answer declares a body no larger than the probe asked for, unencoded. */
function wholeAndSmall(headers: Headers): boolean {
  const length = headers.get("Content-Length");
  const encoding = headers.get("Content-Encoding");
  return length !== null && /^\d+$/.test(length) && Number(length) <= HEAD_READ && (encoding === null || encoding === "identity");
}

/** A strong ETag if there is one, else Last-Modified (If-Range allows no weak ETag, RFC 9110 §13.1.5), else null. */
function pinnedValidator(headers: Headers): string | null {
  const etag = headers.get("ETag");
  if (etag !== null && !etag.startsWith("W/")) return etag;
  return headers.get("Last-Modified");
}

/** Whether a 206 answer names a validator other than the pinned one (a server that ignored If-Range). */
function changed(validator: string, headers: Headers): boolean {
  const etag = headers.get("ETag");
  const lastModified = headers.get("Last-Modified");
  if (validator.startsWith('"')) return etag !== null && etag !== validator;
  return lastModified !== null && lastModified !== validator;
}

function contentRange(res: Response, target: string): { start: number; end: number; total: number } {
  const value = res.headers.get("Content-Range");
  const m = value === null ? null : CONTENT_RANGE.exec(value);
  const [start, end, total] = m === null ? [NaN, NaN, NaN] : [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || !Number.isSafeInteger(total) || start > end || end >= total) {
    void discard(res);
    throw new RangeRequestError(
      value === null
        ? `${target} answered 206 without Content-Range (cross-origin, the server must list it in Access-Control-Expose-Headers)`
        : `${target} answered 206 with an invalid Content-Range ${JSON.stringify(value.slice(0, 80))}`,
      res.status,
    );
  }
  return { start, end, total };
}

function inconsistent(target: string, res: Response, expected: string): RangeRequestError {
  return new RangeRequestError(
    `${target} answered Content-Range ${JSON.stringify(res.headers.get("Content-Range"))} to a request for ${expected}`,
    res.status,
  );
}

/** The error for an answer other than 206. */
async function refuse(res: Response, target: string, what: string, validator: string | null = null): Promise<RangeRequestError> {
  await discard(res);
  if (res.status === 200) {
    const why = validator !== null && changed(validator, res.headers)
      ? `the file changed since it was opened (its validator is no longer ${validator})`
      : validator !== null
        ? "the server ignored the Range header, or the file changed since it was opened"
        : "the server ignored the Range header: it does not serve byte ranges";
    return new RangeRequestError(`${target} answered 200 to ${what}: ${why}`, 200);
  }
  return new RangeRequestError(`${target} answered ${res.status}${res.statusText ? " " + res.statusText : ""} to ${what}`, res.status);
}

/** The body of a 206 answer, which must be exactly the `length` bytes asked for. */
async function body(res: Response, target: string, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length !== length) {
    throw new RangeRequestError(`${target} sent ${bytes.length} bytes for a range of ${length} (a Content-Encoding, or a cut connection?)`, res.status);
  }
  return bytes;
}

/** Drops a body not read (a 200 answer may be the whole file). */
async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // already consumed or errored: nothing to release
  }
}
