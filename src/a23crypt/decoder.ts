// A23Decoder: the push decoder for a23crypt v1 records (A23CRYPT.md §7), on
// the Decoder contract of src/decoder/decoder.ts (bytesWanted / feed /
// isDone, sticky errors), so the main entry's iterators and WHATWG streams
// drive it as they drive the age decoders.
//
// The checks come in the original's order, with its classes and messages.
// The header is read field by field from one feed of 10 bytes and one of
// rk_len + 16 (a short read is where the input ended: the first field cut
// short names the error). Frames are read with the original's one frame of
// read-ahead: a feed holds a frame's body and the next length prefix, and
// frame i is opened only once frame i+1 has been read whole (then it is not
// final) or the input ended right after frame i (then it is). So a framing
// error in frame i+1 is reported before frame i is opened, every length
// prefix is checked against 131072 before its body is asked for, and
// nothing is released before both layers authenticated it. The input ends
// only with a short read: that is what makes the last frame final, so the
// decoder is done only then.
import { Decoder } from "../decoder/decoder.js";
import { concat } from "../format/bytes.js";
import { type A23BackendName, ChunkCipher, backend } from "./chunk-cipher.js";
import { DecryptionError, IntegrityError } from "./errors.js";
import {
  FIXED_HEADER, LEVEL_MASK, MAX_FRAME, MAX_RECORD_KEY, SALT_SIZE, VERSION, type A23Keys, checkKeys, readU32,
} from "./header.js";
import { RecordKeys } from "./key-schedule.js";
import { loadZstd, zstdLoaded } from "./zstd.js";

/** Options of {@link A23Decoder}. */
export interface A23DecoderOptions {
  /** @internal "js" forces the pure-JS primitives (the benchmark compares the two paths). */
  _backend?: A23BackendName;
  /** @internal Synchronous callers (decrypt()): never wait for zstd; an authentic compressed chunk needs it loaded already. */
  _sync?: boolean;
}

const PREFIX = 4;
const hex2 = (n: number) => n.toString(16).padStart(2, "0");

/** The push decoder of a23crypt records: feed it `bytesWanted` bytes at a time (a shorter read ends the input). */
export class A23Decoder extends Decoder {
  private readonly keys: A23Keys;
  private readonly impl: A23BackendName;
  private readonly sync: boolean;
  private rkLen = -1; // -1 until the fixed header fields are read
  private flags = 0;
  private chunkSize = 0;
  private cipher: ChunkCipher | null = null;
  private len = -1; // length of the frame whose body comes next; -1 before the first prefix
  private held: Uint8Array | null = null; // body of frame next - 1, read but not yet opened
  private next = 0; // index of the frame whose body comes next
  private finished = false;

  constructor(keys: A23Keys, opts: A23DecoderOptions = {}) {
    super();
    this.keys = checkKeys(keys);
    this.impl = opts._backend ?? "auto";
    this.sync = opts._sync === true;
  }

  get bytesWanted(): number {
    if (this.finished || this.pending !== null) return 0;
    if (this.rkLen < 0) return FIXED_HEADER;
    if (this.cipher === null) return this.rkLen + SALT_SIZE;
    return this.len < 0 ? PREFIX : this.len + PREFIX;
  }

  isDone(): boolean {
    return this.finished;
  }

  /** A read shorter than bytesWanted is where the input ends, valid anywhere (the last frame is final). */
  override get _acceptsShortRead(): boolean {
    return !this.finished;
  }

  /** The record ends where its input ends: there is nothing after it to look for. */
  override get _checksTrailing(): boolean {
    return false;
  }

  protected step(data: Uint8Array): Uint8Array | null {
    if (this.rkLen < 0) return this.fixed(data);
    if (this.cipher === null) return this.recordKeyAndSalt(data);
    if (this.len < 0) return this.firstPrefix(data);
    return this.frame(data);
  }

  /** version, flags, chunk_size, rk_len (§7.1 step 3). */
  private fixed(d: Uint8Array): null {
    if (d[0] !== VERSION) throw new IntegrityError(`unsupported format version: 0x${hex2(d[0]!)}`);
    if (d.length < 2) throw new IntegrityError("truncated header (flags)");
    if (d.length < 6) throw new IntegrityError("truncated header (chunk_size)");
    if (d.length < FIXED_HEADER) throw new IntegrityError("truncated header (record_key length)");
    const rkLen = readU32(d, 6);
    if (rkLen > MAX_RECORD_KEY) throw new IntegrityError(`record_key length ${rkLen} exceeds limit`);
    this.flags = d[1]!;
    this.chunkSize = readU32(d, 2);
    this.rkLen = rkLen;
    return null;
  }

  private recordKeyAndSalt(d: Uint8Array): null {
    const { serverKey, clientKey, recordKey } = this.keys;
    if (d.length < this.rkLen) throw new IntegrityError("truncated header (record_key body)");
    const stored = d.subarray(0, this.rkLen);
    if (stored.length !== recordKey.length || stored.some((b, i) => b !== recordKey[i])) throw new IntegrityError("record_key mismatch");
    if (d.length < this.rkLen + SALT_SIZE) throw new IntegrityError("truncated header (salt)");
    const salt = d.subarray(this.rkLen, this.rkLen + SALT_SIZE);
    this.cipher = new ChunkCipher(new RecordKeys(serverKey, clientKey, recordKey, salt), this.flags, this.chunkSize, backend(this.impl));
    serverKey.fill(0);
    clientKey.fill(0);
    // A compressed record: the asynchronous paths wait here for zstd. A
    // synchronous caller (decrypt()) goes on: an edited flags byte must fail
    // the tags (DecryptionError) as in the original, and only an authentic
    // compressed chunk then asks for ready() (zstd.ts, a UsageError).
    if ((this.flags & LEVEL_MASK) !== 0 && !zstdLoaded() && !this.sync) this.waitFor(loadZstd());
    return null;
  }

  private firstPrefix(d: Uint8Array): null {
    if (d.length < PREFIX) throw new IntegrityError("truncated frame header");
    this.len = this.checkedLength(d, 0);
    return null;
  }

  /** One frame body and the next prefix; or, in a short read, the last body. */
  private frame(d: Uint8Array): Uint8Array | null {
    const len = this.len;
    if (d.length < len) throw new IntegrityError("truncated frame body");
    const cipher = this.cipher!;
    const body = d.slice(0, len); // a copy: it is held past this feed, and the caller may reuse its buffer
    const previous = this.held === null ? null : cipher.open(this.next - 1, false, this.held);
    if (d.length === len) {
      // The input ends after this frame: it is the final one.
      const last = cipher.open(this.next, true, body);
      this.finish();
      return previous === null ? last : concat(previous, last);
    }
    if (d.length < len + PREFIX) throw new IntegrityError("truncated frame header");
    this.len = this.checkedLength(d, len);
    this.held = body;
    this.next++;
    return previous;
  }

  private checkedLength(d: Uint8Array, at: number): number {
    const len = readU32(d, at);
    if (len > MAX_FRAME) throw new IntegrityError(`frame length ${len} exceeds limit ${MAX_FRAME}`);
    return len;
  }

  private finish(): void {
    this.finished = true;
    this.held = null;
    this.cipher!.wipe();
  }

  protected end(): void {
    if (this.finished) return;
    if (this.rkLen < 0) throw new IntegrityError("truncated header (version)");
    if (this.cipher === null) throw new IntegrityError(this.rkLen > 0 ? "truncated header (record_key body)" : "truncated header (salt)");
    if (this.len < 0) throw new IntegrityError("ciphertext contained no final chunk (possible truncation)");
    if (this.len > 0) throw new IntegrityError("truncated frame body");
    // An empty last frame (the input ended right after its prefix): opening it fails, after the frame before it.
    if (this.held !== null) this.cipher.open(this.next - 1, false, this.held);
    this.cipher.open(this.next, true, new Uint8Array(0));
    throw new DecryptionError("decryption failed"); // unreachable: an empty body cannot authenticate
  }

  protected afterDone(data: Uint8Array): void {
    throw new IntegrityError(`${data.length} bytes after the end of the record`);
  }

  protected wipe(): void {
    this.keys.serverKey.fill(0);
    this.keys.clientKey.fill(0);
    this.held = null;
    this.cipher?.wipe();
  }
}
