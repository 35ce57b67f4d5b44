// The a23crypt key schedule (A23CRYPT.md §3): per record, the server subkey
// (HKDF-SHA-512) and the client subkey (HKDF-SHA3-512, HMAC over SHA3-512's
// 72-byte block), both salted with record_key || salt; per chunk, the
// 16-byte noise seed (HKDF-SHA-256 over both keys, salted with
// record_key || salt || u64be(i)). HKDF is RFC 5869, from @noble/hashes.
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { sha3_512 } from "@noble/hashes/sha3.js";
import { concat } from "../format/bytes.js";
import { utf8Encode } from "../format/text.js";
import { writeU64 } from "./header.js";

const SERVER_INFO = utf8Encode("a23crypt-v1-server-stream");
const CLIENT_INFO = utf8Encode("a23crypt-v1-client-stream");
const SEED_INFO = utf8Encode("a23crypt-v1-noise-seed");

/** The keys of one record: both subkeys and what the per-chunk seeds need. */
export class RecordKeys {
  /** HKDF-SHA512(server_key, record_key || salt, "a23crypt-v1-server-stream"): the AES-256-GCM key. */
  readonly serverSub: Uint8Array;
  /** HKDF-SHA3-512(client_key, record_key || salt, "a23crypt-v1-client-stream"): the ChaCha20-Poly1305 key. */
  readonly clientSub: Uint8Array;
  private readonly both: Uint8Array;
  private readonly seedSalt: Uint8Array;

  constructor(serverKey: Uint8Array, clientKey: Uint8Array, recordKey: Uint8Array, salt: Uint8Array) {
    const s = concat(recordKey, salt);
    this.serverSub = hkdf(sha512, serverKey, s, SERVER_INFO, 32);
    this.clientSub = hkdf(sha3_512, clientKey, s, CLIENT_INFO, 32);
    this.both = concat(serverKey, clientKey);
    this.seedSalt = new Uint8Array(s.length + 8);
    this.seedSalt.set(s);
  }

  /** seed_i = HKDF-SHA256(server_key || client_key, record_key || salt || u64be(i), "a23crypt-v1-noise-seed", 16). */
  seed(index: number): Uint8Array {
    writeU64(this.seedSalt, this.seedSalt.length - 8, index);
    return hkdf(sha256, this.both, this.seedSalt, SEED_INFO, 16);
  }

  wipe(): void {
    this.serverSub.fill(0);
    this.clientSub.fill(0);
    this.both.fill(0);
  }
}
