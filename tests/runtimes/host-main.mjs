// The scenario's entry for runtimes started as a command (Deno, Bun, Node
// --jitless): reads the case table as JSON on stdin, runs it against the
// built package (dist/index.js, the file `import "age-rt"` resolves to, and
// dist/crypt-io.js for `age-rt/crypt-io`) and
// writes the results as one JSON line on stdout. It reads no file and opens
// no socket, so Deno runs it with no permission at all.
import * as age from "../../dist/index.js";
import * as cryptIo from "../../dist/crypt-io.js";
import { runScenario } from "./scenario.mjs";

async function readStdin() {
  if (globalThis.Deno) return await new Response(Deno.stdin.readable).text();
  const parts = [];
  for await (const p of process.stdin) parts.push(p);
  return Buffer.concat(parts).toString("utf8");
}

const out = await runScenario(age, JSON.parse(await readStdin()), { cryptIo });
console.log(`SCENARIO ${JSON.stringify(out)}`);
