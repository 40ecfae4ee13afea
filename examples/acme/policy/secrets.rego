# ACME platform policy — secrets. No agent reads or writes credential files,
# whatever its manifest or task says, whether through a file tool or by
# naming the file in a shell command.
package writ.platform

import data.writ.lib

secret_files := [
	"**/.env",
	"**/.env.*",
	"**/*.pem",
	"**/*.key",
	"**/*.p12",
	"**/id_rsa*",
	"**/id_ed25519*",
	"**/id_ecdsa*",
	"**/.ssh/**",
	"**/.aws/credentials",
	"**/.aws/config",
	"**/.netrc",
	"**/.npmrc",
	"**/.pypirc",
	"**/.git-credentials",
	"**/.docker/config.json",
	"**/.kube/config",
	"**/secrets/**",
	"**/*.tfstate",
]

# example files document the shape of a secret without holding one
not_secret := ["**/.env.example", "**/.env.sample", "**/.env.template"]

deny contains lib.finding("acme.secrets.file", sprintf("%s holds credentials; agents may not touch it", [p])) if {
	some p in lib.touched_paths
	lib.path_glob_any(secret_files, p)
	not lib.path_glob_any(not_secret, p)
}

# printing the environment shows every token the agent was started with
approve contains lib.finding("acme.secrets.environment", "printing the environment exposes credentials; a human must agree") if {
	some c in lib.commands
	c.name in {"env", "printenv", "set", "export"}
	count(c.args) == 0
}
