// An independent a23crypt v1 codec for the tests, written from
// ../shared/formats/A23CRYPT.md on node:crypto alone (HKDF over SHA-512,
// SHA3-512 and SHA-256; AES-256-GCM; ChaCha20-Poly1305; SHAKE-256 with the
// original's 2 × (n + 64) keystream budget), sharing no code with
// src/a23crypt/. It takes the per-chunk payloads p_i as given (already
// compressed or not), so tests can also build records the library would
// never write: a zstd bomb, odd flags or chunk_size, frames in any order.
import { createCipheriv, createDecipheriv, createHash, hkdfSync } from "node:crypto";

export interface RefKeys { serverKey: Uint8Array; clientKey: Uint8Array; recordKey: Uint8Array }

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const u64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};

function shake(seed: Uint8Array, n: number): Buffer {
  return createHash("shake256", { outputLength: n }).update(seed).digest();
}

export function refNoiseAdd(d: Uint8Array, seed: Uint8Array): Buffer {
  const k = shake(seed, 2 * (d.length + 64));
  const out: number[] = [];
  for (let p = 0, j = 0; p < d.length; j++) {
    const take = Math.min(k[2 * j]! & 15, d.length - p);
    for (let t = 0; t < take; t++) out.push(d[p + t]!);
    p += take;
    out.push(k[2 * j + 1]!);
  }
  return Buffer.from(out);
}

export function refNoiseRemove(n: Uint8Array, seed: Uint8Array): Buffer {
  const k = shake(seed, 2 * (n.length + 64));
  const out: number[] = [];
  for (let q = 0, j = 0; q < n.length; j++) {
    const take = Math.min(k[2 * j]! & 15, Math.max(n.length - q - 1, 0));
    for (let t = 0; t < take; t++) out.push(n[q + t]!);
    q += take;
    if (q < n.length) q++;
  }
  return Buffer.from(out);
}

function subkeys(keys: RefKeys, salt: Uint8Array) {
  const s = Buffer.concat([keys.recordKey, salt]);
  return {
    server: Buffer.from(hkdfSync("sha512", keys.serverKey, s, "a23crypt-v1-server-stream", 32)),
    client: Buffer.from(hkdfSync("sha3-512", keys.clientKey, s, "a23crypt-v1-client-stream", 32)),
    seed: (i: number) => Buffer.from(hkdfSync("sha256", Buffer.concat([keys.serverKey, keys.clientKey]), Buffer.concat([s, u64(i)]), "a23crypt-v1-noise-seed", 16)),
  };
}

const aadOf = (i: number, final: boolean, flags: number, chunkSize: number) => Buffer.concat([u64(i), Buffer.from([final ? 1 : 0, flags]), u32(chunkSize)]);
const nonceOf = (i: number, domain: number) => Buffer.concat([u64(i), u32(domain)]);

/** The header of §2 with any field values. */
export function refHeader(keys: RefKeys, salt: Uint8Array, flags = 0, chunkSize = 65536, version = 1): Buffer {
  return Buffer.concat([Buffer.from([version, flags]), u32(chunkSize), u32(keys.recordKey.length), keys.recordKey, salt]);
}

/** The frame (u32 length || body) of payload p_i at index i (§4). */
export function refFrame(keys: RefKeys, salt: Uint8Array, i: number, final: boolean, p: Uint8Array, flags = 0, chunkSize = 65536): Buffer {
  const k = subkeys(keys, salt);
  const aad = aadOf(i, final, flags, chunkSize);
  const g = createCipheriv("aes-256-gcm", k.server, nonceOf(i, 0)).setAAD(aad);
  const inner = Buffer.concat([g.update(p), g.final(), g.getAuthTag()]);
  const noisy = refNoiseAdd(inner, k.seed(i));
  const c = createCipheriv("chacha20-poly1305", k.client, nonceOf(i, 1), { authTagLength: 16 }).setAAD(aad, { plaintextLength: noisy.length });
  const body = Buffer.concat([c.update(noisy), c.final(), c.getAuthTag()]);
  return Buffer.concat([u32(body.length), body]);
}

/** A whole record of the payloads, the last one final. */
export function refEncode(keys: RefKeys, salt: Uint8Array, payloads: Uint8Array[], flags = 0, chunkSize = 65536): Buffer {
  return Buffer.concat([
    refHeader(keys, salt, flags, chunkSize),
    ...payloads.map((p, i) => refFrame(keys, salt, i, i === payloads.length - 1, p, flags, chunkSize)),
  ]);
}

/** Decodes a well-formed record into its payloads p_i (no decompression); throws on any failure. */
export function refDecode(keys: RefKeys, record: Uint8Array): Buffer[] {
  const b = Buffer.from(record);
  const flags = b[1]!;
  const chunkSize = b.readUInt32BE(2);
  const rk = b.readUInt32BE(6);
  const salt = b.subarray(10 + rk, 26 + rk);
  const k = subkeys(keys, salt);
  const bodies: Buffer[] = [];
  for (let at = 26 + rk; at < b.length; ) {
    const len = b.readUInt32BE(at);
    bodies.push(b.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return bodies.map((body, i) => {
    const aad = aadOf(i, i === bodies.length - 1, flags, chunkSize);
    const c = createDecipheriv("chacha20-poly1305", k.client, nonceOf(i, 1), { authTagLength: 16 }).setAAD(aad, { plaintextLength: body.length - 16 });
    c.setAuthTag(body.subarray(body.length - 16));
    const noisy = Buffer.concat([c.update(body.subarray(0, body.length - 16)), c.final()]);
    const inner = refNoiseRemove(noisy, k.seed(i));
    const g = createDecipheriv("aes-256-gcm", k.server, nonceOf(i, 0)).setAAD(aad);
    g.setAuthTag(inner.subarray(inner.length - 16));
    return Buffer.concat([g.update(inner.subarray(0, inner.length - 16)), g.final()]);
  });
}
