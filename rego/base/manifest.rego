# writ base policy: the capability-manifest layer. Fixed, generic Rego over
# data.writ.manifests[agent id] (compiled from manifests/*.yaml): what the
# agent may ever use. Least privilege — anything not granted is denied, with
# a reason. `allow` holds a grant only when nothing here denies and the grant
# is proven positively (an evaluation error can only remove a grant).
package writ.manifest

import data.writ.lib

m := data.writ.manifests[input.agent.id]

known if data.writ.manifests[input.agent.id]

deny contains lib.finding("writ.manifest.unknown_agent", concat("", ["agent ", input.agent.id, " has no capability manifest in this bundle"])) if {
	lib.pre_tool_use
	not known
}

# --- tools -----------------------------------------------------------------

tool_entries := [t | some t in m.tools; lib.tool_named(t.name)]

deny contains lib.finding("writ.manifest.tool_not_granted", concat("", ["the manifest of ", input.agent.id, " does not grant tool ", lib.tool, " (", lib.kind, ")"])) if {
	lib.pre_tool_use
	known
	count(tool_entries) == 0
}

mutating_grant if {
	some t in tool_entries
	t.access == "mutating"
}

deny contains lib.finding("writ.manifest.read_only_tool", concat("", ["tool ", lib.tool, " is read-only for ", input.agent.id, ", and this action changes state"])) if {
	lib.pre_tool_use
	count(tool_entries) > 0
	not mutating_grant
	lib.mutating
}

# --- filesystem ------------------------------------------------------------

readable := array.concat(object.get(m.filesystem, "read", []), object.get(m.filesystem, "write", []))

writable := object.get(m.filesystem, "write", [])

deny contains lib.finding("writ.manifest.path_not_readable", concat("", ["the manifest of ", input.agent.id, " does not grant reading ", p])) if {
	lib.pre_tool_use
	known
	lib.kind == "file_read"
	some p in lib.paths
	not lib.path_matches(readable, lib.root, p)
}

deny contains lib.finding("writ.manifest.path_not_writable", concat("", ["the manifest of ", input.agent.id, " does not grant writing ", p])) if {
	lib.pre_tool_use
	known
	lib.kind in {"file_write", "file_delete"}
	some p in lib.paths
	not lib.path_matches(writable, lib.root, p)
}

deny contains lib.finding("writ.manifest.no_paths", concat("", ["a ", lib.kind, " action must name its paths"])) if {
	lib.pre_tool_use
	lib.kind in {"file_read", "file_write", "file_delete"}
	count(lib.paths) == 0
}

# --- network ---------------------------------------------------------------

deny contains lib.finding("writ.manifest.host_not_granted", concat("", ["the manifest of ", input.agent.id, " does not grant network access to ", h])) if {
	lib.pre_tool_use
	known
	some h in lib.hosts
	not lib.host_matches(object.get(object.get(m, "network", {}), "hosts", []), h)
}

deny contains lib.finding("writ.manifest.no_host", "a network action must name its host") if {
	lib.pre_tool_use
	lib.kind == "network"
	count(lib.hosts) == 0
}

# --- MCP -------------------------------------------------------------------

servers := [s | some s in object.get(m, "mcp_servers", []); lib.name_matches(s.name, lib.mcp_server)]

deny contains lib.finding("writ.manifest.mcp_server_not_granted", concat("", ["the manifest of ", input.agent.id, " does not grant MCP server ", lib.mcp_server])) if {
	lib.pre_tool_use
	known
	lib.kind == "mcp"
	count(servers) == 0
}

mcp_tool_listed if {
	some s in servers
	some g in s.tools
	lib.name_matches(g, lib.mcp_tool)
}

deny contains lib.finding("writ.manifest.mcp_tool_not_granted", concat("", ["the manifest of ", input.agent.id, " does not grant tool ", lib.mcp_tool, " of MCP server ", lib.mcp_server])) if {
	lib.pre_tool_use
	lib.kind == "mcp"
	count(servers) > 0
	not mcp_tool_listed
}

mutating_server if {
	some s in servers
	s.access == "mutating"
}

deny contains lib.finding("writ.manifest.mcp_read_only", concat("", ["MCP server ", lib.mcp_server, " is read-only for ", input.agent.id, "; ", lib.mcp_tool, " changes state"])) if {
	lib.pre_tool_use
	lib.kind == "mcp"
	count(servers) > 0
	not mutating_server
	lib.mutating_tool_name(lib.mcp_tool)
}

# --- models ----------------------------------------------------------------

deny contains lib.finding("writ.manifest.model_not_granted", concat("", ["the manifest of ", input.agent.id, " does not grant model ", input.action.model])) if {
	lib.pre_tool_use
	known
	input.action.model
	count([g | some g in object.get(m, "models", []); lib.name_matches(g, input.action.model)]) == 0
}

# --- budget ----------------------------------------------------------------

deny contains lib.finding("writ.manifest.budget_exceeded", concat("", ["over the budget of ", input.agent.id, "'s manifest: ", r])) if {
	lib.pre_tool_use
	known
	some r in lib.budget_overruns(object.get(m, "budget", {}))
}

# --- approvals -------------------------------------------------------------

approve contains lib.finding(concat(".", ["manifest", input.agent.id, a.id]), a.reason) if {
	known
	some a in m.approvals
	not a.custom
	data.writ.match.matches(a.when)
}

# conditions written in Rego, compiled into package writ.custom
approve contains f if some f in data.writ.custom.manifest_approve

# --- grant -----------------------------------------------------------------

allow contains lib.finding("writ.manifest.grant", concat("", ["the manifest of ", input.agent.id, " grants ", lib.tool])) if {
	lib.pre_tool_use
	known
	count(tool_entries) > 0
	count(deny) == 0
}
