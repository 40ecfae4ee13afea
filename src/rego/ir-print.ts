// A readable listing of planner IR, for `writ compile --dump-ir` and for
// debugging the planner and the Wasm emitter.
import type { Block, Operand, Policy, Stmt } from "./ir.js";

export function printPolicy(policy: Policy): string {
  const out: string[] = [];
  const op = (o: Operand): string =>
    o.kind === "local" ? `l${o.local}` : o.kind === "bool" ? String(o.value) : JSON.stringify(policy.strings[o.index]);
  const stmt = (s: Stmt, indent: string): void => {
    switch (s.type) {
      case "call":
        out.push(`${indent}l${s.result} = call ${s.func}(${s.args.map(op).join(", ")})`);
        break;
      case "dot":
        out.push(`${indent}l${s.target} = ${op(s.source)}[${op(s.key)}]`);
        break;
      case "len":
        out.push(`${indent}l${s.target} = len(${op(s.source)})`);
        break;
      case "scan":
        out.push(`${indent}scan l${s.source} as l${s.key}, l${s.value}:`);
        block(s.block, indent + "  ");
        break;
      case "not":
        out.push(`${indent}not:`);
        block(s.block, indent + "  ");
        break;
      case "block":
        out.push(`${indent}blocks:`);
        for (const b of s.blocks) {
          out.push(`${indent}  block:`);
          block(b, indent + "    ");
        }
        break;
      case "break":
        out.push(`${indent}break ${s.index}`);
        break;
      case "with":
        out.push(`${indent}with l${s.local}${s.path.map((i) => "." + policy.strings[i]).join("")} = ${op(s.value)}:`);
        block(s.block, indent + "  ");
        break;
      case "assignint":
        out.push(`${indent}l${s.target} = ${s.value}`);
        break;
      case "assignvar":
        out.push(`${indent}l${s.target} = ${op(s.source)}`);
        break;
      case "assignvaronce":
        out.push(`${indent}l${s.target} := once ${op(s.source)} (${s.conflict})`);
        break;
      case "resetlocal":
        out.push(`${indent}reset l${s.target}`);
        break;
      case "makenull":
        out.push(`${indent}l${s.target} = null`);
        break;
      case "makenumberint":
        out.push(`${indent}l${s.target} = number ${s.value}`);
        break;
      case "makenumberref":
        out.push(`${indent}l${s.target} = number ${policy.strings[s.index]}`);
        break;
      case "makearray":
        out.push(`${indent}l${s.target} = []`);
        break;
      case "makeobject":
        out.push(`${indent}l${s.target} = {}`);
        break;
      case "makeset":
        out.push(`${indent}l${s.target} = set()`);
        break;
      case "makeconst":
        out.push(`${indent}l${s.target} = const ${policy.constants[s.index]}`);
        break;
      case "arrayappend":
        out.push(`${indent}append l${s.array}, ${op(s.value)}`);
        break;
      case "objectinsert":
        out.push(`${indent}l${s.object}[${op(s.key)}] = ${op(s.value)}`);
        break;
      case "objectinsertonce":
        out.push(`${indent}l${s.object}[${op(s.key)}] := once ${op(s.value)}`);
        break;
      case "objectmerge":
        out.push(`${indent}l${s.target} = merge(l${s.a}, l${s.b})`);
        break;
      case "setadd":
        out.push(`${indent}add l${s.set}, ${op(s.value)}`);
        break;
      case "equal":
        out.push(`${indent}${op(s.a)} == ${op(s.b)}`);
        break;
      case "notequal":
        out.push(`${indent}${op(s.a)} != ${op(s.b)}`);
        break;
      case "isarray":
      case "isobject":
      case "isset":
        out.push(`${indent}${s.type} ${op(s.source)}`);
        break;
      case "isdefined":
      case "isundefined":
        out.push(`${indent}${s.type} l${s.source}`);
        break;
      case "resultsetadd":
        out.push(`${indent}result += l${s.value}`);
        break;
      case "returnlocal":
        out.push(`${indent}return l${s.source}`);
        break;
      case "nop":
        out.push(`${indent}nop`);
        break;
    }
  };
  const block = (b: Block, indent: string): void => {
    for (const s of b.stmts) stmt(s, indent);
  };
  for (const f of policy.funcs) {
    out.push(`func ${f.name}(${f.params.map((l) => `l${l}`).join(", ")})${f.memoize ? " memoized" : ""}:`);
    for (const b of f.blocks) {
      out.push("  block:");
      block(b, "    ");
    }
  }
  for (const p of policy.plans) {
    out.push(`plan ${p.name}:`);
    for (const b of p.blocks) {
      out.push("  block:");
      block(b, "    ");
    }
  }
  if (policy.builtins.length > 0) {
    out.push("builtins: " + policy.builtins.map((b) => `${b.name}/${b.arity}${b.native ? "" : ` (host ${b.id})`}`).join(", "));
  }
  return out.join("\n");
}
