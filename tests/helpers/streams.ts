// Reading a WHATWG ReadableStream of bytes to its end, for the tests.

/** All of the stream's bytes, concatenated. */
export async function streamed(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of s as unknown as AsyncIterable<Uint8Array>) parts.push(part);
  return Buffer.concat(parts);
}
