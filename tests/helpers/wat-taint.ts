// A small taint analysis over WebAssembly text in the stack form that asc's
// --textFile writes, for tests/constant-time.test.ts. Every value loaded from
// memory is taken as secret (keys, round keys, state, data alike); function
// parameters (pointers, lengths, counters, flags), constants and globals are
// public; a value computed from a secret is secret, and a local holds what was
// last assigned to it on each path (see analyse()). It reports every memory access whose address is secret and every
// branch or select whose condition is secret: the two ways a program's
// timing or cache footprint can depend on data.

export interface Violation {
  func: string;
  line: number;
  what: string;
}

interface Func {
  name: string;
  params: string[];
  results: number;
  body: { line: number; text: string }[];
}

/** The functions of a module's text, with their parameter names and result counts. */
export function parseFunctions(wat: string): Func[] {
  const funcs: Func[] = [];
  let cur: Func | null = null;
  wat.split("\n").forEach((raw, i) => {
    const text = raw.trim();
    const head = /^\(func (\$\S+)(.*)$/.exec(text);
    if (head) {
      const params = [...head[2]!.matchAll(/\(param (\$\S+) [^)]+\)/g)].map((m) => m[1]!);
      const results = /\(result ([^)]+)\)/.exec(head[2]!)?.[1]!.trim().split(/\s+/).length ?? 0;
      cur = { name: head[1]!, params, results, body: [] };
      funcs.push(cur);
      return;
    }
    if (cur === null || text === "" || text.startsWith("(local ") || text === ")") return;
    if (/^\((export|type|memory|data|global|table|elem|start|import)\b/.test(text)) {
      cur = null;
      return;
    }
    cur.body.push({ line: i + 1, text });
  });
  return funcs;
}

const UNARY = /\.(eqz|clz|ctz|popcnt|neg|abs|sqrt|ceil|floor|trunc\w*|nearest|not|extend\w*|wrap\w*|convert\w*|demote\w*|promote\w*|reinterpret\w*|splat|extract_lane\w*|any_true|all_true|bitmask)$/;
const TERNARY = /^v128\.bitselect$/;

type State = Set<string> | null; // secret locals at a program point; null: unreachable

const join = (a: State, b: State): State => (a === null ? (b === null ? null : new Set(b)) : b === null ? new Set(a) : new Set([...a, ...b]));
const sameState = (a: State, b: State) => (a === null || b === null ? a === b : a.size === b.size && [...a].every((x) => b.has(x)));

interface Blk {
  kind: "block" | "loop" | "if";
  label: string | undefined;
  line: number;
  height: number;
  results: number;
  entry: State;
  thenState: State | undefined;
  brState: State;
}

/**
 * Analyses one function, flow-sensitively over its structured control flow
 * (a local's taint is what was last assigned to it on each path; paths join
 * at block ends and loop heads, iterated to a fixpoint), so that a local the
 * optimizer reuses for a key word and later for a loop counter is not
 * blamed for both. `sigOf` gives a callee's parameter and result counts.
 */
export function analyse(f: Func, sigOf: (name: string) => { params: number; results: number }): Violation[] {
  let loopHeads = new Map<number, State>();
  let violations: Violation[] = [];
  for (let pass = 0; pass < 100; pass++) {
    const nextHeads = new Map<number, State>();
    violations = [];
    let state: State = new Set();
    const stack: boolean[] = [];
    const blocks: Blk[] = [];
    const pop = (): boolean => stack.pop() ?? false;
    const flag = (line: number, what: string, secret: boolean) => {
      if (secret && state !== null) violations.push({ func: f.name, line, what });
    };
    const target = (arg: string): Blk | undefined =>
      /^\d+$/.test(arg) ? blocks[blocks.length - 1 - Number(arg)] : [...blocks].reverse().find((b) => b.label === arg);
    const branch = (arg: string) => {
      const t = target(arg);
      if (t === undefined) return; // the function's own label: a return
      if (t.kind === "loop") nextHeads.set(t.line, join(nextHeads.get(t.line) ?? null, state));
      else t.brState = join(t.brState, state);
    };
    const open = (kind: Blk["kind"], text: string, line: number) => {
      const label = /^\S+\s+(\$[^\s()]+)/.exec(text)?.[1];
      blocks.push({ kind, label, line, height: stack.length, results: /\(result/.test(text) ? 1 : 0, entry: state, thenState: undefined, brState: null });
    };
    for (const { line, text } of f.body) {
      const [op, arg] = text.split(/\s+/);
      if (op === undefined) continue;
      if (op === "local.get") stack.push(state?.has(arg!) ?? false);
      else if (op === "local.set" || op === "local.tee") {
        const v = pop();
        if (state !== null) {
          state = new Set(state);
          if (v) state.add(arg!);
          else state.delete(arg!);
        }
        if (op === "local.tee") stack.push(v);
      } else if (op === "global.get" || op.endsWith(".const") || op === "memory.size") stack.push(false);
      else if (op === "global.set" || op === "drop") pop();
      else if (op === "memory.grow") stack.push(pop());
      else if (/\.load/.test(op)) {
        flag(line, `${op} at a secret address`, pop());
        stack.push(true);
      } else if (/\.store/.test(op)) {
        pop();
        flag(line, `${op} at a secret address`, pop());
      } else if (op === "memory.fill" || op === "memory.copy") {
        const n = pop(), b = pop(), a = pop();
        flag(line, `${op} with a secret size or address`, n || a || (op === "memory.copy" && b));
      } else if (op === "select") {
        flag(line, "select on a secret condition", pop());
        const b = pop(), a = pop(); // both popped: || would skip the second
        stack.push(a || b);
      } else if (op === "br_if") {
        flag(line, "br_if on a secret condition", pop());
        branch(arg!);
      } else if (op === "br_table") {
        flag(line, "br_table on a secret index", pop());
        for (const l of text.split(/\s+/).slice(1)) branch(l);
        state = null;
      } else if (op === "br") {
        branch(arg!);
        state = null;
      } else if (op === "return" || op === "unreachable") state = null;
      else if (op === "if") {
        flag(line, "if on a secret condition", pop());
        open("if", text, line);
      } else if (op === "block") open("block", text, line);
      else if (op === "loop") {
        state = join(state, loopHeads.get(line) ?? null);
        open("loop", text, line);
      } else if (op === "else") {
        const b = blocks.at(-1)!;
        b.thenState = state;
        state = b.entry;
        stack.length = b.height;
      } else if (op === "end") {
        const b = blocks.pop();
        if (b !== undefined) {
          const carried = stack.slice(b.height).some((x) => x);
          stack.length = b.height;
          for (let i = 0; i < b.results; i++) stack.push(carried);
          if (b.kind === "if") state = join(state, b.thenState === undefined ? b.entry : b.thenState);
          if (b.kind !== "loop") state = join(state, b.brState);
        }
      } else if (op === "nop") {
        // nothing
      } else if (op === "call") {
        const callee = sigOf(arg!);
        for (let i = 0; i < callee.params; i++) pop();
        // A callee may return what it loaded: its results are secret.
        for (let i = 0; i < callee.results; i++) stack.push(true);
      } else if (TERNARY.test(op)) {
        const c = pop(), b = pop(), a = pop();
        stack.push(a || b || c);
      } else if (UNARY.test(op)) stack.push(pop());
      else {
        const b = pop(), a = pop(); // binary: arithmetic, logic, comparisons, shifts, shuffles
        stack.push(a || b);
      }
    }
    const stable = [...nextHeads].every(([k, v]) => sameState(join(loopHeads.get(k) ?? null, v), loopHeads.get(k) ?? null));
    if (stable && pass > 0) break;
    const merged = new Map(loopHeads);
    for (const [k, v] of nextHeads) merged.set(k, join(merged.get(k) ?? null, v));
    loopHeads = merged;
  }
  return violations;
}

/** Every violation in the named functions (all when `only` is absent). */
export function scan(wat: string, only?: (name: string) => boolean): Violation[] {
  const funcs = parseFunctions(wat);
  const sig = new Map(funcs.map((f) => [f.name, { params: f.params.length, results: f.results }]));
  return funcs.filter((f) => only === undefined || only(f.name))
    .flatMap((f) => analyse(f, (n) => sig.get(n) ?? { params: 0, results: 0 }));
}
