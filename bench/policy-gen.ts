// A generated policy for benchmarks: realistic in shape, no two rules alike.

/** A policy of `n` distinct rules in the style of agent-tool policies:
 *  complete rules, partial sets with iteration, functions, comprehensions,
 *  else chains and defaults. */
export function generatePolicy(n: number): string {
  const out = ["package bench.generated", "", "import rego.v1", "", "default allow := false", ""];
  for (let i = 0; out.length < 6 + n * 8 && i < n; i++) {
    switch (i % 7) {
      case 0:
        out.push(`allow if {`, `  input.tool == "tool_${i}"`, `  input.user.role in {"admin", "dev_${i}"}`, `  count(deny) == 0`, `}`);
        break;
      case 1:
        out.push(`deny contains msg if {`, `  some arg in input.args`, `  startswith(arg, "/etc/${i}")`, `  msg := sprintf("path %s is blocked (rule ${i})", [arg])`, `}`);
        break;
      case 2:
        out.push(`risk_${i}(x) := score if {`, `  score := (x.size * ${i}) / 100 + count(x.labels)`, `} else := 0`);
        break;
      case 3:
        out.push(`names_${i} := {name | some u in input.users; u.level > ${i % 10}; name := u.name}`);
        break;
      case 4:
        out.push(`limits_${i}[key] := value if {`, `  some key, value in data.limits`, `  value >= ${i}`, `  not key in data.exempt_${i}`, `}`);
        break;
      case 5:
        out.push(`ports_${i} := [p | some p in input.ports; p > ${1000 + i}; p < ${2000 + i}]`);
        break;
      default:
        out.push(
          `check_${i} if {`,
          `  every r in input.requests { r.method in ["GET", "HEAD"] }`,
          `  risk_${i - 4}(input.payload) < ${i}`,
          `  $"user-{input.user.id}" != "user-${i}"`,
          `}`,
        );
    }
    out.push("");
  }
  return out.join("\n");
}
