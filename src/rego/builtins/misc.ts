// Small builtins: strings.render_template, internal.template_string
// (string interpolation), internal.print, trace, opa.runtime, uri.*.
import { arr, obj, str } from "./args.js";
import { BuiltinError, builtinError } from "./errors.js";
import { renderTemplate, TemplateError } from "./gotemplate.js";
import { regoString, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

/** print/template-string operands: primitives as is, every other operand a set of values. */
function operandText(v: Value, onMany: () => never): string {
  if (typeof v === "string") return v;
  if (v === null || typeof v !== "object") return regoString(v);
  if (!Array.isArray(v)) return regoString(v);
  if (v.length === 0) return "<undefined>";
  if (v.length > 1) onMany();
  const x = v[0]!;
  return typeof x === "string" ? x : regoString(x);
}

export interface MiscOptions {
  /** where print() output goes; OPA without a print hook discards it */
  print?: (message: string) => void;
}

export function miscBuiltins(opts: MiscOptions = {}): Record<string, BuiltinImpl> {
  return {
    "strings.render_template"(t, vars) {
      const src = str(t, 1);
      const data = obj(vars, 2);
      try {
        return renderTemplate(src, data);
      } catch (e) {
        if (e instanceof TemplateError) throw builtinError(e.message);
        throw e;
      }
    },
    "internal.template_string"(parts) {
      const list = arr(parts, 1);
      return list
        .map((p) =>
          operandText(p, () => {
            throw new BuiltinError("template-strings must not produce multiple outputs", "eval_conflict_error", false);
          }),
        )
        .join("");
    },
    "internal.print"(parts) {
      const list = arr(parts, 1);
      // each set operand multiplies the lines printed (cross product), as in OPA
      const lines: string[][] = [[]];
      let acc = lines;
      for (const p of list) {
        const options = typeof p === "object" && p !== null && Array.isArray(p) ? (p.length === 0 ? ["<undefined>"] : p.map((x) => (typeof x === "string" ? x : regoString(x)))) : [typeof p === "string" ? p : regoString(p)];
        acc = acc.flatMap((prefix) => options.map((o) => [...prefix, o]));
      }
      if (opts.print) for (const l of acc) opts.print(l.join(" "));
      return true;
    },
    trace(note) {
      str(note, 1);
      return true;
    },
    "opa.runtime": () => ({}),
    "uri.is_valid"(s) {
      if (typeof s !== "string") return false;
      return URL.canParse(s) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s);
    },
    "uri.parse"(s) {
      const input = str(s, 1);
      let u: URL;
      try {
        u = new URL(input);
      } catch {
        throw builtinError(`parse ${JSON.stringify(input)}: invalid URI`);
      }
      const out: Record<string, string> = { scheme: u.protocol.replace(/:$/, "") };
      if (u.host) out["host"] = u.hostname;
      if (u.port) out["port"] = u.port;
      if (u.pathname) out["path"] = decodeURIComponent(u.pathname);
      if (u.search) out["query"] = u.search.slice(1);
      if (u.hash) out["fragment"] = decodeURIComponent(u.hash.slice(1));
      if (u.username) out["user"] = decodeURIComponent(u.username);
      return out;
    },
  };
}
