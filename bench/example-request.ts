// The request the decision benchmarks send: the example organisation's coding
// agent reading a file its task covers, an allow that goes through the
// platform policy, manifest and contract. One body per session, since writ
// keeps state per session (the example manifest asks for a human after 200
// tool calls in one).
export function exampleRequest(session: string): string {
  return JSON.stringify({
    harness: "claude-code",
    session_id: session,
    event: "pre_tool_use",
    tool: "Read",
    cwd: "/work/webapp",
    model: "claude-sonnet-4-5",
    contract_id: "fix-login-timeout",
    action: { kind: "file_read", paths: ["/work/webapp/src/auth/login.ts"] },
  });
}
