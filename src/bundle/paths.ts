// Names of files inside a bundle. OPA writes them with a leading slash; in
// memory they have none. A name that could escape the directory a bundle is
// unpacked into, or that two spellings could share, is refused.
import { BundleError } from "./errors.js";

const MAX_NAME_BYTES = 4096;

/** `"/a/b.rego"` and `"./a/b.rego"` → `"a/b.rego"`; throws BundleError on
 *  `..`, `.`, empty segments, backslashes, NUL and over-long names. */
export function normalizeEntryName(raw: string): string {
  let name = raw;
  while (name.startsWith("./")) name = name.slice(2);
  name = name.replace(/^\/+/, "");
  const bad = (why: string): never => {
    throw new BundleError(`unsafe file name ${JSON.stringify(raw)}: ${why}`, [{ file: raw, problem: "unsafe_path", detail: why }]);
  };
  if (name === "") bad("empty");
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) bad("too long");
  if (name.includes("\0")) bad("NUL byte");
  if (name.includes("\\")) bad("backslash");
  for (const seg of name.split("/")) {
    if (seg === "") bad("empty path segment");
    if (seg === "..") bad("parent directory reference");
    if (seg === ".") bad("current directory reference");
  }
  return name;
}
