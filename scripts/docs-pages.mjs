// Pages of the API reference that are README sections, so the two keep one
// wording: each section named below is copied from README.md into
// build/docs/<file>.md, which typedoc.json lists as a project document.
//
//   node scripts/docs-pages.mjs      (npm run docs runs it before typedoc)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const PAGES = { "Differences from the Python reference": "python-reference-differences.md" };

const readme = readFileSync("README.md", "utf8");
mkdirSync("build/docs", { recursive: true });
for (const [title, file] of Object.entries(PAGES)) {
  const start = readme.indexOf(`\n### ${title}\n`);
  if (start < 0) throw new Error(`docs-pages: README.md has no section "### ${title}"`);
  const rest = readme.slice(start + 1);
  const end = rest.slice(4).search(/\n##+ /);
  const body = (end < 0 ? rest : rest.slice(0, end + 4)).replace(/^### /, "# ");
  writeFileSync(`build/docs/${file}`, body.trimEnd() + "\n");
}
