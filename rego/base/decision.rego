# writ base policy: the verdict, at entrypoint writ/decision.
#
# Three layers each contribute findings ({id, reason}):
#   platform  — the organisation's Rego, package writ.platform: deny, approve,
#               labels (it does not grant: grants come from the layers below)
#   manifest  — package writ.manifest, over data.writ.manifests
#   contract  — package writ.contract, over data.writ.contracts
# Verdict: any deny → deny; else any approve → approve; else allow only when
# both the manifest and the contract (unless the manifest waives contracts)
# grant the action; else deny. A lower layer can add denials and approvals,
# so it can only tighten a higher one: nothing it says removes them.
# Prompts and post-tool-use events are observations: nothing to grant, but
# the platform may still deny or approve them, and label the session.
#
# Returns PolicyDecision (src/decide/types.ts):
#   {"decision", "reasons", "rule_ids", "labels"}
package writ

import data.writ.lib

# A platform rule that yields something other than {id, reason} is a bug in
# the policy; it must not pass silently, so it becomes a finding of its own.
well_formed(f) if {
	is_string(f.id)
	is_string(f.reason)
}

platform_finding(f) := f if well_formed(f)

platform_finding(f) := lib.finding("writ.platform.malformed_finding", sprintf("a platform rule produced %v instead of {id, reason}", [f])) if not well_formed(f)

deny_findings := ({platform_finding(f) | some f in data.writ.platform.deny} | {f | some f in data.writ.manifest.deny}) | {f | some f in data.writ.contract.deny}

approve_findings := ({platform_finding(f) | some f in data.writ.platform.approve} | {f | some f in data.writ.manifest.approve}) | {f | some f in data.writ.contract.approve}

manifest_grants := {f | some f in data.writ.manifest.allow}

contract_grants := {f | some f in data.writ.contract.allow}

granted if {
	lib.pre_tool_use
	count(manifest_grants) > 0
	count(contract_grants) > 0
}

granted if not lib.pre_tool_use

grant_findings := manifest_grants | contract_grants if lib.pre_tool_use

grant_findings := {lib.finding("writ.observe", concat("", [lib.event, " event: nothing to grant"]))} if not lib.pre_tool_use

default_deny := lib.finding("writ.default_deny", "no layer allows this action")

default verdict := "deny"

verdict := "deny" if count(deny_findings) > 0

verdict := "approve" if {
	count(deny_findings) == 0
	count(approve_findings) > 0
}

verdict := "allow" if {
	count(deny_findings) == 0
	count(approve_findings) == 0
	granted
}

# The findings that explain the verdict.
shown := deny_findings if count(deny_findings) > 0

shown := approve_findings if {
	count(deny_findings) == 0
	count(approve_findings) > 0
}

shown := grant_findings if {
	count(deny_findings) == 0
	count(approve_findings) == 0
	granted
}

shown := {default_deny} if {
	count(deny_findings) == 0
	count(approve_findings) == 0
	not granted
}

ordered := sort(shown)

session_labels := ({l | some l in data.writ.platform.labels; is_string(l)} | {l | some l in data.writ.manifest.labels}) | {l | some l in data.writ.contract.labels}

decision := {
	"decision": verdict,
	"reasons": [f.reason | some f in ordered],
	"rule_ids": [f.id | some f in ordered],
	"labels": sort(session_labels),
}
