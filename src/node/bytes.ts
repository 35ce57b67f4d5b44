// What a Node stream may hand a Transform (Buffer, Uint8Array, or a string
// with an encoding when written with one) as bytes, without copying.
import { Buffer } from "node:buffer";
import { UsageError } from "../errors.js";

export function toBytes(chunk: unknown, encoding: BufferEncoding | "buffer"): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return Buffer.from(chunk, encoding === "buffer" ? "utf8" : encoding);
  throw new UsageError(`expected a Buffer, Uint8Array or string chunk, got ${chunk === null ? "null" : typeof chunk}`);
}
