# writ base policy: the structured matcher of contracts and manifests
# (`when:` in escalation triggers and approvals; schemas/common.json
# $defs.matcher). Every field given must match; within a list, any entry.
# Events default to pre_tool_use.
package writ.match

import data.writ.lib

matches(m) if {
	events_ok(m)
	kinds_ok(m)
	tools_ok(m)
	commands_ok(m)
	paths_ok(m)
	hosts_ok(m)
	mcp_ok(m)
	packages_ok(m)
	git_ok(m)
	labels_ok(m)
	tool_calls_ok(m)
	spend_ok(m)
}

events_ok(m) if {
	not m.events
	lib.pre_tool_use
}

events_ok(m) if lib.event in m.events

kinds_ok(m) if not m.kinds

kinds_ok(m) if lib.kind in m.kinds

tools_ok(m) if not m.tools

tools_ok(m) if {
	some g in m.tools
	lib.name_matches(g, lib.tool)
}

commands_ok(m) if not m.commands

commands_ok(m) if lib.runs_any(m.commands)

paths_ok(m) if not m.paths

paths_ok(m) if {
	some p in lib.touched_paths
	lib.path_matches(m.paths, lib.root, p)
}

hosts_ok(m) if not m.hosts

hosts_ok(m) if {
	some h in lib.hosts
	lib.host_matches(m.hosts, h)
}

mcp_ok(m) if not m.mcp

mcp_ok(m) if {
	lib.kind == "mcp"
	some g in m.mcp
	lib.glob_match(g, ["/"], lib.mcp_call)
}

packages_ok(m) if not m.packages

packages_ok(m) if {
	some g in m.packages
	some p in lib.packages
	lib.name_matches(g, p)
}

git_ok(m) if not m.git

git_ok(m) if {
	some inv in lib.git_invocations
	git_subcommand_ok(m.git, inv)
	git_branch_ok(m.git, inv)
	git_force_ok(m.git, inv)
}

git_subcommand_ok(g, inv) if not g.subcommands

git_subcommand_ok(g, inv) if inv.subcommand in g.subcommands

git_branch_ok(g, inv) if not g.branches

git_branch_ok(g, inv) if {
	some b in lib.git_branches(inv)
	some pattern in g.branches
	lib.glob_match(pattern, ["/"], b)
}

git_force_ok(g, inv) if not "force" in object.keys(g)

git_force_ok(g, inv) if {
	g.force == true
	lib.git_force(inv)
}

git_force_ok(g, inv) if {
	g.force == false
	not lib.git_force(inv)
}

labels_ok(m) if not m.session_labels

labels_ok(m) if lib.has_any_label(m.session_labels)

tool_calls_ok(m) if not "min_tool_calls" in object.keys(m)

tool_calls_ok(m) if lib.tool_calls >= m.min_tool_calls

spend_ok(m) if not "min_spend_usd" in object.keys(m)

spend_ok(m) if lib.spend_usd >= m.min_spend_usd
