// Not part of the shipped core: an entry point that exposes the secret-
// handling kernels of assembly/gcm/ one by one, so that
// tests/constant-time.test.ts can compile them and read their WebAssembly:
// each must be straight-line code (no branch, no select, no call) whose
// memory accesses all use a parameter or a fixed address plus an immediate
// offset, never an address computed from data.
import { subBytes, roundPlanes } from "../gcm/sbox";
import { transpose8, toPlanes4, fromPlanes4 } from "../gcm/aes";
import { clmulParts, rev64 } from "../gcm/ghash";

export function ct_sbox_v128(q: usize): void { subBytes<v128>(q); }
export function ct_sbox_u64(q: usize): void { subBytes<u64>(q); }
export function ct_transpose8(src: usize, dst: usize): void { transpose8(src, dst); }
export function ct_round8(q: usize, rk: usize, last: bool): void { roundPlanes<v128>(q, rk, last); }
export function ct_to_planes4(src: usize, p: usize): void { toPlanes4(src, p); }
export function ct_from_planes4(p: usize, dst: usize): void { fromPlanes4(p, dst); }
export function ct_round4(q: usize, rk: usize, last: bool): void { roundPlanes<u64>(q, rk, last); }
export function ct_clmul(x: u64, q: usize): u64 { return clmulParts(x, q); }
export function ct_rev64(x: u64): u64 { return rev64(x); }
