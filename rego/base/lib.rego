# writ base policy: helpers over the normalized action (input.action) and the
# server-held session (input.session). Organisation policies use them:
#
#     import data.writ.lib
#     approve contains lib.finding("acme.push_after_install", "…") if {
#         lib.git_push
#         lib.has_label("package_installed")
#     }
#
# Part of every bundle `writ build` makes; not to be edited per organisation.
package writ.lib

# ---------------------------------------------------------------------------
# Findings: what deny, approve and allow rules contain.

finding(id, reason) := {"id": id, "reason": reason}

# ---------------------------------------------------------------------------
# The action.

action := input.action.action

kind := input.action.action.kind

tool := input.action.tool

event := object.get(input.action, "event", "pre_tool_use")

pre_tool_use if event == "pre_tool_use"

agent_id := input.agent.id

contract_id := object.get(input.action, "contract_id", "")

contract := data.writ.contracts[contract_id]

# Where relative path globs are anchored: the contract's checkout when it
# names one (authoritative), else the directory the action ran in.
default root := ""

root := contract.repo.root

root := input.action.cwd if not contract.repo.root

# Files the action names (file_* actions: absolute and resolved).
paths := object.get(action, "paths", [])

# Paths a shell command's arguments seem to name, resolved against cwd: used
# only to deny (secrets, forbidden paths), never to grant.
arg_paths contains p if {
	some c in commands
	some a in c.args
	not startswith(a, "-")
	looks_like_path(a)
	p := resolve(a)
}

looks_like_path(a) if contains(a, "/")

looks_like_path(a) if startswith(a, ".")

looks_like_path(a) if startswith(a, "~")

resolve(a) := a if startswith(a, "/")

resolve(a) := a if startswith(a, "~")

resolve(a) := concat("/", [trim_right(input.action.cwd, "/"), trim_prefix(a, "./")]) if {
	not startswith(a, "/")
	not startswith(a, "~")
	input.action.cwd
}

# Every path the action touches or names.
touched_paths := {p | some p in paths} | arg_paths

# A glob anchored at a root: absolute globs as they are, relative ones under
# the root (and none when there is no root: an unanchored glob grants nothing).
anchored(g, r) := g if startswith(g, "/")

anchored(g, r) := concat("/", [trim_right(r, "/"), g]) if {
	not startswith(g, "/")
	r != ""
}

# "**/" and "/**/" also match no directory at all ("src/**/*.ts" matches
# src/a.ts), as authors expect; glob.match alone would need one.
dir_variants(g) := {g, replace(g, "/**/", "/"), trim_prefix(g, "**/")}

# p matches one of the globs ('*' within a segment, '**' across).
path_matches(globs, r, p) if {
	some g in globs
	some v in dir_variants(g)
	glob_match(anchored(v, r), ["/"], p)
}

# p matches a glob that needs no root (**/.env, /etc/**).
path_glob_any(globs, p) if {
	some g in globs
	glob_match(g, ["/"], p)
}

# Globs over names with no separator of their own (tools, packages, models).
name_matches(g, s) if glob_match(g, ["\n"], s)

# A tool entry (manifest or contract) names this action's tool or its kind.
tool_named(g) if tool_named_as(glob_has_meta(g), g)

# a literal name (as a glob, it matches only itself)
tool_named_as(false, g) if g == tool

tool_named_as(false, g) if g == kind

tool_named_as(true, g) if name_matches(g, tool)

tool_named_as(true, g) if name_matches(g, kind)

# ---------------------------------------------------------------------------
# glob_match(g, delimiters, s) is glob.match(g, delimiters, s). (writ's
# runtime matches globs natively, compiled once per pattern, in ~0.2 µs a
# call; the Rego that used to answer the simple forms here cost more.)
# glob_has_meta says whether a pattern is a glob at all: a literal name is
# compared with ==.

glob_meta(g) if glob_has_meta(g)

# true or false (never undefined) for a string
glob_has_meta(g) := true if contains(g, "*")

else := glob_special(g)

glob_special(g) := true if contains(g, "?")

else := true if contains(g, "[")

else := true if contains(g, "{")

else := contains(g, "\\")

glob_match(g, delims, s) if glob.match(g, delims, s)

# ---------------------------------------------------------------------------
# Commands: the unwrapped shell commands, plus git and package-install
# actions given in their own form, each as {name, args}.

shell_commands := object.get(action, "commands", [])

commands contains c if some c in shell_commands

commands contains {"program": "git", "name": "git", "args": array.concat([g.subcommand], object.get(g, "args", []))} if {
	count(shell_commands) == 0
	g := action.git
}

commands contains {"program": pm, "name": pm, "args": array.concat(["install"], object.get(action, "packages", []))} if {
	count(shell_commands) == 0
	kind == "package_install"
	pm := object.get(action, "package_manager", "package-manager")
}

# A shell line the harness did not break into commands cannot be checked
# against command lists; policies treat it as unknown (deny or approve).
shell_unparsed if {
	kind == "shell"
	count(shell_commands) == 0
}

command_line(c) := concat(" ", array.concat([c.name], c.args))

command_lines := {command_line(c) | some c in commands}

# A command pattern is words, optionally with globs: "git push" matches
# "git push" and "git push origin main" (the pattern's words begin the
# command), not "git pushx".
command_matches(pattern, line) if command_matches_as(glob_has_meta(pattern), pattern, line)

# a literal pattern (as a glob, it matches only itself)
command_matches_as(false, pattern, line) if pattern == line

command_matches_as(false, pattern, line) if startswith(line, concat("", [pattern, " "]))

command_matches_as(true, pattern, line) if glob_match(pattern, ["\n"], line)

command_matches_as(true, pattern, line) if glob_match(concat(" ", [pattern, "*"]), ["\n"], line)

runs(pattern) if {
	some line in command_lines
	command_matches(pattern, line)
}

# lines first: most actions run no command, and then no pattern is looked at
runs_any(patterns) if {
	some line in command_lines
	some p in patterns
	command_matches(p, line)
}

# Shell wrappers a command was found under (sudo, bash -c, $(…)).
runs_via(wrapper) if {
	some c in shell_commands
	some w in object.get(c, "via", [])
	startswith(w, wrapper)
}

# ---------------------------------------------------------------------------
# git: every git invocation as {subcommand, args, force, delete, branch?}.

git_global_with_value := {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"}

git_sub_index(args) := min({i |
	some i, a in args
	not startswith(a, "-")
	not git_option_value(args, i)
})

git_option_value(args, i) if {
	i > 0
	args[i - 1] in git_global_with_value
}

# Each invocation is {subcommand, args (after the subcommand), force (as the
# harness resolved it), branch (as the harness resolved it, or "")}.
git_invocations contains inv if {
	g := action.git
	inv := {
		"subcommand": g.subcommand,
		"args": object.get(g, "args", []),
		"force": object.get(g, "force", false),
		"branch": object.get(g, "branch", ""),
	}
}

git_invocations contains inv if {
	some c in shell_commands
	c.name == "git"
	i := git_sub_index(c.args)
	inv := {
		"subcommand": c.args[i],
		"args": array.slice(c.args, i + 1, count(c.args)),
		"force": false,
		"branch": "",
	}
}

# A push that rewrites or removes remote history.
git_force(inv) if inv.force == true

git_force(inv) if {
	some a in inv.args
	git_force_arg(a)
}

git_force_arg(a) if a == "--force"

git_force_arg(a) if startswith(a, "--force-with-lease")

git_force_arg(a) if a == "--mirror"

# a bundle of short flags with f in it (-f, -uf)
git_force_arg(a) if {
	startswith(a, "-")
	not startswith(a, "--")
	contains(a, "f")
}

git_force_arg(a) if startswith(a, "+")

git_delete(inv) if {
	some a in inv.args
	a in {"-d", "--delete"}
}

git_delete(inv) if {
	some a in inv.args
	startswith(a, ":")
	a != ":"
}

# Target branches of a push: the destination side of each refspec after the
# remote (`git push origin a b:c +d` → a, c, d), and the branch the harness
# resolved.
git_branches(inv) := {b |
	positional := [a | some a in inv.args; not startswith(a, "-")]
	some i, spec in positional
	i > 0
	b := refspec_branch(spec)
} | {b | b := inv.branch; b != ""}

refspec_branch(spec) := trim_prefix(dst, "refs/heads/") if {
	parts := split(trim_prefix(spec, "+"), ":")
	dst := parts[count(parts) - 1]
	dst != ""
}

git_push_invocations contains g if {
	some g in git_invocations
	g.subcommand == "push"
}

git_push if count(git_push_invocations) > 0

# ---------------------------------------------------------------------------
# Package installs.

install_patterns := [
	"npm install", "npm i", "npm add", "npm ci", "npm update",
	"yarn add", "yarn install", "pnpm add", "pnpm install", "pnpm i", "bun add", "bun install",
	"pip install", "pip3 install", "python -m pip install", "python3 -m pip install", "uv pip install", "uv add", "poetry add",
	"cargo add", "cargo install", "go get", "go install", "gem install", "bundle install",
	"apt install", "apt-get install", "brew install", "npx",
]

installs_packages if kind == "package_install"

installs_packages if runs_any(install_patterns)

install_command(c) if {
	some p in install_patterns
	command_matches(p, command_line(c))
}

install_words := {"install", "i", "add", "ci", "update", "pip", "get"}

# Package names being installed (as given, versions included).
packages contains p if some p in object.get(action, "packages", [])

packages contains a if {
	some c in shell_commands
	install_command(c)
	some a in c.args
	not startswith(a, "-")
	not a in install_words
}

# ---------------------------------------------------------------------------
# Network.

# The host of a URL (scheme://[user@]host[:port][/…]), lower-cased; IPv6
# literals without brackets. Native string builtins only: no host call.
url_host(u) := h if {
	parts := split(u, "://")
	count(parts) > 1
	url_scheme(parts[0])
	rest := concat("://", array.slice(parts, 1, count(parts)))
	authority := split(split(split(rest, "/")[0], "?")[0], "#")[0]
	userinfo := split(authority, "@")
	h := lower(authority_host(userinfo[count(userinfo) - 1]))
	h != ""
}

url_scheme(s) if {
	s != ""
	not contains(s, "/")
	not contains(s, " ")
	not contains(s, "?")
}

authority_host(hp) := split(hp, ":")[0] if not startswith(hp, "[")

authority_host(hp) := trim_prefix(split(hp, "]")[0], "[") if startswith(hp, "[")

hosts contains lower(h) if h := action.host

hosts contains h if {
	not action.host
	h := url_host(action.url)
}

hosts contains h if {
	some c in shell_commands
	c.name in {"curl", "wget", "http", "https", "xh", "httpie", "nc", "ncat", "telnet", "ssh", "scp", "rsync", "ftp", "sftp"}
	some a in c.args
	h := url_host(a)
}

host_matches(globs, h) if {
	some g in globs
	glob_match(lower(g), ["."], h)
}

# ---------------------------------------------------------------------------
# MCP.

mcp_server := object.get(action, "mcp_server", "")

mcp_tool := object.get(action, "mcp_tool", "")

mcp_call := concat("/", [mcp_server, mcp_tool])

# Tool names that by convention change state (their first word is a verb
# that writes); a read-only server may not run them.
mutating_verbs := {
	"create", "update", "delete", "remove", "write", "push", "merge", "edit", "set", "add", "post", "put", "patch", "send",
	"close", "reopen", "move", "rename", "upload", "publish", "deploy", "run", "execute", "exec", "approve", "assign",
	"lock", "fork", "transfer",
}

mutating_tool_name(name) if split(replace(lower(name), "-", "_"), "_")[0] in mutating_verbs

# ---------------------------------------------------------------------------
# Does the action change state? (Read-only tools may not.)

readonly_programs := {
	"ls", "cat", "head", "tail", "wc", "grep", "egrep", "fgrep", "rg", "ag", "pwd", "echo", "printf", "which", "type",
	"stat", "file", "diff", "tree", "du", "df", "date", "whoami", "uname", "true", "false", "test", "[", "less", "more",
	"basename", "dirname", "realpath", "readlink", "nl", "cut", "sort", "uniq", "tr", "jq", "yq", "cd", "find", "git",
}

readonly_git := {"status", "log", "diff", "show", "blame", "rev-parse", "ls-files", "ls-tree", "grep", "describe", "shortlog", "cat-file", "reflog"}

# find with actions that write or run
find_mutates(c) if {
	c.name == "find"
	some a in c.args
	a in {"-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint", "-fprint0", "-fprintf", "-fls"}
}

# sort -o writes a file
sort_mutates(c) if {
	c.name == "sort"
	some a in c.args
	startswith(a, "-o")
}

git_readonly(c) if {
	c.name == "git"
	i := git_sub_index(c.args)
	c.args[i] in readonly_git
}

command_readonly(c) if {
	c.name in readonly_programs
	c.name != "git"
	not find_mutates(c)
	not sort_mutates(c)
}

command_readonly(c) if git_readonly(c)

mutating if kind in {"file_write", "file_delete", "package_install", "other"}

mutating if {
	kind == "git"
	some g in git_invocations
	not g.subcommand in readonly_git
}

mutating if {
	kind == "shell"
	some c in shell_commands
	not command_readonly(c)
}

# an output redirection writes a file whatever the commands are
mutating if {
	kind == "shell"
	contains(object.get(action, "command", ""), ">")
}

mutating if shell_unparsed

mutating if {
	kind == "mcp"
	mutating_tool_name(mcp_tool)
}

# ---------------------------------------------------------------------------
# The session: labels (monotonic taint), counters, spend.

session := object.get(input, "session", {})

labels := object.get(session, "labels", [])

has_label(l) if l in labels

has_any_label(ls) if {
	some l in ls
	has_label(l)
}

counter(name) := object.get(object.get(session, "counters", {}), name, 0)

spend := object.get(session, "spend", {})

spend_usd := object.get(spend, "usd", 0)

spend_tokens := object.get(spend, "tokens", 0)

tool_calls := object.get(spend, "tool_calls", 0)

cost := object.get(input.action, "cost", {})

cost_usd := object.get(cost, "usd", 0)

cost_tokens := object.get(cost, "tokens", 0)

# What this action would bring a use so far ({usd?, tokens?, tool_calls?})
# to, per budget dimension (tool calls count this one).
use_with_action(u) := {
	"usd": object.get(u, "usd", 0) + cost_usd,
	"tokens": object.get(u, "tokens", 0) + cost_tokens,
	"tool_calls": object.get(u, "tool_calls", 0) + 1,
}

# ... for the session
budget_use := use_with_action(spend)

# A budget ({usd?, tokens?, tool_calls?}) this action would exceed, as
# reasons; empty when within it.
budget_overruns(b) := overruns(b, budget_use)

# The same for the whole task: what every session under the action's
# contract has used (writ's service passes it as input.usage.contract;
# without it, the session's own use is all that is known).
task_use := u if {
	u := input.usage.contract
} else := spend

task_budget_overruns(b) := overruns(b, use_with_action(task_use))

overruns(b, use) := {r |
	some dim, used in use
	limit := b[dim]
	used > limit
	r := sprintf("%s: %v with this action, limit %v", [dim, used, limit])
}

# ---------------------------------------------------------------------------
# Time.

# The service passes the time as nanoseconds too (input.now_ns), which saves
# a host call per decision; parse input.now when it is absent.
now_ns := input.now_ns if is_number(input.now_ns)

else := time.parse_rfc3339_ns(input.now)
