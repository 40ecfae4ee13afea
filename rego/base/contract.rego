# writ base policy: the task-contract layer. Fixed, generic Rego over
# data.writ.contracts[contract id] (compiled from contracts/*.yaml): what one
# task may touch. A contract only narrows: it adds denials and approvals, and
# its grant is needed in addition to the manifest's, never instead of it.
package writ.contract

import data.writ.lib

cid := lib.contract_id

c := data.writ.contracts[cid]

known if data.writ.contracts[cid]

# The agent's manifest may waive contracts (contract_required: false);
# without a manifest, or by default, every tool action needs one.
not_required if data.writ.manifests[input.agent.id].contract_required == false

deny contains lib.finding("writ.contract.missing", sprintf("agent %s must work under a task contract, and this action names none", [input.agent.id])) if {
	lib.pre_tool_use
	not not_required
	cid == ""
}

deny contains lib.finding("writ.contract.unknown", sprintf("task contract %s is not in this bundle", [cid])) if {
	lib.pre_tool_use
	cid != ""
	not known
}

# --- who and when ----------------------------------------------------------

assigned if input.agent.id in c.agents

deny contains lib.finding("writ.contract.agent_not_assigned", sprintf("agent %s is not assigned to task contract %s", [input.agent.id, cid])) if {
	lib.pre_tool_use
	known
	not assigned
}

expires_ns := time.parse_rfc3339_ns(c.expires_at)

current if lib.now_ns < expires_ns

deny contains lib.finding("writ.contract.expired", sprintf("task contract %s expired at %s", [cid, c.expires_at])) if {
	lib.pre_tool_use
	known
	not current
}

# --- tools and commands ----------------------------------------------------

deny contains lib.finding("writ.contract.tool_not_allowed", sprintf("task contract %s does not allow tool %s (%s)", [cid, lib.tool, lib.kind])) if {
	lib.pre_tool_use
	known
	count([g | some g in c.tools; lib.tool_named(g)]) == 0
}

allowed_commands := array.concat(c.commands.allowed, c.validation.commands)

command_allowed(line) if {
	some p in allowed_commands
	lib.command_matches(p, line)
}

# shell built-ins that do nothing by themselves
benign := {"cd", "pwd", "true", "false", "echo", "printf", "test", "[", "sleep", "wait"}

deny contains lib.finding("writ.contract.command_not_allowed", sprintf("task contract %s does not allow the command: %s", [cid, line])) if {
	lib.pre_tool_use
	known
	some cmd in lib.commands
	not cmd.name in benign
	line := lib.command_line(cmd)
	not command_allowed(line)
}

deny contains lib.finding("writ.contract.command_forbidden", sprintf("task contract %s forbids the command: %s", [cid, line])) if {
	lib.pre_tool_use
	known
	some line in lib.command_lines
	some p in c.commands.forbidden
	lib.command_matches(p, line)
}

deny contains lib.finding("writ.contract.shell_unparsed", sprintf("the shell line was not broken into commands, so it cannot be checked against task contract %s", [cid])) if {
	lib.pre_tool_use
	known
	lib.shell_unparsed
}

# --- paths -----------------------------------------------------------------

root := lib.root

deny contains lib.finding("writ.contract.path_forbidden", sprintf("task contract %s forbids touching %s", [cid, p])) if {
	lib.pre_tool_use
	known
	some p in lib.touched_paths
	lib.path_matches(c.paths.forbidden, root, p)
}

deny contains lib.finding("writ.contract.path_not_allowed", sprintf("task contract %s does not allow reading %s", [cid, p])) if {
	lib.pre_tool_use
	known
	lib.kind == "file_read"
	some p in lib.paths
	not lib.path_matches(array.concat(c.paths.allowed, c.paths.readable), root, p)
}

deny contains lib.finding("writ.contract.path_not_allowed", sprintf("task contract %s does not allow changing %s", [cid, p])) if {
	lib.pre_tool_use
	known
	lib.kind in {"file_write", "file_delete"}
	some p in lib.paths
	not lib.path_matches(c.paths.allowed, root, p)
}

# --- network and MCP -------------------------------------------------------

deny contains lib.finding("writ.contract.host_not_allowed", sprintf("task contract %s does not allow network access to %s", [cid, h])) if {
	lib.pre_tool_use
	known
	some h in lib.hosts
	not lib.host_matches(c.network.hosts, h)
}

deny contains lib.finding("writ.contract.mcp_not_allowed", sprintf("task contract %s does not allow MCP call %s", [cid, lib.mcp_call])) if {
	lib.pre_tool_use
	known
	lib.kind == "mcp"
	count([g | some g in c.mcp; glob.match(g, ["/"], lib.mcp_call)]) == 0
}

# --- git -------------------------------------------------------------------

deny contains lib.finding("writ.contract.branch_mismatch", sprintf("task contract %s works on branch %s; this pushes to %s", [cid, c.repo.branch, b])) if {
	lib.pre_tool_use
	known
	some inv in lib.git_push_invocations
	some b in lib.git_branches(inv)
	b != c.repo.branch
}

# --- budget ----------------------------------------------------------------

deny contains lib.finding("writ.contract.budget_exceeded", sprintf("over the budget of task contract %s: %s", [cid, r])) if {
	lib.pre_tool_use
	known
	some r in lib.budget_overruns(c.budget)
}

# --- escalation triggers ---------------------------------------------------

approve contains lib.finding(concat(".", ["contract", cid, t.id]), t.reason) if {
	known
	some t in c.escalation_triggers
	not t.custom
	data.writ.match.matches(t.when)
}

# conditions written in Rego, compiled into package writ.custom
approve contains f if some f in data.writ.custom.contract_approve

# --- labels ----------------------------------------------------------------

labels contains "validation_ran" if {
	lib.pre_tool_use
	known
	lib.runs_any(c.validation.commands)
}

# --- grant -----------------------------------------------------------------

# Proven positively: assigned, current, the tool allowed, nothing denied.
allow contains lib.finding("writ.contract.grant", sprintf("task contract %s covers this action", [cid])) if {
	lib.pre_tool_use
	known
	assigned
	current
	count([g | some g in c.tools; lib.tool_named(g)]) > 0
	count(deny) == 0
}

allow contains lib.finding("writ.contract.not_required", sprintf("the manifest of %s does not require a task contract", [input.agent.id])) if {
	lib.pre_tool_use
	not_required
	cid == ""
}
