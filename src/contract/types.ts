// Task contracts and capability manifests as authored (YAML, validated by
// schemas/task-contract.json and schemas/capability-manifest.json), and the
// normalized form the compiler puts in data.writ.{contracts,manifests}: every
// list present, defaults filled, so the generic Rego needs no guards.
import type { ActionKind, EventKind } from "../decide/types.js";

export type Access = "read-only" | "mutating";

export interface Budget {
  usd?: number;
  tokens?: number;
  tool_calls?: number;
}

export interface Matcher {
  events?: EventKind[];
  kinds?: ActionKind[];
  tools?: string[];
  commands?: string[];
  paths?: string[];
  hosts?: string[];
  mcp?: string[];
  packages?: string[];
  git?: { subcommands?: string[]; branches?: string[]; force?: boolean };
  session_labels?: string[];
  min_tool_calls?: number;
  min_spend_usd?: number;
}

export interface Condition {
  id: string;
  reason: string;
  when?: Matcher;
  /** a Rego body: expressions, one a line */
  rego?: string;
}

export interface TaskContract {
  kind: "TaskContract";
  id: string;
  title?: string;
  owner: string;
  on_behalf_of: string;
  agents: string[];
  repo: { url: string; branch: string; base_branch?: string; root?: string };
  paths: { allowed: string[]; readable?: string[]; forbidden?: string[] };
  tools: string[];
  commands?: { allowed?: string[]; forbidden?: string[] };
  network?: { hosts: string[] };
  mcp?: string[];
  intended_change: string;
  non_goals?: string[];
  validation?: { commands: string[] };
  evidence_required?: { id: string; description: string; command?: string }[];
  escalation_triggers?: Condition[];
  budget: Budget;
  /** limits for the task as a whole, over every session and agent */
  total_budget?: Budget;
  expires_at: string;
  rollback?: { condition: string; procedure?: string };
}

export interface CapabilityManifest {
  kind: "CapabilityManifest";
  agent_id: string;
  owner: string;
  description?: string;
  models?: string[];
  tools: { name: string; access: Access }[];
  mcp_servers?: { name: string; access: Access; tools?: string[] }[];
  filesystem?: { read?: string[]; write?: string[] };
  network?: { hosts: string[] };
  credentials?: { name: string; scope: string; access: Access; env?: string[] }[];
  approvals?: Condition[];
  memory: { scope: "none" | "session" | "task" | "agent"; retention_days?: number };
  contract_required?: boolean;
  budget?: Budget;
}

/** A condition as data: `custom` marks one whose Rego was emitted into
 *  package writ.custom (the generic matcher skips it). */
export interface ConditionData {
  id: string;
  reason: string;
  when?: Matcher;
  custom: boolean;
}

export interface ContractData extends Omit<TaskContract, "kind" | "escalation_triggers" | "paths" | "commands" | "network" | "mcp" | "validation" | "non_goals" | "evidence_required"> {
  paths: { allowed: string[]; readable: string[]; forbidden: string[] };
  commands: { allowed: string[]; forbidden: string[] };
  network: { hosts: string[] };
  mcp: string[];
  validation: { commands: string[] };
  non_goals: string[];
  evidence_required: { id: string; description: string; command?: string }[];
  escalation_triggers: ConditionData[];
  /** expires_at as nanoseconds since the epoch (millisecond precision) */
  expires_at_ns: number;
  /** the YAML file it came from */
  source: string;
}

export interface ManifestData extends Omit<CapabilityManifest, "kind" | "approvals" | "models" | "mcp_servers" | "filesystem" | "network" | "credentials" | "contract_required" | "budget"> {
  models: string[];
  mcp_servers: { name: string; access: Access; tools: string[] }[];
  filesystem: { read: string[]; write: string[] };
  network: { hosts: string[] };
  credentials: { name: string; scope: string; access: Access; env: string[] }[];
  approvals: ConditionData[];
  contract_required: boolean;
  budget: Budget;
  source: string;
}
