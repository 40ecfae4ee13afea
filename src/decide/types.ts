// The shapes that cross the decision path: what a harness adapter sends to
// `POST /v1/decide` (a normalized action), what a policy sees as `input`, what
// the policy's decision entrypoint returns, and what the service answers.
// schemas/decide-request.json and schemas/decide-response.json are the
// JSON-Schema form of the same shapes; keep them in step.

export type EventKind = "pre_tool_use" | "post_tool_use" | "prompt";

export type ActionKind =
  | "shell"
  | "file_read"
  | "file_write"
  | "file_delete"
  | "network"
  | "mcp"
  | "git"
  | "package_install"
  | "other";

/** One command a shell line really runs, after unwrapping pipes, `&&`, `;`,
 *  subshells, `bash -c`, `sudo`, `env`, `xargs`, command substitution. */
export interface ShellCommand {
  /** program name as written (`git`, `/usr/bin/rm`) */
  program: string;
  /** basename of the program (`rm`) */
  name: string;
  args: string[];
  /** wrappers it was found under, outermost first (`sudo`, `bash -c`, `$(…)`) */
  via?: string[];
}

export interface ActionArgs {
  /** shell: the command line as given */
  command?: string;
  /** shell: every command the line runs */
  commands?: ShellCommand[];
  /** shell: the line uses `eval`, `source` of a variable, or similar dynamic code */
  dynamic?: boolean;
  /** file_*: absolute paths, resolved against cwd and symlinks */
  paths?: string[];
  /** network: full URL and host */
  url?: string;
  host?: string;
  /** mcp: server (from the harness's trusted field) and tool */
  mcp_server?: string;
  mcp_tool?: string;
  /** mcp: where the harness says the server was configured, when it says
   *  (Claude Code's mcp_server.source: user, project, local, managed, …);
   *  a repository's own `.mcp.json` can reuse a trusted server's name */
  mcp_source?: string;
  /** git: subcommand (`push`, `commit`, …), remote, branch, flags seen */
  git?: { subcommand: string; remote?: string; branch?: string; force?: boolean; args: string[] };
  /** package_install: manager (`npm`, `pip`, …) and package names */
  package_manager?: string;
  packages?: string[];
  /** prompt: the user's prompt text */
  prompt?: string;
  /** the harness's raw tool input, for policies that need more */
  raw?: unknown;
}

/** The body of `POST /v1/decide`. */
export interface DecideRequest {
  /** idempotency key: a retry with the same id gets the same answer */
  request_id?: string;
  harness: string;
  /** informational: the agent identity comes from the credential; a body
   *  agent_id that differs from it is rejected */
  agent_id?: string;
  session_id: string;
  event: EventKind;
  tool: string;
  action: { kind: ActionKind } & ActionArgs;
  cwd?: string;
  model?: string;
  /** the task contract this session works under */
  contract_id?: string;
  /** retry of an action that got `approve`: the approval to redeem */
  approval_id?: string;
  /** estimated cost of the action, reserved against the session budget */
  cost?: { usd?: number; tokens?: number };
}

/** Server-held session state, given to policy as `input.session`. */
export interface SessionState {
  id: string;
  /** monotonic taint labels, e.g. `package_installed`, `untrusted_content_read` */
  labels: string[];
  /** tool calls so far, by action kind, and in total (`total`) */
  counters: Record<string, number>;
  spend: { usd: number; tokens: number; tool_calls: number };
  /** when writ began holding the session: its first allowed action that
   *  changed it (until then, each decision's own time) */
  started_at: string;
}

/** What policies see as `input`. */
export interface PolicyInput {
  action: DecideRequest;
  agent: { id: string; owner?: string };
  session: SessionState;
  /** RFC 3339 time of the decision */
  now: string;
  /** the same time in nanoseconds since the epoch (the service sets it;
   *  policies fall back to parsing `now`) */
  now_ns?: number;
  /** what the task (every session under the action's contract) has used so
   *  far; the service sets it when the action names a contract */
  usage?: { contract: TaskUsage };
}

/** Use counted for a whole task contract (allowed pre_tool_use actions). */
export interface TaskUsage {
  usd: number;
  tokens: number;
  tool_calls: number;
}

export type Verdict = "allow" | "deny" | "approve";

/** What the bundle's decision entrypoint (`writ/decision`) returns. */
export interface PolicyDecision {
  decision: Verdict;
  reasons: string[];
  rule_ids: string[];
  /** session labels to add once this action is allowed */
  labels?: string[];
}

/** The body `POST /v1/decide` answers. */
export interface DecideResponse {
  decision: Verdict;
  reasons: string[];
  rule_ids: string[];
  decision_id: string;
  approval?: { id: string; expires_at: string };
  bundle: { revision: string; digest: string };
  audit: { seq: number; hash: string };
  /** compact EdDSA JWS over the decision claims */
  jws: string;
}
