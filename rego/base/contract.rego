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

deny contains lib.finding("writ.contract.missing", concat("", ["agent ", input.agent.id, " must work under a task contract, and this action names none"])) if {
	lib.pre_tool_use
	not not_required
	cid == ""
}

deny contains lib.finding("writ.contract.unknown", concat("", ["task contract ", cid, " is not in this bundle"])) if {
	lib.pre_tool_use
	cid != ""
	not known
}

# --- who and when ----------------------------------------------------------

assigned if input.agent.id in c.agents

deny contains lib.finding("writ.contract.agent_not_assigned", concat("", ["agent ", input.agent.id, " is not assigned to task contract ", cid])) if {
	lib.pre_tool_use
	known
	not assigned
}

# expires_at_ns is computed when the bundle is built; parse the text when a
# contract's data lacks it
expires_ns := c.expires_at_ns if is_number(c.expires_at_ns)

else := time.parse_rfc3339_ns(c.expires_at)

current if lib.now_ns < expires_ns

deny contains lib.finding("writ.contract.expired", concat("", ["task contract ", cid, " expired at ", c.expires_at])) if {
	lib.pre_tool_use
	known
	not current
}

# --- tools and commands ----------------------------------------------------

tool_listed if {
	some g in c.tools
	lib.tool_named(g)
}

deny contains lib.finding("writ.contract.tool_not_allowed", concat("", ["task contract ", cid, " does not allow tool ", lib.tool, " (", lib.kind, ")"])) if {
	lib.pre_tool_use
	known
	not tool_listed
}

allowed_commands := array.concat(c.commands.allowed, c.validation.commands)

command_allowed(line) if {
	some p in allowed_commands
	lib.command_matches(p, line)
}

# shell built-ins that do nothing by themselves
benign := {"cd", "pwd", "true", "false", "echo", "printf", "test", "[", "sleep", "wait"}

deny contains lib.finding("writ.contract.command_not_allowed", concat("", ["task contract ", cid, " does not allow the command: ", line])) if {
	lib.pre_tool_use
	known
	some cmd in lib.commands
	not cmd.name in benign
	line := lib.command_line(cmd)
	not command_allowed(line)
}

deny contains lib.finding("writ.contract.command_forbidden", concat("", ["task contract ", cid, " forbids the command: ", line])) if {
	lib.pre_tool_use
	known
	some line in lib.command_lines
	some p in c.commands.forbidden
	lib.command_matches(p, line)
}

deny contains lib.finding("writ.contract.shell_unparsed", concat("", ["the shell line was not broken into commands, so it cannot be checked against task contract ", cid])) if {
	lib.pre_tool_use
	known
	lib.shell_unparsed
}

# --- paths -----------------------------------------------------------------

root := lib.root

deny contains lib.finding("writ.contract.path_forbidden", concat("", ["task contract ", cid, " forbids touching ", p])) if {
	lib.pre_tool_use
	known
	some p in lib.touched_paths
	lib.path_matches(c.paths.forbidden, root, p)
}

deny contains lib.finding("writ.contract.path_not_allowed", concat("", ["task contract ", cid, " does not allow reading ", p])) if {
	lib.pre_tool_use
	known
	lib.kind == "file_read"
	some p in lib.paths
	not lib.path_matches(array.concat(c.paths.allowed, c.paths.readable), root, p)
}

deny contains lib.finding("writ.contract.path_not_allowed", concat("", ["task contract ", cid, " does not allow changing ", p])) if {
	lib.pre_tool_use
	known
	lib.kind in {"file_write", "file_delete"}
	some p in lib.paths
	not lib.path_matches(c.paths.allowed, root, p)
}

# --- network and MCP -------------------------------------------------------

deny contains lib.finding("writ.contract.host_not_allowed", concat("", ["task contract ", cid, " does not allow network access to ", h])) if {
	lib.pre_tool_use
	known
	some h in lib.hosts
	not lib.host_matches(c.network.hosts, h)
}

deny contains lib.finding("writ.contract.mcp_not_allowed", concat("", ["task contract ", cid, " does not allow MCP call ", lib.mcp_call])) if {
	lib.pre_tool_use
	known
	lib.kind == "mcp"
	count([g | some g in c.mcp; lib.glob_match(g, ["/"], lib.mcp_call)]) == 0
}

# --- git -------------------------------------------------------------------

deny contains lib.finding("writ.contract.branch_mismatch", concat("", ["task contract ", cid, " works on branch ", c.repo.branch, "; this pushes to ", b])) if {
	lib.pre_tool_use
	known
	some inv in lib.git_push_invocations
	some b in lib.git_branches(inv)
	b != c.repo.branch
}

# --- budget ----------------------------------------------------------------

deny contains lib.finding("writ.contract.budget_exceeded", concat("", ["over the budget of task contract ", cid, ": ", r])) if {
	lib.pre_tool_use
	known
	some r in lib.budget_overruns(c.budget)
}

# total_budget: the task as a whole, over every session and agent
deny contains lib.finding("writ.contract.total_budget_exceeded", concat("", ["over the total budget of task contract ", cid, ": ", r])) if {
	lib.pre_tool_use
	known
	some r in lib.task_budget_overruns(c.total_budget)
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
allow contains lib.finding("writ.contract.grant", concat("", ["task contract ", cid, " covers this action"])) if {
	lib.pre_tool_use
	known
	assigned
	current
	tool_listed
	count(deny) == 0
}

allow contains lib.finding("writ.contract.not_required", concat("", ["the manifest of ", input.agent.id, " does not require a task contract"])) if {
	lib.pre_tool_use
	not_required
	cid == ""
}
