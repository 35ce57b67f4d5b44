// The official age test vectors (C2SP CCTV, npm cctv-age), run three ways:
// the whole file at once, streamed in random blob sizes, and pulled through
// a read callback byte-exact by bytesWanted — and a fourth time with every
// identity answering asynchronously, through aiterDecodeChunks in random
// splits. Each expected outcome maps to
// one error class, and failures must release exactly the authenticated
// prefix (the vector's `payload` hash covers what may be released).
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeRTError, ArmorError, ChunkAuthenticationError, HeaderMacError, HeaderParseError,
  NoIdentityMatchError, StreamTruncatedError, aiterDecodeChunks, decodeBytes, generateIdentity, iterDecodeCallable, iterDecodeChunks,
  type DecoderOptions, type Identity,
} from "../src/index.js";
import { parseIdentity } from "../src/recipients/keys.js";
import { loadVectors, type CctvVector } from "./helpers/cctv.js";
import { randomSplits, seededRandom } from "./helpers/random.js";

const vectors = loadVectors();
const SPARE_IDENTITY = generateIdentity();
const isHybrid = (v: CctvVector) => v.identities.some((id) => id.startsWith("AGE-SECRET-KEY-PQ-"));

const ERROR_FOR: Record<string, (abstract new (...a: never[]) => Error)[]> = {
  "header failure": [HeaderParseError],
  "no match": [NoIdentityMatchError],
  "HMAC failure": [HeaderMacError],
  "payload failure": [ChunkAuthenticationError, StreamTruncatedError],
  "armor failure": [ArmorError],
};

type Way = (v: CctvVector, dec: AgeAutoDecoder) => Iterable<Uint8Array>;
const WAYS: Record<string, Way> = {
  whole: (v, dec) => decodeBytes(v.body, dec),
  "random splits": (v, dec) => iterDecodeChunks(randomSplits(v.body, seededRandom(v.name)), dec),
  "byte-exact reads": (v, dec) => {
    let off = 0;
    return iterDecodeCallable((n) => v.body.subarray(off, (off += n)), dec);
  },
};

function options(v: CctvVector, identities: (string | Identity)[] = v.identities): DecoderOptions {
  return {
    // Vectors that fail before any key is needed come without one.
    identities: v.identities.length + v.passphrases.length > 0 ? identities : [SPARE_IDENTITY],
    passphrase: v.passphrases,
    // Detection looks at the first byte; armor behind garbage can only be declared.
    armored: v.armored && !/^[\s-]/.test(String.fromCharCode(v.body[0] ?? 0x20)) ? true : undefined,
  };
}

function run(v: CctvVector, way: Way): { released: Buffer; error: unknown } {
  const parts: Uint8Array[] = [];
  let error: unknown = null;
  try {
    const dec = new AgeAutoDecoder(options(v));
    for (const chunk of way(v, dec)) parts.push(chunk.slice());
  } catch (e) {
    error = e;
  }
  return { released: Buffer.concat(parts), error };
}

/** The same identity, answering a macrotask later. */
function delayed(s: string): Identity {
  const id = parseIdentity(s);
  return {
    unwrapFileKey: (stanzas) => new Promise((resolve, reject) => {
      setTimeout(() => Promise.resolve().then(() => id.unwrapFileKey(stanzas)).then(resolve, reject), 0);
    }),
  };
}

async function runAsync(v: CctvVector): Promise<{ released: Buffer; error: unknown }> {
  const parts: Uint8Array[] = [];
  let error: unknown = null;
  try {
    const dec = new AgeAutoDecoder(options(v, v.identities.map(delayed)));
    for await (const chunk of aiterDecodeChunks(randomSplits(v.body, seededRandom(v.name + "/async")), dec)) parts.push(chunk.slice());
  } catch (e) {
    error = e;
  }
  return { released: Buffer.concat(parts), error };
}

function check(v: CctvVector, { released, error }: { released: Buffer; error: unknown }): void {
  if (v.expect === "success") {
    expect(error).toBeNull();
  } else {
    expect(error, "must fail with a typed error").toBeInstanceOf(AgeRTError);
    const ok = ERROR_FOR[v.expect]!.some((cls) => error instanceof cls);
    expect(ok, `${(error as Error).name}: ${(error as Error).message}`).toBe(true);
  }
  // What was released is exactly what authenticated (empty when the vector has no payload).
  expect(sha256(released)).toBe(v.payloadHash ?? sha256(new Uint8Array(0)));
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("CCTV age vectors", () => {
  it("are all here: 143, of which 19 need a post-quantum hybrid identity", () => {
    expect(vectors.length).toBe(143);
    expect(vectors.filter(isHybrid).length).toBe(19);
  });

  for (const [wayName, way] of Object.entries(WAYS)) {
    describe(wayName, () => {
      for (const v of vectors) it(`${v.name} (${v.expect})`, () => check(v, run(v, way)));
    });
  }

  describe("asynchronous identities, random splits", () => {
    for (const v of vectors) it(`${v.name} (${v.expect})`, async () => check(v, await runAsync(v)));
  });
});
