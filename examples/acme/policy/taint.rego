# ACME platform policy — taint. What entered the session changes what may
# leave it. Labels are monotonic: once set, they stay for the session.
package writ.platform

import data.writ.lib

# --- packages --------------------------------------------------------------

# Installing a package runs its install scripts: code nobody here reviewed.
labels contains "package_installed" if lib.installs_packages

# After that, nothing is pushed without a human looking first.
approve contains lib.finding("acme.taint.push_after_install", "a package was installed in this session; a human reviews before anything is pushed") if {
	lib.git_push
	lib.has_label("package_installed")
}

# Packages from URLs, git or local tarballs skip the registry's checks.
approve contains lib.finding("acme.packages.unregistered_source", sprintf("%s is not from a package registry", [p])) if {
	lib.installs_packages
	some p in lib.packages
	regex.match(`^(git\+|https?://|file:|\.{0,2}/)|\.(tgz|tar\.gz|whl)$`, p)
}

# --- untrusted content -----------------------------------------------------

trusted_hosts := [
	"github.com",
	"*.github.com",
	"*.githubusercontent.com",
	"registry.npmjs.org",
	"pypi.org",
	"files.pythonhosted.org",
	"docs.python.org",
	"developer.mozilla.org",
	"nodejs.org",
	"*.acme.example",
]

# Content from anywhere else may carry instructions aimed at the agent.
labels contains "untrusted_content" if {
	some h in lib.hosts
	not lib.host_matches(trusted_hosts, h)
}

browsing_servers := {"fetch", "browser", "puppeteer", "playwright", "web"}

labels contains "untrusted_content" if {
	lib.kind == "mcp"
	lib.mcp_server in browsing_servers
}

# Once it has been read, sending data to untrusted hosts, pushing, or
# changing state from the shell needs a human: the content may be steering.
approve contains lib.finding("acme.taint.untrusted_then_egress", sprintf("untrusted web content was read in this session; sending data to %s needs a human", [h])) if {
	lib.has_label("untrusted_content")
	lib.pre_tool_use
	some h in lib.hosts
	not lib.host_matches(trusted_hosts, h)
}

approve contains lib.finding("acme.taint.untrusted_then_push", "untrusted web content was read in this session; pushing needs a human") if {
	lib.has_label("untrusted_content")
	lib.git_push
}

approve contains lib.finding("acme.taint.untrusted_then_shell", sprintf("untrusted web content was read in this session; %s changes state and needs a human", [lib.tool])) if {
	lib.has_label("untrusted_content")
	lib.pre_tool_use
	lib.kind == "shell"
	lib.mutating
}
