// `writ compile`: Rego files → an OPA-ABI policy.wasm.
import { parseArgs } from "node:util";
import { writeFileSync } from "node:fs";
import type { Command } from "../command.js";
import { compileRego, compileToIR } from "../../rego/compile.js";
import { printPolicy } from "../../rego/ir-print.js";
import { RegoError } from "../../rego/errors.js";
import { collectRegoFiles } from "../files.js";

const help = `usage: writ compile -e <pkg/rule> [-e …] [--v0] [--strict] -o <policy.wasm> <files|dirs…>

Compiles Rego modules into a Wasm module for the OPA Wasm ABI, loadable by
@open-policy-agent/opa-wasm (loadPolicy) like one built by \`opa build -t wasm\`.

options:
  -e, --entrypoint PATH   data path to expose, slash-separated (repeatable);
                          ids follow the order given
  -o, --output FILE       where to write the module (default: policy.wasm)
      --v0                parse with Rego v0 syntax (default: v1)
      --strict            builtin errors raise instead of being undefined
      --dump-ir           print the planner IR instead of writing a module
  -h, --help              this text

Directories are searched recursively for *.rego files (test files included).`;

const command: Command = {
  help,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        entrypoint: { type: "string", short: "e", multiple: true },
        output: { type: "string", short: "o", default: "policy.wasm" },
        v0: { type: "boolean", default: false },
        strict: { type: "boolean", default: false },
        "dump-ir": { type: "boolean", default: false },
      },
    });
    const entrypoints = values.entrypoint ?? [];
    if (entrypoints.length === 0 || positionals.length === 0) {
      process.stderr.write(`writ compile: need at least one -e and one input\n\n${help}\n`);
      return 2;
    }
    const modules = collectRegoFiles(positionals);
    if (modules.length === 0) {
      process.stderr.write(`writ compile: no .rego files in ${positionals.join(", ")}\n`);
      return 2;
    }
    const started = performance.now();
    try {
      if (values["dump-ir"]) {
        const ir = compileToIR({ modules, entrypoints, regoVersion: values.v0 ? 0 : 1, strictBuiltinErrors: values.strict });
        process.stdout.write(printPolicy(ir) + "\n");
        return 0;
      }
      const result = await compileRego({
        modules,
        entrypoints,
        regoVersion: values.v0 ? 0 : 1,
        strictBuiltinErrors: values.strict,
      });
      writeFileSync(values.output!, result.wasm);
      const ms = (performance.now() - started).toFixed(1);
      process.stderr.write(
        `writ compile: ${modules.length} module(s) → ${values.output} (${result.wasm.length} bytes, ${ms} ms)\n` +
          Object.entries(result.entrypoints)
            .map(([name, id]) => `  entrypoint ${id}: ${name}\n`)
            .join(""),
      );
      return 0;
    } catch (err) {
      if (err instanceof RegoError) {
        process.stderr.write(err.message + "\n");
        return 1;
      }
      throw err;
    }
  },
};
export default command;
