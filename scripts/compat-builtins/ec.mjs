// The builtins enterprise-contract/ec-policies' tests have: its CI runs `ec
// opa test`, OPA with conforma/cli's functions registered
// (internal/rego/{oci,sigstore,purl}). The OCI and sigstore ones reach a
// registry; the CI runs them without a network (unshare -n), so they have no
// result unless a test replaces them with `with`, as most do. The PURL ones
// are pure and ported (package-url/packageurl-go's parser).
const S = { type: "string" };
const A = { type: "any" };
const fn = (args, result) => ({ type: "function", args, result });

// ---- PURL (packageurl-go FromString) ---------------------------------------

const TYPE = /^[A-Za-z.+-][A-Za-z0-9.+-]*$/;
const QUALIFIER_KEY = /^[A-Za-z.\-_][A-Za-z0-9.\-_]*$/;

function unescape(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new Error(`invalid escape in ${s}`);
  }
}

/** packageurl-go's type adjustments: some hosts are case-insensitive. */
function normalize(type, namespace, name) {
  if (["bitbucket", "github", "gitlab"].includes(type)) return { namespace: namespace.toLowerCase(), name: name.toLowerCase() };
  if (type === "pypi") return { namespace, name: name.toLowerCase().replaceAll("_", "-") };
  return { namespace, name };
}

export function parsePurl(purl) {
  const colon = purl.indexOf(":");
  if (colon < 0 || purl.slice(0, colon).toLowerCase() !== "pkg") throw new Error("purl scheme is not \"pkg\"");
  let rest = purl.slice(colon + 1).replace(/^\/+/, "");
  let subpath = "";
  const hash = rest.lastIndexOf("#");
  if (hash >= 0) {
    subpath = rest
      .slice(hash + 1)
      .split("/")
      .filter((s) => s !== "" && s !== "." && s !== "..")
      .map(unescape)
      .join("/");
    rest = rest.slice(0, hash);
  }
  const qualifiers = [];
  const q = rest.lastIndexOf("?");
  if (q >= 0) {
    for (const pair of rest.slice(q + 1).split("&")) {
      if (pair === "") continue;
      const eq = pair.indexOf("=");
      if (eq < 0) throw new Error(`invalid qualifier ${pair}`);
      const key = pair.slice(0, eq).toLowerCase();
      const value = unescape(pair.slice(eq + 1));
      if (!QUALIFIER_KEY.test(key)) throw new Error(`invalid qualifier key ${key}`);
      if (value !== "") qualifiers.push({ key, value });
    }
    rest = rest.slice(0, q);
  }
  qualifiers.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const slash = rest.indexOf("/");
  if (slash < 0) throw new Error("purl is missing type or name");
  const type = rest.slice(0, slash).toLowerCase();
  if (!TYPE.test(type)) throw new Error(`invalid type ${type}`);
  rest = rest.slice(slash + 1).replace(/\/+$/, "");
  let version = "";
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    version = unescape(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const segments = rest.split("/").filter((s) => s !== "");
  if (segments.length === 0) throw new Error("purl is missing name");
  const name = unescape(segments.pop());
  const namespace = segments.map(unescape).join("/");
  if (name === "") throw new Error("purl is missing name");
  return { type, ...normalize(type, namespace, name), version, qualifiers, subpath };
}

const isValid = (s) => {
  if (typeof s !== "string") return false;
  try {
    parsePurl(s);
    return true;
  } catch {
    return false;
  }
};

// ---- network: no result, as under the CI's unshare -n ----------------------

const offline = (name) => () => {
  throw new Error(`${name}: no registry access in tests`);
};

export const builtins = [
  { name: "ec.purl.is_valid", decl: fn([S], S), impl: isValid },
  { name: "ec.purl.parse", decl: fn([S], A), impl: (s) => parsePurl(s) },
  ...["ec.oci.blob", "ec.oci.descriptor", "ec.oci.image_manifest", "ec.oci.image_index"].map((name) => ({ name, decl: fn([S], A), impl: offline(name), nondeterministic: true })),
  { name: "ec.oci.image_manifests", decl: fn([{ type: "set", of: S }], A), impl: offline("ec.oci.image_manifests"), nondeterministic: true },
  ...["ec.oci.image_files", "ec.oci.blob_files"].map((name) => ({ name, decl: fn([S, { type: "array", dynamic: S }], A), impl: offline(name), nondeterministic: true })),
  { name: "ec.sigstore.verify_image", decl: fn([S, A], A), impl: offline("ec.sigstore.verify_image"), nondeterministic: true },
  { name: "ec.sigstore.verify_attestation", decl: fn([S, A], A), impl: offline("ec.sigstore.verify_attestation"), nondeterministic: true },
];
