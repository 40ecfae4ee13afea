// Finding policy files named on the command line.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every .rego file under the given files and directories (recursively,
 *  sorted for reproducible builds), with its source. */
export function collectRegoFiles(paths: string[]): { path: string; source: string }[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (name.startsWith(".") || name === "node_modules") continue;
        walk(join(p, name));
      }
    } else if (p.endsWith(".rego") || paths.includes(p)) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p);
  return out.map((path) => ({ path, source: readFileSync(path, "utf8") }));
}
