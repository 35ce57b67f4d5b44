// Test-only: the stanzas of a simple binary age header, split without any
// validation (bodies decoded leniently), so recipient tests can feed CCTV
// vectors to an identity without depending on the real header parser.
import type { Stanza } from "../../src/format/stanza.js";

export function stanzasOf(file: Uint8Array): Stanza[] {
  const text = Buffer.from(file).toString("latin1");
  const lines = text.slice(0, text.indexOf("\n---")).split("\n").slice(1);
  const out: Stanza[] = [];
  for (const line of lines) {
    if (line.startsWith("-> ")) {
      const [type, ...args] = line.slice(3).split(" ");
      out.push({ type: type!, args, body: new Uint8Array(0) });
    } else {
      const last = out.at(-1)!;
      out[out.length - 1] = { ...last, body: Uint8Array.from([...last.body, ...Buffer.from(line, "base64")]) };
    }
  }
  return out;
}
