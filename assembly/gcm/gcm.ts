// AES-256-GCM (NIST SP 800-38D §7) with a 96-bit IV, over buffers in linear
// memory: J0 = IV || 0^31 || 1, the payload is encrypted with GCTR from
// inc32(J0), and the tag is E(K, J0) xor GHASH(A || pad || C || pad || [len(A)]64 || [len(C)]64).
//
// GCTR and GHASH run in one pass: while a batch of counter blocks goes
// through its 14 AES rounds (SIMD or bitwise work), one ciphertext block is
// hashed after each of the first rounds (integer multiplies), so the CPU
// overlaps the two. seal hashes the batch it wrote before; open hashes the
// batch it is about to decrypt. open decrypts in place in that pass, then
// compares the tags (constant-time OR of XORs); on a mismatch it runs the
// same keystream over the buffer again, which restores the ciphertext, so a
// forgery yields no plaintext: the caller gets 0 and its bytes back
// unchanged. Key and IV come from the GKEY/GIV windows; the exported callers
// wipe everything after.
import { GIV, GTAG, EKJ0, GPAD, BLOCKS } from "./memory";
import { BATCH, expandKey, encryptBatch, beginBatch, aesRound, endBatch } from "./aes";
import { ghashInit, ghashBlocks, ghashResult, absorb, fold } from "./ghash";

/** Bytes of one batch of counter blocks. */
const STEP: usize = 16 * BATCH;

/** Writes BATCH counter blocks IV || be32(counter + i) at BLOCKS. */
function counterBlocks(counter: u32): void {
  const iv0 = load<u64>(GIV), iv1 = load<u32>(GIV, 8);
  for (let i: usize = 0; i < BATCH; i++) {
    store<u64>(BLOCKS + 16 * i, iv0);
    store<u32>(BLOCKS + 16 * i, iv1, 8);
    store<u32>(BLOCKS + 16 * i, bswap<u32>(counter + <u32>i), 12);
  }
}

/** Key schedule, H = E(K, 0^128) and E(K, J0), from one batch. */
function setup(): void {
  expandKey();
  counterBlocks(0); // block 1 is J0 = IV || be32(1)
  memory.fill(BLOCKS, 0, 16); // block 0 becomes 0^128
  encryptBatch();
  ghashInit(BLOCKS);
  memory.copy(EKJ0, BLOCKS + 16, 16);
}

/** dst = src xor the n keystream bytes at BLOCKS. */
function xorKeystream(src: usize, dst: usize, n: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 16 <= n; i += 16) v128.store(dst + i, v128.xor(v128.load(src + i), v128.load(BLOCKS + i)));
  } else {
    for (; i + 8 <= n; i += 8) store<u64>(dst + i, load<u64>(src + i) ^ load<u64>(BLOCKS + i));
  }
  for (; i < n; i++) store<u8>(dst + i, load<u8>(src + i) ^ load<u8>(BLOCKS + i));
}

/**
 * One batch of keystream at BLOCKS (counter blocks from `counter`), hashing
 * the BATCH whole blocks at hp meanwhile when `hashing`: block i after round
 * i + 1, in groups of four (ghash.ts).
 */
function keystreamHashing(counter: u32, hp: usize, hashing: bool): void {
  counterBlocks(counter);
  beginBatch();
  for (let r: usize = 1; r < 15; r++) {
    aesRound(r);
    const i = r - 1;
    if (hashing && i < BATCH) {
      const j = i & 3;
      absorb(hp + 16 * i, 4 - j, j == 0);
      if (j == 3) fold();
    }
  }
  endBatch();
}

/** GCTR from counter 2 (inc32(J0)): data = data xor keystream, len bytes, in place. */
function gctr(data: usize, len: usize): void {
  let counter: u32 = 2;
  while (len > 0) {
    counterBlocks(counter);
    encryptBatch();
    const n = len < STEP ? len : STEP;
    xorKeystream(data, data, n);
    counter += <u32>BATCH;
    data += n; len -= n;
  }
}

/**
 * GCTR over len bytes at data in place, with GHASH of the ciphertext in the
 * same pass: `sealing`, the ciphertext is what GCTR writes (each batch is
 * hashed during the next one); otherwise it is what GCTR reads (each batch is
 * hashed during its own keystream, before it is overwritten).
 */
function gctrHashing(data: usize, len: usize, sealing: bool): void {
  let counter: u32 = 2;
  let pending = false; // sealing: the batch before data is written but not hashed yet
  for (; len >= STEP; len -= STEP, data += STEP, counter += <u32>BATCH) {
    if (sealing) {
      keystreamHashing(counter, data - STEP, pending);
      pending = true;
    } else {
      keystreamHashing(counter, data, true);
    }
    xorKeystream(data, data, STEP);
  }
  if (pending) ghashBlocks(data - STEP, BATCH);
  if (len == 0) return;
  if (!sealing) ghashPadded(data, len);
  counterBlocks(counter);
  encryptBatch();
  xorKeystream(data, data, len);
  if (sealing) ghashPadded(data, len);
}

/** GHASH of len bytes at p, zero-padded to whole blocks. */
function ghashPadded(p: usize, len: usize): void {
  const whole = len >> 4;
  ghashBlocks(p, whole);
  const rest = len & 15;
  if (rest > 0) {
    memory.fill(GPAD, 0, 16);
    memory.copy(GPAD, p + (whole << 4), rest);
    ghashBlocks(GPAD, 1);
  }
}

/** Ends the tag after AAD and ciphertext were hashed: the length block, then xor E(K, J0); 16 bytes at out. */
function finishTag(aadLen: usize, len: usize, out: usize): void {
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
  ghashPadded(aad, aadLen);
  gctrHashing(data, len, true);
  finishTag(aadLen, len, data + len);
}

/**
 * Checks the tag at data + len; on a match leaves data decrypted and returns
 * true, else restores the ciphertext and returns false.
 */
export function gcmOpen(aad: usize, aadLen: usize, data: usize, len: usize): bool {
  setup();
  ghashPadded(aad, aadLen);
  gctrHashing(data, len, false);
  finishTag(aadLen, len, GTAG);
  const given = data + len;
  const diff = (load<u32>(GTAG) ^ load<u32>(given)) | (load<u32>(GTAG, 4) ^ load<u32>(given, 4)) |
    (load<u32>(GTAG, 8) ^ load<u32>(given, 8)) | (load<u32>(GTAG, 12) ^ load<u32>(given, 12));
  if (diff != 0) {
    gctr(data, len); // the same keystream again: the ciphertext back
    return false;
  }
  return true;
}
