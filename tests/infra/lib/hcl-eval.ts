/**
 * Evaluates the few Terraform expressions the module's settings are made of
 * (as @cdktf/hcl2json gives them: `"${...}"` templates), so the tests can ask
 * what a service is really given for some variable values. Knows references
 * (`var.x`, `local.x`, `a[b]`), string and list literals, and `join`,
 * `concat`, `contains`; anything else throws, so an expression this cannot
 * follow fails the test instead of passing it unread.
 */
type Value = string | number | boolean | Value[] | { [k: string]: Value };

export interface Scope {
  vars: Record<string, Value>;
  locals: Record<string, any>;
}

/** A template string (`"a-${var.x}"`), or any value holding such strings. */
export function evaluate(v: any, scope: Scope): Value {
  if (Array.isArray(v)) return v.map((x) => evaluate(x, scope));
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, evaluate(x, scope)]));
  if (typeof v !== "string") return v;
  const parts: Value[] = [];
  let rest = v;
  for (let at = rest.indexOf("${"); at >= 0; at = rest.indexOf("${")) {
    const end = closing(rest, at + 2);
    parts.push(rest.slice(0, at), new Parser(rest.slice(at + 2, end), scope).whole());
    rest = rest.slice(end + 1);
  }
  parts.push(rest);
  const used = parts.filter((p) => p !== "");
  return used.length === 1 ? used[0]! : used.map(String).join("");
}

/** Index of the `}` closing an interpolation that starts at `from` (strings may hold braces). */
function closing(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === "\\") i++;
    } else if (c === "{") depth++;
    else if (c === "}" && depth-- === 0) return i;
  }
  throw new Error(`unclosed interpolation in ${s}`);
}

const FUNCTIONS: Record<string, (...a: Value[]) => Value> = {
  join: (sep, list) => (list as Value[]).map(String).join(String(sep)),
  concat: (...lists) => (lists as Value[][]).flat(),
  contains: (list, x) => (list as Value[]).includes(x),
};

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly scope: Scope,
  ) {}

  whole(): Value {
    const v = this.expr();
    this.space();
    if (this.i < this.src.length)
      throw new Error(`cannot evaluate "${this.src}": unsupported at "${this.src.slice(this.i)}"`);
    return v;
  }

  private space() {
    while (/\s/.test(this.src[this.i] ?? "")) this.i++;
  }

  private eat(c: string): boolean {
    this.space();
    if (this.src[this.i] !== c) return false;
    this.i++;
    return true;
  }

  private expect(c: string) {
    if (!this.eat(c)) throw new Error(`cannot evaluate "${this.src}": expected "${c}" at ${this.i}`);
  }

  private list(close: string): Value[] {
    const out: Value[] = [];
    if (this.eat(close)) return out;
    do out.push(this.expr());
    while (this.eat(","));
    this.expect(close);
    return out;
  }

  private expr(): Value {
    this.space();
    let v: Value;
    if (this.src[this.i] === '"') {
      const m = /^"((?:[^"\\]|\\.)*)"/.exec(this.src.slice(this.i))!;
      this.i += m[0].length;
      v = JSON.parse(m[0]) as string;
    } else if (this.eat("[")) v = this.list("]");
    else {
      const m = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*/.exec(this.src.slice(this.i));
      if (!m) throw new Error(`cannot evaluate "${this.src}": unsupported at "${this.src.slice(this.i)}"`);
      this.i += m[0].length;
      if (this.eat("(")) {
        const f = FUNCTIONS[m[0]];
        if (!f) throw new Error(`cannot evaluate "${this.src}": function ${m[0]} is not known here`);
        v = f(...this.list(")"));
      } else v = this.reference(m[0]);
    }
    while (this.eat("[")) {
      const key = this.expr();
      this.expect("]");
      const obj = v as Record<string, Value>;
      if (typeof obj !== "object" || !(String(key) in obj))
        throw new Error(`cannot evaluate "${this.src}": no [${String(key)}]`);
      v = obj[String(key)]!;
    }
    return v;
  }

  private reference(name: string): Value {
    const [root, key, ...more] = name.split(".");
    if (more.length)
      throw new Error(`cannot evaluate "${this.src}": ${name} is not a plain var. or local. reference`);
    if (root === "var" && key! in this.scope.vars) return this.scope.vars[key!]!;
    if (root === "local" && key! in this.scope.locals) return evaluate(this.scope.locals[key!], this.scope);
    throw new Error(`cannot evaluate "${this.src}": ${name} is not known`);
  }
}
