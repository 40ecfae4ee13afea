// The builtins aquasecurity/trivy-checks' `opa test` has: its cmd/opa is OPA
// with trivy's result.new and isManaged (trivy pkg/iac/rego/custom.go) and
// trivy-checks' own (internal/rego: cidr.*, sh.parse_commands,
// squealer.scan_string) registered. Ported to JavaScript for the
// compatibility run (scripts/compat.mjs), with the Go behaviour kept where a
// test can see it.
import { RE2JS } from "re2js";
import { parseIP } from "../../dist/src/rego/builtins/net.js";
import { parseShell } from "../../dist/src/harness/normalize/shell/parser.js";

const A = { type: "any" };
const S = { type: "string" };
const fn = (args, result) => ({ type: "function", args, result });
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// ---- result.new, isManaged (trivy pkg/iac/rego/custom.go) ------------------

const METADATA_KEYS = [
  // [input key, metadata key]; later keys win, as in updateMetadata
  ["startline", "startline"], ["StartLine", "startline"], ["endline", "endline"], ["EndLine", "endline"],
  ["filepath", "filepath"], ["sourceprefix", "sourceprefix"], ["Path", "filepath"], ["explicit", "explicit"],
  ["managed", "managed"], ["fskey", "fskey"], ["resource", "resource"],
];

function createResult(msg, cause) {
  const md = { startline: 0, endline: 0, sourceprefix: "", filepath: "", explicit: false, managed: true, fskey: "", resource: "", parent: null };
  if (msg !== undefined) md.msg = msg;
  // Go's Term.Get on a non-object finds nothing
  const input = isObject(cause) && "__defsec_metadata" in cause ? cause.__defsec_metadata : cause;
  if (isObject(input)) {
    for (const [from, to] of METADATA_KEYS) if (from in input) md[to] = input[from];
    if ("parent" in input) md.parent = createResult(undefined, input.parent);
  }
  return md;
}

// ---- cidr.* (trivy-checks internal/cidr) -----------------------------------

const PRIVATE = ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "::1/128", "fe80::/10", "fc00::/7", "100.64.0.0/10"].map(parseCIDR);

/** Go's net.ParseCIDR: the address as written and the prefix length. */
function parseCIDR(s) {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseIP(s.slice(0, slash));
  const bitsText = s.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const prefix = Number(bitsText);
  if (prefix > ip.bits) return undefined;
  return { ip, prefix };
}

const maskOf = (bits, prefix) => ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
const isPrivate = (ip) => PRIVATE.some((n) => n.ip.bits === ip.bits && (ip.v & maskOf(n.ip.bits, n.prefix)) === (n.ip.v & maskOf(n.ip.bits, n.prefix)));
const isAnywhere = (s) => s === "*" || /^(internet|any)$/i.test(s);
const MAX_U64 = 0xffffffffffffffffn;

function countAddresses(s) {
  if (isAnywhere(s)) return MAX_U64;
  if (!s.includes("/")) return parseIP(s) ? 1 : 0;
  const n = parseCIDR(s);
  if (!n) return 0;
  const power = n.ip.bits - n.prefix;
  return power >= 63 ? MAX_U64 : Number(1n << BigInt(power));
}

/** The bytes of a string taken as an IP (Go's net.IP(str) in IsPublic's
 *  range branch): only 4- or 16-byte strings are addresses at all. */
function bytesAsIP(s) {
  const bytes = Buffer.from(s);
  if (bytes.length !== 4 && bytes.length !== 16) return undefined;
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes.length === 16 && v >> 32n === 0xffffn) return { v: v & 0xffffffffn, bits: 32 };
  return { v, bits: bytes.length === 4 ? 32 : 128 };
}

function isPublic(s) {
  if (isAnywhere(s)) return true;
  if (s.includes("-")) {
    const parts = s.split("-");
    if (parts.length !== 2) return false;
    return parts.some((p) => {
      const ip = bytesAsIP(p.trim());
      return !ip || !isPrivate(ip);
    });
  }
  if (!s.includes("/")) {
    const ip = parseIP(s);
    return ip ? !isPrivate(ip) : false;
  }
  const n = parseCIDR(s);
  if (!n) return false;
  if (!isPrivate(n.ip)) return true;
  const host = (1n << BigInt(n.ip.bits - n.prefix)) - 1n;
  return !isPrivate({ v: n.ip.v | host, bits: n.ip.bits });
}

// ---- sh.parse_commands (mvdan.cc/sh: every call's words, as printed) --------

function collectCommands(script, out) {
  for (const node of script.body) {
    if (node.type === "simple") {
      if (node.words.length > 0) out.push(node.words.map((w) => w.raw));
      for (const w of [...node.assigns, ...node.words]) for (const p of w.parts) collectPart(p, out);
    } else if (node.type === "subshell") collectCommands({ body: node.body }, out);
    else for (const w of node.words) for (const p of w.parts) collectPart(p, out);
  }
  return out;
}

function collectPart(p, out) {
  if (p.kind === "cmdsub" || p.kind === "procsub") collectCommands(p.script, out);
  else if (p.kind === "param" || p.kind === "arith") for (const s of p.subs) collectCommands(s, out);
}

// ---- squealer.scan_string (owenrumney/squealer's default rules without a
// file filter, first match wins) ---------------------------------------------

const SQUEALER_RULES = [
  ["(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}", "Check for AWS Access Key Id"],
  ["(?i)aws_secre.+[=:]\\s{0,}[A-Za-z0-9\\/+=]{40}.?", "Check for AWS Secret Access Key"],
  ["(?i)github[_\\-\\.]?token[\\s:,=\"\\]']+?(?-i)[0-9a-zA-Z]{35,40}", "Check for Github Token"],
  ["gh[opusr]_[A-Za-z0-9_]{30,255}", "Check for new Github Token"],
  ["xox[baprs]-([0-9a-zA-Z]{10,48})?", ""],
  ["-----BEGIN ((EC|PGP|DSA|RSA|OPENSSH) )?PRIVATE KEY( BLOCK)?-----", "Private Asymetric Key"],
  ["xox.-[0-9]{12}-[0-9]{12}-[0-9]{12}-[a-zA-Z0-9]{32}", "Slack API Token"],
  ["xox.-[0-9]{12}-[0-9]{12}-[r0-9a-zA-Z]{24}", "Slack OAuth Token"],
  ["(?im)password\\s?[:=]\\s?\"?[^\\s?\\$\\{].+\"?", "Password literal text"],
  ["(?i)aws(.{0,20})?(?-i)['\\\"][0-9a-zA-Z\\/+]{40}['\\\"]", "AWS Secret Key"],
  ["amzn\\.mws\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "AWS MWS key"],
  ["(?i)(facebook|fb)(.{0,20})?(?-i)['\\\"][0-9a-f]{32}['\\\"]", "Facebook Secret Key"],
  ["(?i)(facebook|fb)(.{0,20})?['\\\"][0-9]{13,17}['\\\"]", "Facebook Client ID"],
  ["(?i)twitter(.{0,20})?['\\\"][0-9a-z]{35,44}['\\\"]", "Twitter Secret Key"],
  ["(?i)twitter(.{0,20})?['\\\"][0-9a-z]{18,25}['\\\"]", "Twitter Client ID"],
  ["(?i)github.{0,3}((?i)token|api|key).{0,10}?(?-i)([0-9a-zA-Z]{35,40})", "GitHub Token"],
  ["(?i)linkedin(.{0,20})?(?-i)['\\\"][0-9a-z]{12}['\\\"]", "LinkedIn Client ID"],
  ["(?i)linkedin(.{0,20})?['\\\"][0-9a-z]{16}['\\\"]", "LinkedIn Secret Key"],
  ["//registry.npmjs.org/:_authToken=[0-9a-f-]+", "NPM Token"],
  ["-----BEGIN EC PRIVATE KEY-----", "EC"],
  ["-----BEGIN DSA PRIVATE KEY-----", "DSA"],
  ["-----BEGIN OPENSSH PRIVATE KEY-----", "OPENSSH"],
  ["-----BEGIN RSA PRIVATE KEY-----", "RSA"],
  ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "PGP"],
  ["AIza[0-9A-Za-z\\\\-_]{35}", "Google API key"],
  ["(?i)heroku(.{0,20})?['\"][0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}['\"]", "Heroku API key"],
  ["(?i)(mailchimp|mc)(.{0,20})?['\"][0-9a-f]{32}-us[0-9]{1,2}['\"]", "MailChimp API key"],
  ["(?i)(mailgun|mg)(.{0,20})?['\"][0-9a-z]{32}['\"]", "Mailgun API key"],
  ["access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32}", "PayPal Braintree access token"],
  ["sk_live_[0-9a-z]{32}", "Picatic API key"],
  ["https://hooks.slack.com/services/T[a-zA-Z0-9_]{8}/B[a-zA-Z0-9_]{8}/[a-zA-Z0-9_]{24}", "Slack Webhook"],
  ["(?i)stripe(.{0,20})?['\\\"][sk|rk]_live_[0-9a-zA-Z]{24}", "Stripe API key"],
  ["sq0atp-[0-9A-Za-z\\-_]{22}", "Square access token"],
  ["sq0csp-[0-9A-Za-z\\\\-_]{43}", "Square OAuth secret"],
  ["(?i)twilio(.{0,20})?['\\\"][0-9a-f]{32}['\\\"]", "Twilio API key"],
  ["dt0[a-zA-Z]{1}[0-9]{2}\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}", "Dynatrace token"],
  ["shpss_[a-fA-F0-9]{32}", "Shopify shared secret"],
  ["shpat_[a-fA-F0-9]{32}", "Shopify access token"],
  ["shpca_[a-fA-F0-9]{32}", "Shopify custom app access token"],
  ["shppa_[a-fA-F0-9]{32}", "Shopify private app access token"],
  [
    "(?i)(apikey|secret|password|certificate_osx_p12|certificate_password|codacy_project_token|coveralls_api_token|coveralls_repo_token|coveralls_token|coverity_scan_token|cypress_record_key|database_password|db_password|deploy_password|deploy_token|digitalocean_access_token|docker_hub_password|docker_password|dockerhub_password|sonatype_password|firebase_api_token|firebase_token|firefox_secret|flask_secret_key|fossa_api_key|gcloud_service_key|gcr_password|gh_api_key|gh_next_oauth_client_secret|gh_next_unstable_oauth_client_secret|gh_oauth_client_secret|gpg_private_key|gpg_passphrase|gpg_secret_keys|heroku_api_key|okta_client_token|pypi_password|sonatype_nexus_password|travis_token|refresh_token|client_id|client_secret)(.*)?[(:=](\\s)?['\\\"][0-9a-zA-Z-_!$^%=]{10,120}['\\\")]",
    "Env Var",
  ],
  ["define(.{0,20})?(DB_CHARSET|NONCE_SALT|LOGGED_IN_SALT|AUTH_SALT|NONCE_KEY|DB_HOST|DB_PASSWORD|AUTH_KEY|SECURE_AUTH_KEY|LOGGED_IN_KEY|DB_NAME|DB_USER)(.{0,20})?['|\"].{10,120}['|\"]", "WP-Config"],
].map(([rule, description]) => ({ re: RE2JS.compile(rule), description }));

function scanString(s) {
  const hit = SQUEALER_RULES.find((r) => r.re.matcher(s).find());
  return { transgressionFound: hit !== undefined, description: hit?.description ?? "" };
}

// ---- the declarations (trivy's Go Decl values) ------------------------------

const string = (v) => {
  if (typeof v !== "string") throw new Error("invalid parameter type: operand 1 must be string");
  return v;
};

export const builtins = [
  { name: "result.new", decl: fn([S, A], A), impl: (msg, cause) => createResult(msg, cause) },
  { name: "isManaged", decl: fn([A], { type: "boolean" }), impl: (r) => createResult("", r).managed },
  { name: "cidr.count_addresses", decl: fn([S], { type: "number" }), impl: (s) => countAddresses(string(s)) },
  { name: "cidr.is_public", decl: fn([S], { type: "boolean" }), impl: (s) => isPublic(string(s)) },
  { name: "sh.parse_commands", decl: fn([S], { type: "array", dynamic: { type: "array", dynamic: S } }), impl: (s) => collectCommands(parseShell(string(s)), []) },
  {
    name: "squealer.scan_string",
    decl: fn([S], { type: "object", static: [{ key: "transgressionFound", value: { type: "boolean" } }, { key: "description", value: S }] }),
    impl: (s) => scanString(string(s)),
  },
];
