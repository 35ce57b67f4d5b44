// Decoder options (API.md "Push decoders") and the identities they describe.
import { UsageError } from "../errors.js";
import type { HeaderLimits } from "../format/header.js";
import { DEFAULT_MAX_CHUNK, MAX_CHUNK_CAP } from "../format/version.js";
import { parseIdentities } from "../recipients/keys.js";
import { ScryptIdentity, DEFAULT_MAX_WORK_FACTOR, assertWorkFactor } from "../recipients/scrypt.js";
import type { Identity } from "../recipients/types.js";

/** Options of the decoders' constructors: what to try to unlock with, and the limits enforced. */
export interface DecoderOptions extends HeaderLimits {
  /** One or more passphrases to try on a scrypt stanza. */
  passphrase?: string | string[];
  /**
   * Identity strings (`AGE-SECRET-KEY-1…`, `AGE-SECRET-KEY-PQ-1…`, an
   * unencrypted OpenSSH private key's PEM text) or Identity objects of the
   * caller's (which may answer asynchronously: see `pending`).
   */
  identities?: (string | Identity)[];
  /** age-rt: refuse headers announcing chunks larger than this (default 65536, cap 16 MiB). */
  maxChunkSize?: number;
  /** Refuse scrypt stanzas above this log2 N (default 22, like Go age). */
  maxWorkFactor?: number;
  /**
   * Called with the fraction (0..1) of the scrypt work done while a
   * passphrase is tried, for progress bars (scrypt takes ~1 s at N = 2^18).
   */
  onScryptProgress?: (fraction: number) => void;
  /**
   * AgeAutoDecoder only: true = the input is ASCII armor (anything else
   * before the begin line is an ArmorError), false = binary only,
   * absent = detect from the first byte.
   */
  armored?: boolean;
}

export interface ResolvedOptions {
  readonly identities: readonly Identity[];
  readonly armored: boolean | undefined;
  readonly maxChunkSize: number;
  readonly limits: HeaderLimits;
}

/** Accepts both constructor forms: (passphrase, opts?) and (opts). */
export function resolveOptions(first: string | DecoderOptions | undefined, rest?: DecoderOptions): ResolvedOptions {
  const opts: DecoderOptions = typeof first === "string" ? { ...rest, passphrase: first } : { ...first };
  const maxChunkSize = opts.maxChunkSize ?? DEFAULT_MAX_CHUNK;
  if (!Number.isSafeInteger(maxChunkSize) || maxChunkSize < 1 || maxChunkSize > MAX_CHUNK_CAP) {
    throw new UsageError(`maxChunkSize must be an integer in 1..${MAX_CHUNK_CAP}, got ${maxChunkSize}`);
  }
  // A NaN, zero or fractional limit would silently disable or break the header checks.
  for (const name of ["maxHeaderSize", "maxStanzas"] as const) {
    const v = opts[name];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) throw new UsageError(`${name} must be a positive integer, got ${v}`);
  }
  const maxWorkFactor = opts.maxWorkFactor ?? DEFAULT_MAX_WORK_FACTOR;
  assertWorkFactor("maxWorkFactor", maxWorkFactor); // also when only identities are given
  const passphrases = opts.passphrase === undefined ? [] : ([] as string[]).concat(opts.passphrase);
  const identities: Identity[] = [
    ...(passphrases.length > 0 ? [new ScryptIdentity(passphrases, { maxWorkFactor, onProgress: opts.onScryptProgress })] : []),
    ...parseIdentities(opts.identities ?? []),
  ];
  if (identities.length === 0) throw new UsageError("a decoder needs a passphrase or at least one identity");
  return { identities, armored: opts.armored, maxChunkSize, limits: { maxHeaderSize: opts.maxHeaderSize, maxStanzas: opts.maxStanzas } };
}
