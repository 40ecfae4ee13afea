# ACME platform policy — git history on shared branches.
package writ.platform

import data.writ.lib

protected_branches := ["main", "master", "release/*", "production", "prod"]

protected(b) if {
	some p in protected_branches
	lib.glob_match(p, ["/"], b)
}

deny contains lib.finding("acme.git.force_push_protected", sprintf("force-pushing to protected branch %s rewrites shared history", [b])) if {
	some inv in lib.git_push_invocations
	lib.git_force(inv)
	some b in lib.git_branches(inv)
	protected(b)
}

deny contains lib.finding("acme.git.delete_protected", sprintf("deleting protected branch %s", [b])) if {
	some inv in lib.git_push_invocations
	lib.git_delete(inv)
	some b in lib.git_branches(inv)
	protected(b)
}

# a force push elsewhere, or one whose target cannot be told
approve contains lib.finding("acme.git.force_push", "a force push rewrites remote history; a human must agree") if {
	some inv in lib.git_push_invocations
	lib.git_force(inv)
	not force_to_protected(inv)
}

force_to_protected(inv) if {
	some b in lib.git_branches(inv)
	protected(b)
}

approve contains lib.finding("acme.git.push_protected", sprintf("pushing straight to protected branch %s; changes go through review", [b])) if {
	some inv in lib.git_push_invocations
	not lib.git_force(inv)
	some b in lib.git_branches(inv)
	protected(b)
}

approve contains lib.finding("acme.git.no_verify", "skipping git hooks (--no-verify) skips the checks they run") if {
	some inv in lib.git_invocations
	inv.subcommand in {"commit", "push", "merge"}
	"--no-verify" in inv.args
}
