// Random access (API.md "Random access"), as a property: for random age v1
// files of 0 .. 40 chunks (exact multiples of 64 KiB and ±1 included),
// written by our encoder and by Go age, every read(offset, length) — chunk
// boundaries ±1, zero lengths, reads past the end included — equals the
// plaintext slice, run concurrently, and stream(start, end) equals the slice
// too; over a Uint8Array, a Blob, and a file through age-rt/node's fileSource.
import { execFileSync } from "node:child_process";
import { mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  AgeEncoder, UsageError, encodeBytes, generateIdentity, identityToRecipient, openRandomAccess, type AgeRandomAccess,
} from "../src/index.js";
import { fileSource } from "../src/node.js";
import { goAgeAvailable } from "./helpers/go-age.js";
import { streamed } from "./helpers/streams.js";

const CS = 65536;
const identity = generateIdentity();
const recipient = identityToRecipient(identity);
const dir = mkdtempSync(join(tmpdir(), "age-rt-random-access-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function plaintext(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 131 + seed * 17 + (i >>> 16) * 7) & 0xff;
  return out;
}

/** Sizes 0 .. 40 chunks, with the exact multiples of 64 KiB and their neighbours drawn often. */
const sizeArb = fc.oneof(
  fc.integer({ min: 0, max: 40 * CS }),
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom(-1, 0, 1)).map(([k, d]) => Math.max(0, k * CS + d)),
  fc.integer({ min: 0, max: 300 }),
);

/** (offset, length) pairs for a plaintext of `size` bytes, boundaries and the end favoured. */
function readArb(size: number) {
  const chunks = Math.ceil(size / CS) + 1;
  const boundary = fc.tuple(fc.integer({ min: 0, max: chunks }), fc.constantFrom(-1, 0, 1)).map(([k, d]) => Math.max(0, k * CS + d));
  const offset = fc.oneof(fc.integer({ min: 0, max: size + 2 }), boundary, fc.constantFrom(size, Math.max(0, size - 1), size + 1));
  const length = fc.oneof(
    fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 3 * CS + 2 }),
    fc.constantFrom(CS - 1, CS, CS + 1, size + 5, Number.MAX_SAFE_INTEGER),
  );
  return fc.tuple(offset, length);
}

const caseArb = sizeArb.chain((size) => fc.record({
  size: fc.constant(size),
  seed: fc.nat(255),
  reads: fc.array(readArb(size), { minLength: 1, maxLength: 16 }),
}));

const slice = (p: Uint8Array, offset: number, length: number) => p.subarray(Math.min(offset, p.length), Math.min(p.length, offset + length));


/** Every read, all at once, equals its slice; so do streams over the same ranges and the whole. */
async function checkReads(ra: AgeRandomAccess, plain: Uint8Array, reads: [number, number][]): Promise<void> {
  expect(ra.size).toBe(plain.length);
  const got = await Promise.all(reads.map(([o, l]) => ra.read(o, l)));
  reads.forEach(([o, l], i) => {
    const want = slice(plain, o, l);
    expect(got[i]!.length, `read(${o}, ${l})`).toBe(want.length);
    expect(Buffer.compare(got[i]!, want), `read(${o}, ${l}) of ${plain.length}`).toBe(0);
  });
  for (const [o, l] of reads.slice(0, 4)) {
    const end = Math.min(o + l, Number.MAX_SAFE_INTEGER);
    expect(Buffer.compare(await streamed(ra.stream(o, end)), slice(plain, o, l)), `stream(${o}, ${end})`).toBe(0);
  }
  expect(Buffer.compare(await streamed(ra.stream()), plain), "stream()").toBe(0);
}

describe("openRandomAccess: read and stream equal the plaintext slices", () => {
  it("our encoder's files, over a Uint8Array and a Blob", async () => {
    await fc.assert(fc.asyncProperty(caseArb, async ({ size, seed, reads }) => {
      const plain = plaintext(size, seed);
      const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
      for (const source of [file, new Blob([file as Uint8Array<ArrayBuffer>])]) {
        const ra = await openRandomAccess(source, { identities: [identity] });
        await checkReads(ra, plain, reads);
        ra.close();
      }
    }), { numRuns: 30 });
  });

  it("boundary sizes, every chunk edge ±1 read", async () => {
    for (const size of [0, 1, CS - 1, CS, CS + 1, 2 * CS, 3 * CS - 1, 3 * CS + 1]) {
      const plain = plaintext(size, 3);
      const file = encodeBytes([plain], AgeEncoder.fromRecipients([recipient]));
      const ra = await openRandomAccess(file, { identities: [identity] });
      const reads: [number, number][] = [];
      for (let k = 0; k * CS <= size + CS; k++) {
        for (const d of [-1, 0, 1]) for (const l of [0, 1, 2, CS - 1, CS, CS + 1]) reads.push([Math.max(0, k * CS + d), l]);
      }
      await checkReads(ra, plain, reads);
      ra.close();
    }
  });

  it.skipIf(!goAgeAvailable)("Go age's files (age -r), over a file through fileSource", async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(caseArb, async ({ size, seed, reads }) => {
      const plain = plaintext(size, seed);
      const plainPath = join(dir, `plain-${n}`);
      const agePath = join(dir, `go-${n++}.age`);
      writeFileSync(plainPath, plain);
      execFileSync("age", ["-r", recipient, "-o", agePath, plainPath]);
      const ra = await openRandomAccess(await fileSource(agePath), { identities: [identity] });
      await checkReads(ra, plain, reads);
      ra.close();
      // And the same bytes from memory, as a cross-check of the source layer.
      const fromBytes = await openRandomAccess(new Uint8Array(readFileSync(agePath)), { identities: [identity] });
      await checkReads(fromBytes, plain, reads.slice(0, 4));
      fromBytes.close();
    }), { numRuns: 15 });
  });

  it.skipIf(!goAgeAvailable)("a Go age file with two recipients (a header of several stanzas)", async () => {
    const plain = plaintext(3 * CS + 7, 9);
    const plainPath = join(dir, "plain-two");
    const agePath = join(dir, "go-two.age");
    writeFileSync(plainPath, plain);
    execFileSync("age", ["-r", identityToRecipient(generateIdentity()), "-r", recipient, "-o", agePath, plainPath]);
    const ra = await openRandomAccess(new Blob([readFileSync(agePath)]), { identities: [identity] });
    await checkReads(ra, plain, [[CS - 1, 3], [2 * CS, CS + 7], [0, plain.length]]);
    ra.close();
  });

  it("a passphrase file of ours, and fileSource over a caller's FileHandle (left open by close())", async () => {
    const plain = plaintext(5 * CS + 3, 1);
    const path = join(dir, "pass.age");
    writeFileSync(path, encodeBytes([plain], AgeEncoder.fromPassphrase("seek", { workFactor: 10 })));
    const handle = await open(path, "r");
    try {
      const ra = await openRandomAccess(await fileSource(handle), { passphrase: "seek" });
      await checkReads(ra, plain, [[0, 1], [CS, CS], [4 * CS + 5, 100]]);
      ra.close();
      await expect(ra.read(0, 1)).rejects.toBeInstanceOf(UsageError);
      expect(() => ra.stream()).toThrow(UsageError);
      expect((await handle.stat()).size).toBeGreaterThan(0); // still usable: not closed by ra.close()
      const again = await openRandomAccess(await fileSource(handle), { passphrase: "seek" });
      expect(Buffer.compare(await again.read(CS - 2, 4), slice(plain, CS - 2, 4))).toBe(0);
      again.close();
      // Node's file-backed Blob (fs.openAsBlob) is a Blob like any other.
      const blob = await openRandomAccess(await openAsBlob(path), { passphrase: "seek" });
      await checkReads(blob, plain, [[3 * CS - 1, 2], [5 * CS, 10]]);
      blob.close();
    } finally {
      await handle.close();
    }
  });

  it("fileSource(path): close() closes the file it opened", async () => {
    const plain = plaintext(2 * CS, 2);
    const path = join(dir, "owned.age");
    writeFileSync(path, encodeBytes([plain], AgeEncoder.fromRecipients([recipient])));
    const source = await fileSource(path);
    let closed = 0;
    const close = source.close!.bind(source);
    const ra = await openRandomAccess({ size: source.size, read: (o, l) => source.read(o, l), close: () => (closed++, close()) }, { identities: [identity] });
    expect(Buffer.compare(await ra.read(CS - 1, 2), slice(plain, CS - 1, 2))).toBe(0);
    ra.close();
    ra.close(); // idempotent
    expect(closed).toBe(1);
    await expect(source.read(0, 1)).rejects.toThrow(); // the handle is closed
  });
});
