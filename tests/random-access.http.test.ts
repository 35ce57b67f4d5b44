// Random access over HTTP (API.md "Random access", rangeSource) against a
// local server that counts the bytes it sends: one byte near the end of a
// 100 MiB file costs the header and at most three sealed chunks; a whole
// stream() fetches each byte once; servers that ignore Range, send an
// inconsistent Content-Range, or change the file between requests are
// refused with RangeRequestError (or, with no validator to pin, the changed
// chunks fail authentication); init.headers and init.fetch are used.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AgeEncoder, ChunkAuthenticationError, HeaderParseError, RangeRequestError, UsageError, encodeBytes, generateIdentity,
  identityToRecipient, openRandomAccess, rangeSource,
} from "../src/index.js";
import { rangeServer, type RangeServer } from "./helpers/range-server.js";
import { streamed } from "./helpers/streams.js";

const CS = 65536;
const SEALED = CS + 16;
const identity = generateIdentity();
const opts = { identities: [identity] };
const encrypt = (plain: Uint8Array) => encodeBytes([plain], AgeEncoder.fromRecipients([identityToRecipient(identity)]));

function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  const block = Uint8Array.from({ length: 4099 }, (_, i) => (i * 31 + seed) & 0xff); // prime length: no chunk repeats another
  for (let i = 0; i < n; i += block.length) out.set(block.subarray(0, Math.min(block.length, n - i)), i);
  return out;
}
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;


describe("rangeSource: a 100 MiB file over HTTP", () => {
  const plain = pattern(100 * 1024 * 1024, 1);
  let file: Uint8Array;
  let server: RangeServer;
  beforeAll(async () => {
    file = encrypt(plain);
    server = await rangeServer(file);
  });
  afterAll(() => server.close());

  it("one byte near the end: the header read and at most three sealed chunks", async () => {
    server.sent.length = 0;
    const ra = await openRandomAccess(await rangeSource(server.url), opts);
    expect(ra.size).toBe(plain.length);
    const at = plain.length - 100_000; // in the second-to-last chunk
    expect(same(await ra.read(at, 1), plain.subarray(at, at + 1))).toBe(true);
    const headerAndNonce = file.length - (Math.ceil(plain.length / CS) * SEALED - (Math.ceil(plain.length / CS) * CS - plain.length));
    expect(server.bytesSent()).toBeLessThanOrEqual(headerAndNonce + 3 * SEALED);
    expect(server.sent.length).toBe(3); // the 16 KiB probe (header), the final chunk, the chunk read
    expect(server.sent.every(([, , status]) => status === 206)).toBe(true);
    ra.close();
  });

  it("the whole file through stream(): every byte fetched exactly once", async () => {
    server.sent.length = 0;
    const ra = await openRandomAccess(await rangeSource(server.url), opts);
    expect(same(await streamed(ra.stream()), plain)).toBe(true);
    expect(server.bytesSent()).toBe(file.length);
    const ranges = server.sent.map(([s, e]) => [s, e]).sort((a, b) => a[0]! - b[0]!);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1]); // disjoint and contiguous
    expect(server.sent.length).toBeLessThan(120); // adjacent chunks coalesced: 16 per request once under way
    ra.close();
  });

  it("a read across many chunks is coalesced into requests of 16 chunks", async () => {
    const ra = await openRandomAccess(await rangeSource(server.url), opts);
    server.sent.length = 0;
    const got = await ra.read(10 * CS + 5, 40 * CS);
    expect(same(got, plain.subarray(10 * CS + 5, 50 * CS + 5))).toBe(true);
    expect(server.sent.map(([s, e]) => (e - s) / SEALED)).toEqual([16, 16, 9]);
    ra.close();
  });
});

describe("rangeSource: servers it refuses, and what it sends", () => {
  const plain = pattern(20 * CS + 123, 2);
  const file = encrypt(plain);
  const servers: RangeServer[] = [];
  const start = async (...args: Parameters<typeof rangeServer>) => {
    const s = await rangeServer(...args);
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it("a server that ignores Range (200): RangeRequestError, at once, not naming the URL's query", async () => {
    const s = await start(file, "ignore-range");
    const e = await rangeSource(s.url + "?X-Signature=s3cr3t#frag").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RangeRequestError);
    expect((e as RangeRequestError).status).toBe(200);
    expect(String((e as Error).message)).toMatch(/ignored the Range header/);
    expect(String((e as Error).message)).toContain(s.url);
    expect(String((e as Error).message)).not.toContain("s3cr3t");
  });

  it("a server that ignores Range, for a file no larger than the first request: the whole answer is used", async () => {
    const small = encrypt(pattern(5000, 5));
    const s = await start(small, "ignore-range");
    const ra = await openRandomAccess(await rangeSource(s.url), opts);
    expect(same(await ra.read(4000, 2000), pattern(5000, 5).subarray(4000))).toBe(true);
    expect(s.sent).toEqual([[0, small.length, 200]]); // one request: the rest was served from it
  });

  it("a Content-Range other than the range asked for, or another total: RangeRequestError", async () => {
    for (const behaviour of ["shifted-range", "wrong-total"] as const) {
      const s = await start(file, behaviour);
      const ra = await openRandomAccess(await rangeSource(s.url), opts).catch((x: unknown) => x);
      // The final chunk is the second request: refused there.
      expect(ra, behaviour).toBeInstanceOf(RangeRequestError);
      expect(String((ra as Error).message)).toMatch(/Content-Range/);
    }
  });

  it("a file changed between requests: RangeRequestError (If-Range answered with 200, or a new ETag on a 206)", async () => {
    const other = encrypt(pattern(plain.length, 3)); // same size, another file
    expect(other.length).toBe(file.length);
    for (const behaviour of ["changes", "changes-ignoring-if-range"] as const) {
      const s = await start(file, behaviour, other);
      const e = await openRandomAccess(await rangeSource(s.url), opts).catch((x: unknown) => x);
      expect(e, behaviour).toBeInstanceOf(RangeRequestError);
      expect(String((e as Error).message)).toMatch(/changed/);
      // If-Range carried the pinned ETag on every request after the first.
      expect(s.requests.slice(1).every((h) => h["if-range"] === '"v1"' || behaviour === "changes-ignoring-if-range")).toBe(true);
    }
  });

  it("a file changed with no validator to pin: the mixed chunks fail authentication instead", async () => {
    const other = encrypt(pattern(plain.length, 4));
    const s = await start(file, "changes-no-validator", other);
    await expect(openRandomAccess(await rangeSource(s.url), opts)).rejects.toBeInstanceOf(ChunkAuthenticationError);
  });

  it("Last-Modified as the validator: sent as If-Range; reads work", async () => {
    const s = await start(file, "last-modified");
    const ra = await openRandomAccess(await rangeSource(s.url), opts);
    expect(same(await ra.read(5 * CS - 3, 10), plain.subarray(5 * CS - 3, 5 * CS + 7))).toBe(true);
    expect(s.requests.slice(1).every((h) => h["if-range"] === "Sun, 06 Dec 2026 04:00:00 GMT")).toBe(true);
  });

  it("init.headers go with every request; init.fetch replaces fetch", async () => {
    const s = await start(file);
    let calls = 0;
    const counted: typeof fetch = (input, init) => (calls++, fetch(input, init));
    const ra = await openRandomAccess(await rangeSource(new URL(s.url), { headers: { Authorization: "Bearer t0k3n" }, fetch: counted }), opts);
    await ra.read(0, 3 * CS);
    expect(calls).toBe(s.requests.length);
    expect(s.requests.length).toBe(3);
    expect(s.requests.every((h) => h.authorization === "Bearer t0k3n")).toBe(true);
  });

  it("errors: a 404, a refused connection, an empty file (416 → size 0)", async () => {
    const s = await start(file);
    const notFound = await rangeSource(s.url.replace("file.age", "missing"), {
      fetch: async () => new Response("no", { status: 404, statusText: "Not Found" }),
    }).catch((x: unknown) => x);
    expect(notFound).toBeInstanceOf(RangeRequestError);
    expect((notFound as RangeRequestError).status).toBe(404);
    const refused = await rangeSource("http://127.0.0.1:9/").catch((x: unknown) => x);
    expect(refused).toBeInstanceOf(RangeRequestError);
    const empty = await start(new Uint8Array(0));
    const source = await rangeSource(empty.url);
    expect(source.size).toBe(0);
    await expect(openRandomAccess(source, opts)).rejects.toBeInstanceOf(HeaderParseError);
    await expect(rangeSource("http://127.0.0.1:9/", { fetch: 42 as never })).rejects.toBeInstanceOf(UsageError);
  });

  it("a body shorter than its Content-Range: RangeRequestError", async () => {
    const s = await start(file);
    const short: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const body = new Uint8Array(await res.arrayBuffer());
      return new Response(body.subarray(0, body.length - 1), { status: res.status, headers: res.headers });
    };
    await expect(rangeSource(s.url, { fetch: short })).rejects.toThrow(RangeRequestError);
  });
});
