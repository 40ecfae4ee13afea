# ACME platform policy — destructive and opaque shell commands.
package writ.platform

import data.writ.lib

# rm -r / -rf aimed at a root, a home or everything
rm_recursive(c) if {
	c.name == "rm"
	some a in c.args
	short_flags(a)
	contains(lower(a), "r")
}

# -rf, -Rf, -fr: a bundle of one-letter flags
short_flags(a) if {
	startswith(a, "-")
	not startswith(a, "--")
}

rm_recursive(c) if {
	c.name == "rm"
	"--recursive" in c.args
}

sweeping_targets := {"/", "/*", "~", "~/", "~/*", "$HOME", "${HOME}", "$HOME/", "*", ".", "./", "..", "../"}

deny contains lib.finding("acme.shell.destructive", sprintf("%s would delete far more than a task needs", [lib.command_line(c)])) if {
	some c in lib.commands
	rm_recursive(c)
	some a in c.args
	a in sweeping_targets
}

disk_tools := {"mkfs", "mkfs.ext4", "mkfs.xfs", "fdisk", "parted", "wipefs", "shred", "dd"}

deny contains lib.finding("acme.shell.disk", sprintf("%s writes to disks or devices", [lib.command_line(c)])) if {
	some c in lib.commands
	c.name in disk_tools
	c.name != "dd"
}

deny contains lib.finding("acme.shell.disk", sprintf("%s writes to a device", [lib.command_line(c)])) if {
	some c in lib.commands
	c.name == "dd"
	some a in c.args
	startswith(a, "of=/dev/")
}

deny contains lib.finding("acme.shell.permissions", sprintf("%s opens permissions to everyone", [lib.command_line(c)])) if {
	some c in lib.commands
	c.name == "chmod"
	some a in c.args
	a in {"777", "a+rwx", "o+w", "-R777"}
}

deny contains lib.finding("acme.shell.sudo", "agents do not run commands as root") if {
	some c in lib.commands
	c.name in {"sudo", "su", "doas"}
}

deny contains lib.finding("acme.shell.sudo", "agents do not run commands as root") if lib.runs_via("sudo")

# fetching a script and running it: the script is unreviewed code
shells := {"sh", "bash", "zsh", "dash", "fish", "python", "python3", "node", "perl", "ruby"}

deny contains lib.finding("acme.shell.pipe_to_shell", "downloading a script and running it unreviewed") if {
	some fetch in lib.commands
	fetch.name in {"curl", "wget"}
	some run in lib.commands
	run.name in shells
	count([a | some a in run.args; not startswith(a, "-")]) == 0
}

deny contains lib.finding("acme.shell.pipe_to_shell", "downloading a script and running it unreviewed") if {
	some c in lib.commands
	c.name in {"curl", "wget"}
	some w in object.get(c, "via", [])
	startswith(w, "$(")
	some run in lib.commands
	run.name in shells
}

# work lost without a trace
approve contains lib.finding("acme.shell.discard_work", sprintf("%s discards uncommitted work", [lib.command_line(c)])) if {
	some c in lib.commands
	lib.command_matches("git reset --hard", lib.command_line(c))
}

approve contains lib.finding("acme.shell.discard_work", sprintf("%s deletes untracked files", [lib.command_line(c)])) if {
	some c in lib.commands
	c.name == "git"
	"clean" in c.args
	some a in c.args
	short_flags(a)
	contains(a, "f")
}

# eval, source of a variable, … — what runs cannot be known in advance
approve contains lib.finding("acme.shell.dynamic", "the command line builds code at run time (eval or similar); a human must read it") if {
	lib.kind == "shell"
	lib.action.dynamic == true
}
