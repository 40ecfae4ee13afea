// Glob syntax as OPA's glob.match (gobwas/glob) reads it. A glob that does
// not compile makes glob.match an error, which Rego turns into "no match":
// harmless in a grant, silently permissive in a deny list. So globs are
// checked when contracts are built, not when decisions are made.

/** Why the glob is invalid, or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "\\") {
      if (i + 1 >= glob.length) return "ends with an escape";
      i++;
      continue;
    }
    if (ch === "[") {
      const close = glob.indexOf("]", i + 1 + (glob[i + 1] === "!" ? 1 : 0));
      if (close < 0) return "unclosed '['";
      if (close === i + 1 || (glob[i + 1] === "!" && close === i + 2)) return "empty character class";
      i = close;
      continue;
    }
    if (ch === "]") return "']' without '['";
    if (ch === "{") braces++;
    if (ch === "}") {
      if (braces === 0) return "'}' without '{'";
      braces--;
    }
  }
  if (braces > 0) return "unclosed '{'";
  return undefined;
}
