// Command-line flags the way Go's flag package reads them, as Go age does:
// "-x" and "--x" are the same flag, a value follows as the next argument or
// after "=", flags are not combined ("-da" is unknown), "--" ends the flags,
// and parsing stops at the first non-flag argument ("-" alone is one).
import { CliError } from "./fail.js";

export type FlagKind = "bool" | "string" | "list";

export interface FlagSpec {
  /** Names without dashes; the first is the canonical key in the result. */
  names: readonly string[];
  kind: FlagKind;
}

export interface ParsedArgs {
  bools: Set<string>;
  strings: Map<string, string>;
  lists: Map<string, string[]>;
  positional: string[];
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], help: string): ParsedArgs {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) for (const n of s.names) byName.set(n, s);
  const out: ParsedArgs = { bools: new Set(), strings: new Map(), lists: new Map(), positional: [] };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    const spec = byName.get(name);
    // Only the flag's name is quoted, never a value that came with it.
    if (spec === undefined) throw new CliError(`unknown flag: -${name} (see ${help})`);
    const key = spec.names[0]!;
    if (spec.kind === "bool") {
      const v = eq < 0 ? "true" : body.slice(eq + 1);
      if (v !== "true" && v !== "false") throw new CliError(`invalid boolean value for -${name} (see ${help})`);
      if (v === "true") out.bools.add(key);
      else out.bools.delete(key);
      continue;
    }
    let value: string;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i]!;
    else throw new CliError(`flag needs an argument: -${name} (see ${help})`);
    if (spec.kind === "string") out.strings.set(key, value);
    else out.lists.set(key, [...(out.lists.get(key) ?? []), value]);
  }
  out.positional = argv.slice(i);
  return out;
}
