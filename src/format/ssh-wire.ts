// The SSH wire encoding (RFC 4251 §5: uint32, string, mpint) as SSH public
// keys (RFC 4253 §6.6, RFC 8709 §4) and OpenSSH private key files
// (openssh PROTOCOL.key) use it, and public keys in the one-line
// authorized_keys form ("TYPE BASE64 [COMMENT]", sshd(8)). Parsing only
// what age's ssh-rsa and ssh-ed25519 recipient types need; everything is
// bounds-checked and a malformed input is a UsageError naming what is wrong.
import { UsageError } from "../errors.js";
import { decodeBase64, encodeBase64 } from "./base64.js";
import { asciiDecode, utf8Encode } from "./text.js";

/** Reads SSH wire fields from a byte string, front to back. */
export class SshReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array, private readonly what: string) {}

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  private fail(message: string): never {
    throw new UsageError(`${this.what}: ${message}`);
  }

  uint32(): number {
    if (this.remaining < 4) this.fail("truncated (expected a 32-bit integer)");
    const b = this.bytes;
    const v = ((b[this.at]! << 24) >>> 0) + (b[this.at + 1]! << 16) + (b[this.at + 2]! << 8) + b[this.at + 3]!;
    this.at += 4;
    return v;
  }

  /** A length-prefixed byte string (a view into the input). */
  string(): Uint8Array {
    const n = this.uint32();
    if (n > this.remaining) this.fail(`truncated (a ${n}-byte string with ${this.remaining} bytes left)`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** A string of printable ASCII (key type names, cipher names). */
  text(): string {
    const s = this.string();
    if (s.some((b) => b < 0x20 || b > 0x7e)) this.fail("a name holds non-printable bytes");
    return asciiDecode(s);
  }

  /** A non-negative mpint (RFC 4251 §5: two's complement, minimal), as a bigint. */
  mpint(): bigint {
    const s = this.string();
    if (s.length > 0 && (s[0]! & 0x80) !== 0) this.fail("negative integer");
    if (s.length > 1 && s[0] === 0 && (s[1]! & 0x80) === 0) this.fail("integer with a needless leading zero");
    return bytesToBigint(s);
  }

  /** The bytes not read yet (a view). */
  rest(): Uint8Array {
    const out = this.bytes.subarray(this.at);
    this.at = this.bytes.length;
    return out;
  }

  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} unexpected bytes at the end`);
  }
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Big-endian bytes of a non-negative bigint, no leading zeros (empty for 0). */
export function bigintToBytes(v: bigint): Uint8Array {
  let hex = v.toString(16);
  if (v === 0n) return new Uint8Array(0);
  if (hex.length % 2) hex = "0" + hex;
  return Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
}

/** An SSH wire string: uint32 length then the bytes. */
export function sshString(bytes: Uint8Array | string): Uint8Array {
  const b = typeof bytes === "string" ? utf8Encode(bytes) : bytes;
  const out = new Uint8Array(4 + b.length);
  new DataView(out.buffer).setUint32(0, b.length);
  out.set(b, 4);
  return out;
}


/** A public key in authorized_keys form: its type and its wire blob (which names the type again). */
export interface SshPublicKeyLine {
  type: string;
  blob: Uint8Array;
}

/**
 * Parses "TYPE BASE64 [COMMENT]" (the form of id_*.pub and authorized_keys
 * lines without options). The blob must name the same type as the line.
 */
export function parseAuthorizedKey(line: string): SshPublicKeyLine {
  const fields = line.trim().split(/[ \t]+/);
  if (fields.length < 2) throw new UsageError("malformed SSH public key: expected \"TYPE BASE64 [COMMENT]\"");
  const [type, b64] = fields as [string, string];
  const blob = decodeBase64(b64, true) ?? decodeBase64(b64);
  if (blob === null) throw new UsageError(`malformed SSH public key: the ${type} key is not valid base64`);
  const inner = new SshReader(blob, "malformed SSH public key").text();
  if (inner !== type) throw new UsageError(`malformed SSH public key: the line says ${type} but the key is ${inner}`);
  return { type, blob };
}

/** The authorized_keys form of a wire blob (no comment). */
export function formatAuthorizedKey(blob: Uint8Array): string {
  const type = new SshReader(blob, "SSH public key").text();
  return `${type} ${encodeBase64(blob, true)}`;
}
