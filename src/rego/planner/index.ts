// Compiled Rego → planner IR: one plan per entrypoint (a data path) or query,
// and the functions the plans call.
import type { Body, Term } from "../ast.js";
import type { CompiledPolicy } from "../compiler/types.js";
import type { Plan, Policy } from "../ir.js";
import { RegoError } from "../errors.js";
import { DATA, INPUT, PlannerError, PlannerState } from "./state.js";
import { planRefData } from "./refs.js";
import { planQuery } from "./exprs.js";
import { walkBody } from "../compiler/terms.js";

export interface PlanOptions {
  /** slash-separated data paths */
  entrypoints: string[];
  /** entrypoint name → compiled query body */
  queries: Record<string, Body>;
  strictBuiltinErrors: boolean;
}

export function planPolicy(compiled: CompiledPolicy, options: PlanOptions): Policy {
  const p = new PlannerState(compiled, options.strictBuiltinErrors);
  const plans: Plan[] = [];
  try {
    for (const ep of options.entrypoints) plans.push(planEntrypoint(p, ep));
    for (const [name, body] of Object.entries(options.queries)) plans.push(planQueryPlan(p, name, body));
  } catch (err) {
    if (err instanceof PlannerError) {
      throw new RegoError({ code: "rego_compile_error", message: err.message, location: err.location });
    }
    throw err;
  }
  return {
    strings: p.strings,
    constants: p.constants,
    files: p.files,
    builtins: [...p.builtins.values()],
    funcs: p.funcs,
    plans,
    strictBuiltinErrors: options.strictBuiltinErrors,
  };
}

function beginPlan(p: PlannerState): void {
  p.nextLocal = 2;
  p.vars = [
    new Map([
      ["input", INPUT],
      ["data", DATA],
    ]),
  ];
  p.shadows = [];
  p.mocks = [];
}

/** `a/b` → the value of data.a.b bound to `result`, as `opa build -e a/b`. */
function planEntrypoint(p: PlannerState, entrypoint: string): Plan {
  beginPlan(p);
  const path = entrypoint.split("/").filter((s) => s.length > 0);
  const loc = { file: "<entrypoint>", row: 1, col: 1 };
  p.setLocation(loc);
  const selectors: Term[] = path.map((s) => ({ type: "string", value: s, loc }));
  const block = p.inBlock(() =>
    planRefData(p, compiledRoot(p), { local: DATA, path: [] }, selectors, 0, () => {
      const value = p.ltarget;
      const obj = p.newLocal();
      p.emit({ type: "makeobject", target: obj });
      p.emit({ type: "objectinsert", key: p.stringOperand("result"), value, object: obj });
      p.emit({ type: "resultsetadd", value: obj });
    }),
  );
  return { name: entrypoint, locals: p.nextLocal, blocks: [block] };
}

function compiledRoot(p: PlannerState) {
  return p.policy.root;
}

/** A query's result set: one object per solution, binding each variable the
 *  user wrote (generated and wildcard variables are left out). */
function planQueryPlan(p: PlannerState, name: string, body: Body): Plan {
  beginPlan(p);
  // Call operators are vars too (`count`), but never bound: the lookup
  // below skips them.
  const names = new Set<string>();
  walkBody(
    body,
    (t) => {
      if (t.type === "var" && !t.name.includes("$") && t.name !== "input" && t.name !== "data") names.add(t.name);
    },
    false,
  );
  const sorted = [...names].sort();
  const block = p.inBlock(() =>
    planQuery(p, body, () => {
      const obj = p.newLocal();
      p.emit({ type: "makeobject", target: obj });
      for (const v of sorted) {
        const l = p.lookupVar(v);
        if (l === undefined) continue;
        p.emit({ type: "objectinsert", key: p.stringOperand(v), value: { kind: "local", local: l }, object: obj });
      }
      p.emit({ type: "resultsetadd", value: obj });
    }),
  );
  return { name, locals: p.nextLocal, blocks: [block] };
}
