// rego.parse_module: a module's AST as OPA's JSON (../ast-json.ts), parsed
// with v1 syntax as OPA's ast.ParseModule does.
import { moduleToOpaJson } from "../ast-json.js";
import { RegoError, type RegoProblem } from "../errors.js";
import { parseModule } from "../parser/index.js";
import { str } from "./args.js";
import { builtinError } from "./errors.js";
import type { BuiltinImpl } from "./types.js";
import type { Value } from "./values.js";

/** OPA's ast.Errors text: "1 error occurred: file:row: code: message", or
 *  "N errors occurred:\n…" with one error a line. */
export function opaErrorsText(problems: RegoProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.location.file ? `${p.location.file}:${p.location.row}` : `${p.location.row}:${p.location.col}`;
    return `${where}: ${p.code}: ${p.message}`;
  });
  return lines.length === 1 ? `1 error occurred: ${lines[0]}` : `${lines.length} errors occurred:\n${lines.join("\n")}`;
}

export const regoBuiltins: Record<string, BuiltinImpl> = {
  "rego.parse_module"(filename, source) {
    const file = str(filename, 1);
    const text = str(source, 1); // OPA reports both operands as operand 1
    let module;
    try {
      module = parseModule(text, file, { regoVersion: 1 });
    } catch (e) {
      if (e instanceof RegoError) throw builtinError(opaErrorsText(e.errors));
      throw e;
    }
    return moduleToOpaJson(module) as Value;
  },
};
