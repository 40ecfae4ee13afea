# ACME platform policy — writ itself. An agent does not reach the decision
# service's state or run its tools (it could revoke a kill switch, read the
# audit log, or build itself a bundle).
package writ.platform

import data.writ.lib

writ_state := ["**/.writ-data/**", "**/.writ/**", "/etc/writ/**", "/var/lib/writ/**"]

deny contains lib.finding("acme.writ.state", sprintf("%s belongs to the decision service", [p])) if {
	some p in lib.touched_paths
	lib.path_glob_any(writ_state, p)
}

deny contains lib.finding("acme.writ.cli", "agents do not run writ") if {
	some c in lib.commands
	c.name == "writ"
}
