// age-rt-inspect (src/cli/inspect.ts, the age-rt-inspect command): every
// CCTV vector inspected from a file and from a stream, checked against an
// independent reading of its header text and, for the vectors that decrypt,
// against the plaintext's real size; the age v1 size arithmetic against Go
// age's stream.PlaintextSize cases; age-rt frame walking against what the
// encoder wrote; a large sparse file inspected from its header and size only.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AgeAutoDecoder, AgeEncoder, AgeRTEncoder, AgeRTError, ChunkAuthenticationError, StreamTruncatedError, armor,
  decodeBytes, encodeBytes, generateIdentity, identityToRecipient,
} from "../src/index.js";
import { ageV1Layout, inspect, postQuantum, type InspectSource, type Inspection } from "../src/cli/inspect.js";
import { loadVectors } from "./helpers/cctv.js";
import { ensureBuilt, run, ROOT } from "./helpers/cli.js";
import { randomSplits, seededRandom } from "./helpers/random.js";

const INSPECT = join(ROOT, "dist", "cli", "age-rt-inspect.js");
const dir = mkdtempSync(join(tmpdir(), "age-rt-inspect-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file source over bytes that records the furthest byte read. */
function fileSource(bytes: Uint8Array): { source: InspectSource; furthest: () => number } {
  let furthest = 0;
  return {
    source: {
      kind: "file",
      size: bytes.length,
      readAt: (offset, length) => {
        furthest = Math.max(furthest, offset + length);
        return bytes.slice(offset, offset + length);
      },
    },
    furthest: () => Math.min(furthest, bytes.length),
  };
}

function streamSource(bytes: Uint8Array, seed: string): InspectSource {
  return { kind: "stream", chunks: (async function* () { yield* randomSplits(bytes, seededRandom(seed)); })() };
}

/** The stanza types read straight from the header text (armor removed first), not through our parser. */
function typesFromText(binary: Uint8Array): string[] | null {
  const text = Buffer.from(binary).toString("latin1");
  const end = text.indexOf("\n---");
  if (end < 0) return null;
  return [...text.slice(0, end).matchAll(/\n-> ([^ \n]+)/g)].map((m) => m[1]!);
}

describe("age-rt-inspect on the CCTV vectors", () => {
  const vectors = loadVectors();

  for (const v of vectors) {
    it(`${v.name} (${v.expect})`, async () => {
      const results: Inspection[] = [];
      for (const src of [fileSource(v.body).source, streamSource(v.body, v.name)]) {
        try {
          results.push(await inspect(src));
        } catch (e) {
          expect(e, "only typed errors").toBeInstanceOf(AgeRTError);
          // A vector that decrypts must be inspectable.
          expect(v.expect, `${(e as Error).message}`).not.toBe("success");
        }
      }
      if (results.length === 0) return;
      expect(results.length, "file and stream agree on failing").toBe(2);
      expect(results[1]).toEqual(results[0]);
      const r = results[0]!;
      expect(r.version).toBe("age-encryption.org/v1");
      expect(r.armor).toBe(v.armored);
      let binary = v.body;
      if (v.armored) binary = armor.decode(Buffer.from(v.body).toString("latin1"));
      expect(r.stanza_types).toEqual(typesFromText(binary));
      expect(r.sizes.header + r.sizes.overhead + r.sizes.min_payload).toBe(binary.length);
      expect(r.sizes.header + r.sizes.overhead + r.sizes.min_payload + r.sizes.armor).toBe(v.body.length);
      const has = (types: string[]) => r.stanza_types.some((t) => types.includes(t));
      expect(r.postquantum).toBe(has(["X25519", "ssh-rsa", "ssh-ed25519"]) ? "no" : has(["mlkem768x25519", "scrypt"]) ? "yes" : "unknown");
      if (v.expect === "success" && !v.identities.some((i) => i.startsWith("AGE-SECRET-KEY-PQ-"))) {
        const dec = new AgeAutoDecoder({ identities: v.identities, passphrase: v.passphrases });
        let size = 0;
        for (const c of decodeBytes(v.body, dec)) size += c.length;
        expect(r.sizes.min_payload).toBe(size);
        expect(r.chunks).toBe(Math.max(1, Math.ceil(size / 65536)));
      }
    });
  }

  it("success vectors cover age v1 binary, armored, and post-quantum files", () => {
    const ok = vectors.filter((v) => v.expect === "success");
    expect(ok.some((v) => v.armored)).toBe(true);
    expect(ok.some((v) => v.identities.some((i) => i.startsWith("AGE-SECRET-KEY-PQ-")))).toBe(true);
  });
});

describe("age v1 sizes (Go age's stream.PlaintextSize cases)", () => {
  const C = 65536;
  it.each([
    [16 + 16, 1, 32],
    [16 + 1 + 16, 1, 32],
    [16 + C + 16, 1, 32],
    [16 + C + 16 + 1 + 16, 2, 48],
    [16 + 2 * (C + 16), 2, 48],
  ])("payload of %i bytes: %i chunks, overhead %i", (size, chunks, overhead) => {
    expect(ageV1Layout(size)).toEqual({ chunks, overhead });
  });
  it.each([0, 15, 16, 16 + 15, 16 + C + 16 + 1, 16 + C + 16 + 15, 16 + C + 16 + 16])("payload of %i bytes is refused", (size) => {
    expect(() => ageV1Layout(size)).toThrow(AgeRTError);
  });
  it("post-quantum classification follows Go age-inspect", () => {
    expect(postQuantum(["X25519"])).toBe("no");
    expect(postQuantum(["mlkem768x25519"])).toBe("yes");
    expect(postQuantum(["mlkem768p256tag"])).toBe("yes");
    expect(postQuantum(["p256tag"])).toBe("no");
    expect(postQuantum(["scrypt"])).toBe("yes");
    expect(postQuantum(["mlkem768x25519", "X25519"])).toBe("no");
    expect(postQuantum(["piv-p256"])).toBe("no");
    expect(postQuantum(["yubikey-thing"])).toBe("unknown");
    expect(postQuantum(["mlkem768x25519", "yubikey-thing"])).toBe("yes");
    expect(postQuantum([])).toBe("unknown");
  });
});

describe("age v1 files read no further than the header", () => {
  it("the file source is read only up to the first 4 KiB past the header", async () => {
    const id = generateIdentity();
    const data = new Uint8Array(1 << 20);
    const file = encodeBytes([data], AgeEncoder.fromRecipients([identityToRecipient(id)]));
    const { source, furthest } = fileSource(file);
    const r = await inspect(source);
    expect(r.chunks).toBe(16);
    expect(r.sizes.min_payload).toBe(1 << 20);
    expect(furthest()).toBeLessThanOrEqual(4096);
  });
});

describe("age-rt frames", () => {
  it("counts every frame the encoder wrote, empty ones included, reading only prefixes of a file", async () => {
    const id = generateIdentity();
    const sizes = [0, 5, 0, 70000, 1, 0, 0, 65536, 3];
    const enc = AgeRTEncoder.fromRecipients([identityToRecipient(id)], { maxChunkSize: 1 << 17 });
    const parts = [enc.getHeader(), ...sizes.map((n, i) => enc.encodeChunk(new Uint8Array(n), i === sizes.length - 1))];
    const file = new Uint8Array(Buffer.concat(parts));
    let prefixBytes = 0;
    const { source } = fileSource(file);
    const counted: InspectSource = {
      kind: "file",
      size: file.length,
      readAt: (o, n) => {
        if (o > 1000) prefixBytes += n; // past the header: only 4-byte length prefixes
        return (source as { readAt: (o: number, n: number) => Uint8Array }).readAt(o, n);
      },
    };
    const r = await inspect(counted);
    expect(r.version).toBe("github.com/parsimonit/age-rt-encryption/v0.2?maxchunk=131072");
    expect(r.chunks).toBe(sizes.length);
    expect(r.sizes.min_payload).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(r.sizes.overhead).toBe(16 + 20 * sizes.length);
    expect(prefixBytes).toBeLessThanOrEqual(4 * sizes.length);
    expect(await inspect(streamSource(file, "rt"))).toEqual(r);
    // The same through armor.
    const armored = new TextEncoder().encode(armor.encode(file));
    const ra = await inspect(streamSource(armored, "rt-armor"));
    expect({ ...ra, armor: false, sizes: { ...ra.sizes, armor: 0 } }).toEqual(r);
    expect(ra.sizes.armor).toBe(armored.length - file.length);
  });

  it("a bad length prefix and a truncated frame are typed errors", async () => {
    const id = generateIdentity();
    const enc = AgeRTEncoder.fromRecipients([identityToRecipient(id)]);
    const file = new Uint8Array(Buffer.concat([enc.getHeader(), enc.encodeChunk(new Uint8Array(10), false), enc.encodeChunk(new Uint8Array(0), true)]));
    await expect(inspect(fileSource(file.subarray(0, file.length - 1)).source)).rejects.toBeInstanceOf(StreamTruncatedError);
    await expect(inspect(streamSource(file.subarray(0, file.length - 18), "t"))).rejects.toBeInstanceOf(StreamTruncatedError);
    const bad = file.slice();
    const payloadStart = file.length - (4 + 26) - (4 + 16);
    bad[payloadStart + 3] = 15; // a length below the tag size
    await expect(inspect(fileSource(bad).source)).rejects.toBeInstanceOf(ChunkAuthenticationError);
  });
});

describe("the age-rt-inspect command", () => {
  beforeAll(() => ensureBuilt());
  const id = generateIdentity();

  it("--json prints Go age-inspect's fields plus chunks, for a file and for standard input", async () => {
    const file = encodeBytes([new Uint8Array(100_000)], AgeEncoder.fromRecipients([identityToRecipient(id)]));
    const path = join(dir, "a.age");
    writeFileSync(path, file);
    const a = await run(process.execPath, [INSPECT, "--json", path]);
    expect(a.stderr).toBe("");
    expect(a.status).toBe(0);
    const j = JSON.parse(a.stdout.toString());
    expect(Object.keys(j)).toEqual(["version", "postquantum", "armor", "stanza_types", "sizes", "chunks"]);
    expect(Object.keys(j.sizes)).toEqual(["header", "armor", "overhead", "min_payload", "max_payload", "min_padding", "max_padding"]);
    expect(j).toMatchObject({ version: "age-encryption.org/v1", postquantum: "no", armor: false, stanza_types: ["X25519"], chunks: 2 });
    expect(j.sizes).toMatchObject({ armor: 0, overhead: 48, min_payload: 100_000, max_payload: 100_000, min_padding: 0, max_padding: 0 });
    const b = await run(process.execPath, [INSPECT, "--json"], { input: new TextEncoder().encode(armor.encode(file)) });
    expect(b.status).toBe(0);
    expect(JSON.parse(b.stdout.toString())).toMatchObject({ armor: true, chunks: 2, sizes: { min_payload: 100_000 } });
    const t = await run(process.execPath, [INSPECT, path]);
    expect(t.status).toBe(0);
    expect(t.stdout.toString()).toContain("is an age v1 file");
    expect(t.stdout.toString()).toContain('"X25519"');
    expect(t.stdout.toString()).toMatch(/Payload\s+100000 bytes/);
  });

  it("a 16 GiB sparse file is inspected from its header and size", async () => {
    const header = AgeEncoder.fromRecipients([identityToRecipient(id), identityToRecipient(generateIdentity())]).getHeader();
    const path = join(dir, "huge.age");
    writeFileSync(path, header);
    const chunks = 262_144 + 1; // 16 GiB in full chunks, and a 100-byte last one
    const fd = openSync(path, "r+");
    ftruncateSync(fd, header.length + 262_144 * 65552 + 116);
    closeSync(fd);
    const started = Date.now();
    const r = await run(process.execPath, [INSPECT, "--json", path]);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout.toString());
    expect(j.chunks).toBe(chunks);
    expect(j.sizes.min_payload).toBe(262_144 * 65536 + 100);
    expect(j.stanza_types).toEqual(["X25519", "X25519"]);
    expect(Date.now() - started).toBeLessThan(10_000); // reading 16 GiB would take far longer
  });

  it("malformed input: one error line and status 1; usage errors", async () => {
    const bad = await run(process.execPath, [INSPECT], { input: "age-encryption.org/v1\n-> X25519\n" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^age-rt: error: .*header/);
    const missing = await run(process.execPath, [INSPECT, join(dir, "nope")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("no such file");
    const two = await run(process.execPath, [INSPECT, "a", "b"]);
    expect(two.status).toBe(1);
    const help = await run(process.execPath, [INSPECT, "--help"]);
    expect(help.stdout.toString()).toContain("age-rt-inspect [--json] [INPUT]");
  });
});
