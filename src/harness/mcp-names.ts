// MCP tool names as harnesses build them. They are a fallback only: the
// server identity comes from the harness's own field when it sends one,
// because a name like `mcp__github__x` says nothing about which server
// really answers (a project's .mcp.json may call itself "github").

/** `mcp__<server>__<tool>` (Claude Code, Codex). */
export function splitDoubleUnderscore(name: string): { server: string; tool: string } | undefined {
  if (!name.startsWith("mcp__")) return undefined;
  const rest = name.slice(5);
  const i = rest.indexOf("__");
  if (i <= 0) return { server: rest, tool: "" };
  return { server: rest.slice(0, i), tool: rest.slice(i + 2) };
}
