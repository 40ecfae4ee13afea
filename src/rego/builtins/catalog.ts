// Every builtin writ knows, with OPA's declared types, used by the parser
// (infix operators), the type checker, the planner (arity, relations) and the
// Wasm emitter (host builtin ids).
//
// Transcribed from OPA's `capabilities/v1.20.2.json` (the complete builtin
// set of OPA 1.20.2, including the internal builtins the compiler emits:
// `eq`, `assign`, `internal.member_2/3`, `internal.print`,
// `internal.template_string`, `internal.test_case`). Keep the order of that
// file so a diff against a newer capabilities file stays readable.

/** OPA's type language for builtin declarations. */
export type BType =
  | { type: "any"; of?: BType[] }
  | { type: "null" }
  | { type: "boolean" }
  | { type: "number" }
  | { type: "string" }
  | { type: "array"; static?: BType[]; dynamic?: BType }
  | { type: "object"; static?: { key: string; value: BType }[]; dynamic?: { key: BType; value: BType } }
  | { type: "set"; of: BType }
  | { type: "function"; args: BType[]; result?: BType; variadic?: BType };

export interface BuiltinInfo {
  name: string;
  args: BType[];
  /** absent for builtins with no output (e.g. `print`) */
  result?: BType;
  /** extra arguments of this type may follow `args` (print) */
  variadic?: BType;
  /** the operator spelling, e.g. "+" for plus */
  infix?: string;
  deprecated?: boolean;
  /** may produce several results (walk): the planner scans them */
  relation?: boolean;
  /** time.now_ns, rand.intn, http.send, uuid.rfc4122, … */
  nondeterministic?: boolean;
}

// ---- type helpers: short names for the shapes the declarations repeat ----

const num: BType = { type: "number" };
const str: BType = { type: "string" };
const bool: BType = { type: "boolean" };
const nul: BType = { type: "null" };
const any: BType = { type: "any" };
/** a union type (`any` with `of`) */
const anyOf = (...of: BType[]): BType => ({ type: "any", of });
/** array of any length whose elements have one type */
const arrOf = (dynamic: BType): BType => ({ type: "array", dynamic });
/** fixed-length array (tuple) */
const tuple = (...items: BType[]): BType => ({ type: "array", static: items });
const setOf = (of: BType): BType => ({ type: "set", of });
/** object with keys and values of one type each */
const objOf = (key: BType, value: BType): BType => ({ type: "object", dynamic: { key, value } });
/** object with some known keys, plus (optionally) any others */
const objWith = (known: Record<string, BType>, rest?: { key: BType; value: BType }): BType => ({
  type: "object",
  static: Object.entries(known).map(([key, value]) => ({ key, value })),
  ...(rest ? { dynamic: rest } : {}),
});

const anyArr = arrOf(any);
const anySet = setOf(any);
const anyObj = objOf(any, any);
const strObj = objOf(str, any);
const arrOrSet = anyOf(anyArr, anySet);
const numArrOrSet = anyOf(arrOf(num), setOf(num));
const collection = anyOf(anyArr, anyObj, anySet);
/** a JSON path: "a/b/c" or ["a","b","c"] */
const path = anyOf(str, anyArr);
const pathList = anyOf(arrOf(path), setOf(path));
const strOrObj = anyOf(str, anyObj);
const strOrStrs = anyOf(str, arrOf(str), setOf(str));
/** time.* accept ns, or [ns, tz] */
const nsTz = anyOf(num, tuple(num, str));
const cidrTerm = anyOf(str, anyArr);
const cidrSource = anyOf(str, arrOf(cidrTerm), objOf(str, cidrTerm), setOf(cidrTerm));
const certsResult = tuple(bool, arrOf(strObj));

type Extra = Pick<BuiltinInfo, "infix" | "deprecated" | "relation" | "nondeterministic" | "variadic">;

function fn(name: string, args: BType[], result?: BType, extra: Extra = {}): BuiltinInfo {
  return { name, args, ...(result ? { result } : {}), ...extra };
}
const op = (name: string, infix: string, args: BType[], result: BType) => fn(name, args, result, { infix });
const deprecated = { deprecated: true } as const;
const nondeterministic = { nondeterministic: true } as const;

const strToStr = (name: string) => fn(name, [str], str);
const strToBool = (name: string) => fn(name, [str], bool);
const strStrToBool = (name: string) => fn(name, [str, str], bool);
const strStrToStr = (name: string) => fn(name, [str, str], str);
const numToNum = (name: string) => fn(name, [num], num);
const numNumToNum = (name: string) => fn(name, [num, num], num);
const anyToBool = (name: string) => fn(name, [any], bool);

const catalogList: BuiltinInfo[] = [
  numToNum("abs"),
  fn("all", [arrOrSet], bool, deprecated),
  op("and", "&", [anySet, anySet], anySet),
  fn("any", [arrOrSet], bool, deprecated),
  fn("array.concat", [anyArr, anyArr], anyArr),
  fn("array.flatten", [anyArr], anyArr),
  fn("array.reverse", [anyArr], anyArr),
  fn("array.slice", [anyArr, num, num], anyArr),
  op("assign", ":=", [any, any], bool),
  strToStr("base64.decode"),
  strToStr("base64.encode"),
  strToBool("base64.is_valid"),
  strToStr("base64url.decode"),
  strToStr("base64url.encode"),
  strToStr("base64url.encode_no_pad"),
  numNumToNum("bits.and"),
  numNumToNum("bits.lsh"),
  numToNum("bits.negate"),
  numNumToNum("bits.or"),
  numNumToNum("bits.rsh"),
  numNumToNum("bits.xor"),
  fn("cast_array", [any], anyArr, deprecated),
  fn("cast_boolean", [any], bool, deprecated),
  fn("cast_null", [any], nul, deprecated),
  fn("cast_object", [any], anyObj, deprecated),
  fn("cast_set", [any], anySet, deprecated),
  fn("cast_string", [any], str, deprecated),
  numToNum("ceil"),
  fn("concat", [str, anyOf(arrOf(str), setOf(str))], str),
  strStrToBool("contains"),
  fn("count", [anyOf(str, anyArr, anyObj, anySet)], num),
  strStrToBool("crypto.hmac.equal"),
  strStrToStr("crypto.hmac.md5"),
  strStrToStr("crypto.hmac.sha1"),
  strStrToStr("crypto.hmac.sha256"),
  strStrToStr("crypto.hmac.sha512"),
  strToStr("crypto.md5"),
  fn("crypto.parse_private_keys", [str], arrOf(strObj)),
  strToStr("crypto.sha1"),
  strToStr("crypto.sha256"),
  fn("crypto.x509.parse_and_verify_certificates", [str], certsResult),
  fn("crypto.x509.parse_and_verify_certificates_with_options", [str, strObj], certsResult),
  fn("crypto.x509.parse_certificate_request", [str], strObj),
  fn("crypto.x509.parse_certificates", [str], arrOf(strObj)),
  fn("crypto.x509.parse_keypair", [str, str], strObj),
  fn("crypto.x509.parse_rsa_private_key", [str], strObj),
  op("div", "/", [num, num], num),
  strStrToBool("endswith"),
  op("eq", "=", [any, any], bool),
  op("equal", "==", [any, any], bool),
  numToNum("floor"),
  fn("format_int", [num, num], str),
  fn("glob.match", [str, anyOf(nul, arrOf(str)), str], bool),
  strToStr("glob.quote_meta"),
  fn("graph.reachable", [objOf(any, arrOrSet), arrOrSet], anySet),
  fn("graph.reachable_paths", [objOf(any, arrOrSet), arrOrSet], setOf(anyArr)),
  fn("graphql.is_valid", [strOrObj, strOrObj], bool),
  fn("graphql.parse", [strOrObj, strOrObj], tuple(anyObj, anyObj)),
  fn("graphql.parse_and_verify", [strOrObj, strOrObj], tuple(bool, anyObj, anyObj)),
  fn("graphql.parse_query", [str], anyObj),
  fn("graphql.parse_schema", [str], anyObj),
  fn("graphql.schema_is_valid", [strOrObj], bool),
  op("gt", ">", [any, any], bool),
  op("gte", ">=", [any, any], bool),
  strToStr("hex.decode"),
  strToStr("hex.encode"),
  fn("http.send", [strObj], anyObj, nondeterministic),
  fn("indexof", [str, str], num),
  fn("indexof_n", [str, str], arrOf(num)),
  op("internal.member_2", "in", [any, any], bool),
  op("internal.member_3", "in", [any, any, any], bool),
  fn("internal.print", [arrOf(anySet)]),
  fn("internal.template_string", [anyArr], str),
  fn("internal.test_case", [anyArr]),
  fn("intersection", [setOf(anySet)], anySet),
  fn("io.jwt.decode", [str], tuple(anyObj, anyObj, str)),
  fn("io.jwt.decode_verify", [str, strObj], tuple(bool, anyObj, anyObj), nondeterministic),
  fn("io.jwt.encode_sign", [strObj, strObj, strObj], str, nondeterministic),
  fn("io.jwt.encode_sign_raw", [str, str, str], str, nondeterministic),
  strStrToBool("io.jwt.verify_eddsa"),
  strStrToBool("io.jwt.verify_es256"),
  strStrToBool("io.jwt.verify_es384"),
  strStrToBool("io.jwt.verify_es512"),
  strStrToBool("io.jwt.verify_hs256"),
  strStrToBool("io.jwt.verify_hs384"),
  strStrToBool("io.jwt.verify_hs512"),
  strStrToBool("io.jwt.verify_ps256"),
  strStrToBool("io.jwt.verify_ps384"),
  strStrToBool("io.jwt.verify_ps512"),
  strStrToBool("io.jwt.verify_rs256"),
  strStrToBool("io.jwt.verify_rs384"),
  strStrToBool("io.jwt.verify_rs512"),
  anyToBool("is_array"),
  anyToBool("is_boolean"),
  anyToBool("is_null"),
  anyToBool("is_number"),
  anyToBool("is_object"),
  anyToBool("is_set"),
  anyToBool("is_string"),
  fn("json.filter", [anyObj, pathList], anyObj),
  strToBool("json.is_valid"),
  fn("json.marshal", [any], str),
  fn("json.marshal_with_options", [any, objWith({ indent: str, prefix: str, pretty: bool }, { key: str, value: any })], str),
  fn(
    "json.match_schema",
    [strOrObj, strOrObj],
    tuple(bool, arrOf(objWith({ desc: str, error: str, field: str, type: str }))),
  ),
  fn("json.patch", [any, arrOf(objWith({ op: str, path: any }, { key: any, value: any }))], any),
  fn("json.remove", [anyObj, pathList], anyObj),
  fn("json.unmarshal", [str], any),
  fn("json.verify_schema", [strOrObj], tuple(bool, anyOf(nul, str))),
  strToStr("lower"),
  op("lt", "<", [any, any], bool),
  op("lte", "<=", [any, any], bool),
  fn("max", [arrOrSet], any),
  fn("min", [arrOrSet], any),
  op("minus", "-", [anyOf(num, anySet), anyOf(num, anySet)], anyOf(num, anySet)),
  op("mul", "*", [num, num], num),
  op("neq", "!=", [any, any], bool),
  strStrToBool("net.cidr_contains"),
  fn("net.cidr_contains_matches", [cidrSource, cidrSource], setOf(tuple(any, any))),
  fn("net.cidr_expand", [str], setOf(str)),
  strStrToBool("net.cidr_intersects"),
  strToBool("net.cidr_is_valid"),
  fn("net.cidr_merge", [anyOf(arrOf(anyOf(str)), setOf(str))], setOf(str)),
  fn("net.cidr_overlap", [str, str], bool, deprecated),
  fn("net.lookup_ip_addr", [str], setOf(str), nondeterministic),
  fn("numbers.range", [num, num], arrOf(num)),
  fn("numbers.range_step", [num, num, num], arrOf(num)),
  fn("object.filter", [anyObj, collection], anyObj),
  fn("object.get", [anyObj, any, any], any),
  fn("object.keys", [anyObj], anySet),
  fn("object.remove", [anyObj, collection], anyObj),
  fn("object.subset", [collection, collection], bool),
  fn("object.union", [anyObj, anyObj], anyObj),
  fn("object.union_n", [arrOf(anyObj)], anyObj),
  fn("opa.runtime", [], strObj, nondeterministic),
  op("or", "|", [anySet, anySet], anySet),
  op("plus", "+", [num, num], num),
  fn("print", [], undefined, { variadic: any }),
  fn("product", [numArrOrSet], num),
  fn("providers.aws.sign_req", [strObj, strObj, num], anyObj),
  fn("rand.intn", [str, num], num, nondeterministic),
  fn("re_match", [str, str], bool, deprecated),
  fn("regex.find_all_string_submatch_n", [str, str, num], arrOf(arrOf(str))),
  fn("regex.find_n", [str, str, num], arrOf(str)),
  strStrToBool("regex.globs_match"),
  strToBool("regex.is_valid"),
  strStrToBool("regex.match"),
  fn("regex.replace", [str, str, str], str),
  fn("regex.split", [str, str], arrOf(str)),
  fn("regex.template_match", [str, str, str, str], bool),
  fn("rego.metadata.chain", [], anyArr),
  fn("rego.metadata.rule", [], any),
  fn("rego.parse_module", [str, str], strObj),
  op("rem", "%", [num, num], num),
  fn("replace", [str, str, str], str),
  numToNum("round"),
  fn("semver.compare", [str, str], num),
  anyToBool("semver.is_valid"),
  fn("set_diff", [anySet, anySet], anySet, deprecated),
  fn("sort", [arrOrSet], anyArr),
  fn("split", [str, str], arrOf(str)),
  fn("sprintf", [str, anyArr], str),
  strStrToBool("startswith"),
  fn("strings.any_prefix_match", [strOrStrs, strOrStrs], bool),
  fn("strings.any_suffix_match", [strOrStrs, strOrStrs], bool),
  fn("strings.count", [str, str], num),
  fn("strings.render_template", [str, strObj], str),
  fn("strings.replace_n", [objOf(str, str), str], str),
  strToStr("strings.reverse"),
  fn("strings.split_n", [str, str, num], arrOf(str)),
  fn("substring", [str, num, num], str),
  fn("sum", [numArrOrSet], num),
  fn("time.add_date", [num, num, num, num], num),
  fn("time.clock", [nsTz], tuple(num, num, num)),
  fn("time.date", [nsTz], tuple(num, num, num)),
  fn("time.diff", [nsTz, nsTz], tuple(num, num, num, num, num, num)),
  fn("time.format", [anyOf(num, tuple(num, str), tuple(num, str, str))], str),
  fn("time.now_ns", [], num, nondeterministic),
  fn("time.parse_duration_ns", [str], num),
  fn("time.parse_ns", [str, str], num),
  fn("time.parse_rfc3339_ns", [str], num),
  fn("time.weekday", [nsTz], str),
  fn("to_number", [anyOf(nul, bool, num, str)], num),
  fn("trace", [str], bool),
  strStrToStr("trim"),
  strStrToStr("trim_left"),
  strStrToStr("trim_prefix"),
  strStrToStr("trim_right"),
  strToStr("trim_space"),
  strStrToStr("trim_suffix"),
  fn("type_name", [any], str),
  fn("union", [setOf(anySet)], anySet),
  fn("units.parse", [str], num),
  fn("units.parse_bytes", [str], num),
  strToStr("upper"),
  strToBool("uri.is_valid"),
  fn("uri.parse", [str], objOf(str, str)),
  strToStr("urlquery.decode"),
  fn("urlquery.decode_object", [str], objOf(str, arrOf(str))),
  strToStr("urlquery.encode"),
  fn("urlquery.encode_object", [objOf(str, strOrStrs)], str),
  fn("uuid.parse", [str], strObj),
  fn("uuid.rfc4122", [str], str, nondeterministic),
  fn("walk", [any], tuple(anyArr, any), { relation: true }),
  strToBool("yaml.is_valid"),
  fn("yaml.marshal", [any], str),
  fn("yaml.unmarshal", [str], any),
];

export const builtinCatalog: Record<string, BuiltinInfo> = Object.fromEntries(catalogList.map((b) => [b.name, b]));

/** Builtin names by operator spelling, for the parser (`in` maps to member_2; the 3-arg form is chosen by arity). */
export const infixOperators: Record<string, string> = Object.fromEntries(
  catalogList.filter((b) => b.infix && b.name !== "internal.member_3").map((b) => [b.infix!, b.name]),
);
