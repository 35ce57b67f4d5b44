// AES-256-GCM (NIST SP 800-38D §7) with a 96-bit IV, over buffers in linear
// memory: J0 = IV || 0^31 || 1, the payload is encrypted with GCTR from
// inc32(J0), and the tag is E(K, J0) xor GHASH(A || pad || C || pad || [len(A)]64 || [len(C)]64).
// open() computes and compares the tag first (constant-time OR of XORs) and
// decrypts only on a match, so a forgery yields no plaintext. Key and IV come
// from the GKEY/GIV windows; the exported callers wipe everything after.
import { GKEY, GIV, GTAG, EKJ0, GPAD, BLOCKS, PLANES, PLANES2 } from "./memory";
import { BATCH, expandKey, encryptBatch, xorWords, fromPlanes } from "./aes";
import { counterBlocks, round1Table, keystream, keystreamPair, pairInRun, runAfter } from "./ctr";
import { ghashInit, ghashBlocks, ghashResult } from "./ghash";
import { ghashWhole } from "./ghash-lanes";

/** From this many payload bytes on, GCTR starts at round 2 (ctr.ts): its tables cost about what it saves on 40 to 45 batches. */
const CACHE_MIN_BYTES: usize = 6144;

/** Key schedule, H = E(K, 0^128) and E(K, J0), from one batch. */
function setup(): void {
  expandKey();
  counterBlocks(0); // block 1 is J0 = IV || be32(1)
  memory.fill(BLOCKS, 0, 16); // block 0 becomes 0^128
  encryptBatch();
  ghashInit(BLOCKS);
  memory.copy(EKJ0, BLOCKS + 16, 16);
}

/** dst = src xor the first n bytes of the keystream blocks whose planes are at p. */
function xorKeystream(p: usize, src: usize, dst: usize, n: usize): void {
  fromPlanes(p);
  let i = xorWords(dst, src, BLOCKS, n);
  for (; i < n; i++) store<u8>(dst + i, load<u8>(src + i) ^ load<u8>(BLOCKS + i));
}

/** GCTR from counter 2 (inc32(J0)): dst = src xor keystream, len bytes. */
function gctr(src: usize, dst: usize, len: usize): void {
  const cached = len >= CACHE_MIN_BYTES;
  if (cached) round1Table();
  let counter: u32 = 2, top: u32 = 1;
  const step: usize = 16 * BATCH;
  while (len > 0) {
    if (len >= 2 * step && (!cached || pairInRun(counter, top))) {
      keystreamPair(counter, cached);
      xorKeystream(PLANES, src, dst, step);
      xorKeystream(PLANES2, src + step, dst + step, step);
      counter += 2 * <u32>BATCH;
      src += 2 * step; dst += 2 * step; len -= 2 * step;
      continue;
    }
    keystream(counter, top, cached);
    top = runAfter(counter);
    const n = len < step ? len : step;
    xorKeystream(PLANES, src, dst, n);
    counter += <u32>BATCH;
    src += n; dst += n; len -= n;
  }
}

/** GHASH of len bytes at p, zero-padded to whole blocks. */
function ghashPadded(p: usize, len: usize): void {
  const whole = len >> 4;
  ghashWhole(p, whole);
  const rest = len & 15;
  if (rest > 0) {
    memory.fill(GPAD, 0, 16);
    memory.copy(GPAD, p + (whole << 4), rest);
    ghashBlocks(GPAD, 1);
  }
}

/** The tag over aad and ciphertext, written at out. */
function tag(aad: usize, aadLen: usize, ct: usize, len: usize, out: usize): void {
  ghashPadded(aad, aadLen);
  ghashPadded(ct, len);
  store<u64>(GPAD, bswap<u64>(<u64>aadLen << 3));
  store<u64>(GPAD, bswap<u64>(<u64>len << 3), 8);
  ghashBlocks(GPAD, 1);
  ghashResult(out);
  store<u64>(out, load<u64>(out) ^ load<u64>(EKJ0));
  store<u64>(out, load<u64>(out, 8) ^ load<u64>(EKJ0, 8), 8);
}

/** Encrypts len bytes at data in place and writes the 16-byte tag at data + len. */
export function gcmSeal(aad: usize, aadLen: usize, data: usize, len: usize): void {
  setup();
  gctr(data, data, len);
  tag(aad, aadLen, data, len, data + len);
}

/** Checks the tag at data + len; on a match decrypts in place and returns true, else leaves data alone. */
export function gcmOpen(aad: usize, aadLen: usize, data: usize, len: usize): bool {
  setup();
  tag(aad, aadLen, data, len, GTAG);
  const given = data + len;
  const diff = (load<u32>(GTAG) ^ load<u32>(given)) | (load<u32>(GTAG, 4) ^ load<u32>(given, 4)) |
    (load<u32>(GTAG, 8) ^ load<u32>(given, 8)) | (load<u32>(GTAG, 12) ^ load<u32>(given, 12));
  if (diff != 0) return false;
  gctr(data, data, len);
  return true;
}
