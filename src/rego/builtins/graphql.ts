// graphql.*: the reference parser and validator (the `graphql` package),
// with ASTs reported in the shape OPA's Go library (gqlparser) produces —
// Go field names, "Position" dropped, null and empty values pruned — and
// errors worded "<message> in GraphQL string at location L:C".
import { GraphQLError, Kind, buildASTSchema, parse, validate, validateSchema, type ASTNode, type DefinitionNode, type DocumentNode, type TypeNode, type ValueNode } from "graphql";
import { builtinError, operandError } from "./errors.js";
import { isObject, typeName, type ObjectValue, type Value } from "./values.js";
import type { BuiltinImpl } from "./types.js";

// ---- errors ----

/** The source text from a 1-based line and column on. */
function textAt(source: string, line: number, column: number): string {
  const lines = source.split(/\r\n|\r|\n/);
  return (lines[line - 1] ?? "").slice(column - 1);
}

/** graphql-js wording → gqlparser wording ("found "}"" → "found }", …). */
function gqlMessage(e: GraphQLError, source: string): string {
  const loc = e.locations?.[0];
  let msg = e.message
    .replace(/^Syntax Error: /, "")
    .replace(/\.$/, "")
    .replace(/"([^\w\s"]{1,3})"/g, "$1");
  if (msg.startsWith("Unterminated string") || msg.startsWith("Invalid character") || msg.startsWith("Cannot parse the unexpected character")) msg = "Unexpected <Invalid>";
  else if (msg.startsWith("Unexpected variable")) msg = "Unexpected $";
  else if (/^Unexpected String "/.test(msg) && loc) return `${msg}\u0000${loc.line}:${loc.column + 1}`;
  else if (msg.startsWith("Unexpected description") && loc) {
    const m = /^"(?:[^"\\]|\\.)*"/.exec(textAt(source, loc.line, loc.column));
    msg = `Unexpected String ${m ? m[0] : '""'}`;
    // gqlparser points one column into the string token
    return `${msg}\u0000${loc.line}:${loc.column + 1}`;
  } else if (msg === "Expected Name, found }" && loc) {
    // an empty { } body: gqlparser reports it its own way
    const before = source.split(/\r\n|\r|\n/).slice(0, loc.line).join("\n");
    const upto = before.slice(0, before.length - (source.split(/\r\n|\r|\n/)[loc.line - 1]!.length - (loc.column - 1)));
    if (/\{\s*$/.test(upto)) msg = "expected at least one definition, found }";
  }
  return msg;
}

function syntaxError(e: unknown, source: string): never {
  if (e instanceof GraphQLError) {
    const loc = e.locations?.[0];
    const [msg, at] = gqlMessage(e, source).split("\u0000");
    throw builtinError(`${msg} in GraphQL string at location ${at ?? `${loc?.line ?? 0}:${loc?.column ?? 0}`}`);
  }
  throw e;
}

function parseDoc(text: string, allowEmpty = false): DocumentNode {
  // gqlparser accepts a query document without definitions
  if (allowEmpty && text.trim() === "") return { kind: Kind.DOCUMENT, definitions: [] };
  try {
    return parse(text, { allowLegacyFragmentVariables: true });
  } catch (e) {
    syntaxError(e, text);
  }
}

// ---- AST conversion to gqlparser's shape ----

const valueKinds: Partial<Record<string, number>> = {
  [Kind.VARIABLE]: 0,
  [Kind.INT]: 1,
  [Kind.FLOAT]: 2,
  [Kind.STRING]: 3,
  [Kind.BOOLEAN]: 5,
  [Kind.NULL]: 6,
  [Kind.ENUM]: 7,
  [Kind.LIST]: 8,
  [Kind.OBJECT]: 9,
};

function value(v: ValueNode): ObjectValue {
  let kind = valueKinds[v.kind] ?? 0;
  let raw = "";
  let children: Value[] | undefined;
  switch (v.kind) {
    case Kind.VARIABLE:
      raw = v.name.value;
      break;
    case Kind.INT:
    case Kind.FLOAT:
    case Kind.ENUM:
      raw = v.value;
      break;
    case Kind.STRING:
      raw = v.value;
      if (v.block) kind = 4;
      break;
    case Kind.BOOLEAN:
      raw = String(v.value);
      break;
    case Kind.NULL:
      raw = "null";
      break;
    case Kind.LIST:
      children = v.values.map((x) => ({ Name: "", Value: value(x) }));
      break;
    case Kind.OBJECT:
      children = v.fields.map((f) => ({ Name: f.name.value, Value: value(f.value) }));
      break;
  }
  return { Raw: raw, Children: children ?? null, Kind: kind, ExpectedTypeHasDefault: false };
}

function type(t: TypeNode): ObjectValue {
  if (t.kind === Kind.NON_NULL_TYPE) return { ...type(t.type), NonNull: true };
  if (t.kind === Kind.LIST_TYPE) return { NamedType: "", Elem: type(t.type), NonNull: false };
  return { NamedType: t.name.value, NonNull: false };
}

const list = <T>(xs: readonly T[] | undefined, f: (x: T) => Value): Value[] | null => (xs && xs.length ? xs.map(f) : null);

function directive(d: { name: { value: string }; arguments?: readonly { name: { value: string }; value: ValueNode }[] }): ObjectValue {
  return { Name: d.name.value, Arguments: list(d.arguments, argument), Location: "" };
}

function argument(a: { name: { value: string }; value: ValueNode }): ObjectValue {
  return { Name: a.name.value, Value: value(a.value) };
}

function selection(s: ASTNode): ObjectValue {
  switch (s.kind) {
    case Kind.FIELD:
      return {
        Alias: s.alias?.value ?? s.name.value,
        Name: s.name.value,
        Arguments: list(s.arguments, argument),
        Directives: list(s.directives, directive),
        SelectionSet: list(s.selectionSet?.selections, selection),
      };
    case Kind.FRAGMENT_SPREAD:
      return { Name: s.name.value, Directives: list(s.directives, directive) };
    case Kind.INLINE_FRAGMENT:
      return { TypeCondition: s.typeCondition?.name.value ?? "", Directives: list(s.directives, directive), SelectionSet: list(s.selectionSet.selections, selection) };
    default:
      return {};
  }
}

function variableDefinition(v: ASTNode): ObjectValue {
  if (v.kind !== Kind.VARIABLE_DEFINITION) return {};
  return {
    Variable: v.variable.name.value,
    Type: type(v.type),
    DefaultValue: v.defaultValue ? value(v.defaultValue) : null,
    Directives: list(v.directives, directive),
    Used: false,
  };
}

function queryDocument(doc: DocumentNode): ObjectValue {
  const ops: Value[] = [];
  const frags: Value[] = [];
  for (const d of doc.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) {
      ops.push({
        Operation: d.operation,
        Name: d.name?.value ?? "",
        VariableDefinitions: list(d.variableDefinitions, variableDefinition),
        Directives: list(d.directives, directive),
        SelectionSet: list(d.selectionSet.selections, selection),
      });
    } else if (d.kind === Kind.FRAGMENT_DEFINITION) {
      frags.push({
        Name: d.name.value,
        VariableDefinition: list(d.variableDefinitions, variableDefinition),
        TypeCondition: d.typeCondition.name.value,
        Directives: list(d.directives, directive),
        SelectionSet: list(d.selectionSet.selections, selection),
      });
    } else throw builtinError(`Unexpected ${d.kind} in GraphQL string at location ${d.loc?.startToken.line ?? 0}:${d.loc?.startToken.column ?? 0}`);
  }
  return { Operations: ops, Fragments: frags };
}

const description = (d: { description?: { value: string } | undefined }) => d.description?.value ?? "";

function argumentDefinition(a: ASTNode): ObjectValue {
  if (a.kind !== Kind.INPUT_VALUE_DEFINITION) return {};
  return { Description: description(a), Name: a.name.value, DefaultValue: a.defaultValue ? value(a.defaultValue) : null, Type: type(a.type), Directives: list(a.directives, directive) };
}

function fieldDefinition(f: ASTNode): ObjectValue {
  if (f.kind === Kind.INPUT_VALUE_DEFINITION) return argumentDefinition(f);
  if (f.kind !== Kind.FIELD_DEFINITION) return {};
  return { Description: description(f), Name: f.name.value, Arguments: list(f.arguments, argumentDefinition), Type: type(f.type), Directives: list(f.directives, directive) };
}

const definitionKinds: Partial<Record<string, string>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: "OBJECT",
  [Kind.OBJECT_TYPE_EXTENSION]: "OBJECT",
  [Kind.INTERFACE_TYPE_DEFINITION]: "INTERFACE",
  [Kind.INTERFACE_TYPE_EXTENSION]: "INTERFACE",
  [Kind.UNION_TYPE_DEFINITION]: "UNION",
  [Kind.UNION_TYPE_EXTENSION]: "UNION",
  [Kind.ENUM_TYPE_DEFINITION]: "ENUM",
  [Kind.ENUM_TYPE_EXTENSION]: "ENUM",
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: "INPUT_OBJECT",
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: "INPUT_OBJECT",
  [Kind.SCALAR_TYPE_DEFINITION]: "SCALAR",
  [Kind.SCALAR_TYPE_EXTENSION]: "SCALAR",
};

function typeDefinition(d: ASTNode): ObjectValue {
  const n = d as unknown as {
    kind: string;
    name: { value: string };
    description?: { value: string };
    directives?: readonly ASTNode[];
    interfaces?: readonly { name: { value: string } }[];
    fields?: readonly ASTNode[];
    types?: readonly { name: { value: string } }[];
    values?: readonly { name: { value: string }; description?: { value: string }; directives?: readonly ASTNode[] }[];
  };
  return {
    Kind: definitionKinds[n.kind]!,
    Description: description(n),
    Name: n.name.value,
    Directives: list(n.directives, (x) => directive(x as never)),
    Interfaces: list(n.interfaces, (i) => i.name.value),
    Fields: list(n.fields, fieldDefinition),
    Types: list(n.types, (t) => t.name.value),
    EnumValues: list(n.values, (e) => ({ Description: description(e), Name: e.name.value, Directives: list(e.directives, (x) => directive(x as never)) })),
    BuiltIn: false,
  };
}

function schemaDocument(doc: DocumentNode): ObjectValue {
  const out: Record<string, Value[]> = { Schema: [], SchemaExtension: [], Directives: [], Definitions: [], Extensions: [] };
  for (const d of doc.definitions) {
    switch (d.kind) {
      case Kind.SCHEMA_DEFINITION:
      case Kind.SCHEMA_EXTENSION:
        (d.kind === Kind.SCHEMA_DEFINITION ? out["Schema"]! : out["SchemaExtension"]!).push({
          Description: d.kind === Kind.SCHEMA_DEFINITION ? description(d) : "",
          Directives: list(d.directives, directive),
          OperationTypes: list(d.operationTypes, (o) => ({ Operation: o.operation, Type: o.type.name.value })),
        });
        break;
      case Kind.DIRECTIVE_DEFINITION:
        out["Directives"]!.push({
          Description: description(d),
          Name: d.name.value,
          Arguments: list(d.arguments, argumentDefinition),
          Locations: d.locations.map((l) => l.value),
          IsRepeatable: d.repeatable,
        });
        break;
      default:
        if (definitionKinds[d.kind] === undefined) throw builtinError(`Unexpected ${d.kind} in GraphQL string at location ${d.loc?.startToken.line ?? 0}:${d.loc?.startToken.column ?? 0}`);
        (d.kind.endsWith("Extension") ? out["Extensions"]! : out["Definitions"]!).push(typeDefinition(d));
    }
  }
  return out;
}

/** OPA's pruning: drop null values and empty arrays/objects, recursively. */
function prune(v: Value): Value | undefined {
  if (v === null) return undefined;
  if (Array.isArray(v)) {
    const out = v.map(prune).filter((x): x is Value => x !== undefined && !(isEmptyComposite(x)));
    return out;
  }
  if (isObject(v)) {
    const out: ObjectValue = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "Position") continue;
      const p = prune(x);
      if (p === undefined || isEmptyComposite(p)) continue;
      out[k] = p;
    }
    return out;
  }
  return v;
}

const isEmptyComposite = (v: Value) => (Array.isArray(v) ? v.length === 0 : isObject(v) ? Object.keys(v).length === 0 : false);

// ---- printing gqlparser-shaped objects back to text (object inputs) ----

function printValue(v: Value): string {
  if (!isObject(v)) return "null";
  const raw = String(v["Raw"] ?? "");
  const children = (v["Children"] as Value[] | undefined) ?? [];
  switch (v["Kind"]) {
    case 0:
      return "$" + raw;
    case 3:
    case 4:
      return JSON.stringify(raw);
    case 8:
      return "[" + children.map((c) => printValue((c as ObjectValue)["Value"]!)).join(", ") + "]";
    case 9:
      return "{" + children.map((c) => `${(c as ObjectValue)["Name"]}: ${printValue((c as ObjectValue)["Value"]!)}`).join(", ") + "}";
    default:
      return raw;
  }
}

function printType(t: Value | undefined): string {
  if (!isObject(t)) return "";
  const inner = t["Elem"] ? `[${printType(t["Elem"])}]` : String(t["NamedType"] ?? "");
  return inner + (t["NonNull"] ? "!" : "");
}

const arr = (v: Value | undefined): ObjectValue[] => (Array.isArray(v) ? (v.filter(isObject) as ObjectValue[]) : []);
const args = (v: Value | undefined) => {
  const a = arr(v);
  return a.length ? "(" + a.map((x) => `${x["Name"]}: ${printValue(x["Value"]!)}`).join(", ") + ")" : "";
};
const directives = (v: Value | undefined) => arr(v).map((d) => ` @${d["Name"]}${args(d["Arguments"])}`).join("");

function printSelections(v: Value | undefined): string {
  const sels = arr(v);
  if (!sels.length) return "";
  return (
    " { " +
    sels
      .map((s) => {
        if ("TypeCondition" in s && !("Alias" in s)) return `... on ${s["TypeCondition"]}${directives(s["Directives"])}${printSelections(s["SelectionSet"])}`;
        if (!("Alias" in s) && !("SelectionSet" in s) && !("Arguments" in s)) return `...${s["Name"]}${directives(s["Directives"])}`;
        const alias = s["Alias"] && s["Alias"] !== s["Name"] ? `${s["Alias"]}: ` : "";
        return `${alias}${s["Name"]}${args(s["Arguments"])}${directives(s["Directives"])}${printSelections(s["SelectionSet"])}`;
      })
      .join(" ") +
    " }"
  );
}

function printVariables(v: Value | undefined): string {
  const vars = arr(v);
  if (!vars.length) return "";
  return "(" + vars.map((x) => `$${x["Variable"]}: ${printType(x["Type"])}${x["DefaultValue"] ? " = " + printValue(x["DefaultValue"]) : ""}`).join(", ") + ")";
}

function printQuery(o: ObjectValue): string {
  const ops = arr(o["Operations"]).map((op) => `${op["Operation"] ?? "query"} ${op["Name"] ?? ""}${printVariables(op["VariableDefinitions"])}${directives(op["Directives"])}${printSelections(op["SelectionSet"])}`);
  const frags = arr(o["Fragments"]).map((f) => `fragment ${f["Name"]} on ${f["TypeCondition"]}${directives(f["Directives"])}${printSelections(f["SelectionSet"])}`);
  return [...ops, ...frags].join("\n");
}

function printArgDefs(v: Value | undefined): string {
  const a = arr(v);
  return a.length ? "(" + a.map((x) => `${desc(x)}${x["Name"]}: ${printType(x["Type"])}${x["DefaultValue"] ? " = " + printValue(x["DefaultValue"]) : ""}${directives(x["Directives"])}`).join(", ") + ")" : "";
}

const desc = (x: ObjectValue) => (x["Description"] ? JSON.stringify(x["Description"]) + " " : "");

function printDefinition(d: ObjectValue, extend: boolean): string {
  const kw = ({ OBJECT: "type", INTERFACE: "interface", UNION: "union", ENUM: "enum", INPUT_OBJECT: "input", SCALAR: "scalar" } as Record<string, string>)[String(d["Kind"])] ?? "type";
  const head = `${extend ? "extend " : desc(d)}${kw} ${d["Name"]}`;
  const ifaces = Array.isArray(d["Interfaces"]) && d["Interfaces"].length ? ` implements ${(d["Interfaces"] as string[]).join(" & ")}` : "";
  const dirs = directives(d["Directives"]);
  if (kw === "union") return `${head}${dirs} = ${((d["Types"] as string[]) ?? []).join(" | ")}`;
  if (kw === "scalar") return `${head}${dirs}`;
  if (kw === "enum") return `${head}${dirs} { ${arr(d["EnumValues"]).map((e) => `${desc(e)}${e["Name"]}${directives(e["Directives"])}`).join(" ")} }`;
  const fields = arr(d["Fields"]).map((f) => `${desc(f)}${f["Name"]}${printArgDefs(f["Arguments"])}: ${printType(f["Type"])}${f["DefaultValue"] ? " = " + printValue(f["DefaultValue"]) : ""}${directives(f["Directives"])}`);
  return `${head}${ifaces}${dirs} { ${fields.join(" ")} }`;
}

function printSchema(o: ObjectValue): string {
  const parts: string[] = [];
  for (const s of arr(o["Schema"])) parts.push(`${desc(s)}schema${directives(s["Directives"])} { ${arr(s["OperationTypes"]).map((t) => `${t["Operation"]}: ${t["Type"]}`).join(" ")} }`);
  for (const s of arr(o["SchemaExtension"])) parts.push(`extend schema${directives(s["Directives"])} { ${arr(s["OperationTypes"]).map((t) => `${t["Operation"]}: ${t["Type"]}`).join(" ")} }`);
  for (const d of arr(o["Directives"])) parts.push(`${desc(d)}directive @${d["Name"]}${printArgDefs(d["Arguments"])}${d["IsRepeatable"] ? " repeatable" : ""} on ${((d["Locations"] as string[]) ?? []).join(" | ")}`);
  for (const d of arr(o["Definitions"])) parts.push(printDefinition(d, false));
  for (const d of arr(o["Extensions"])) parts.push(printDefinition(d, true));
  return parts.join("\n");
}

// ---- builtins ----

function queryFrom(v: Value | undefined, pos: number): DocumentNode {
  if (typeof v === "string") return parseDoc(v, true);
  if (isObject(v)) return parseDoc(printQuery(v));
  throw operandError(pos, `must be one of {string, object} but got ${typeName(v)}`);
}

function schemaFrom(v: Value | undefined, pos: number): DocumentNode {
  if (typeof v === "string") return parseDoc(v);
  if (isObject(v)) return parseDoc(printSchema(v));
  throw operandError(pos, `must be one of {string, object} but got ${typeName(v)}`);
}

function checkQueryDoc(doc: DocumentNode): DocumentNode {
  queryDocument(doc);
  return doc;
}

function checkSchemaDoc(doc: DocumentNode): DocumentNode {
  schemaDocument(doc);
  return doc;
}

const extensionToDefinition: Partial<Record<string, Kind>> = {
  [Kind.OBJECT_TYPE_EXTENSION]: Kind.OBJECT_TYPE_DEFINITION,
  [Kind.INTERFACE_TYPE_EXTENSION]: Kind.INTERFACE_TYPE_DEFINITION,
  [Kind.UNION_TYPE_EXTENSION]: Kind.UNION_TYPE_DEFINITION,
  [Kind.ENUM_TYPE_EXTENSION]: Kind.ENUM_TYPE_DEFINITION,
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: Kind.INPUT_OBJECT_TYPE_DEFINITION,
  [Kind.SCALAR_TYPE_EXTENSION]: Kind.SCALAR_TYPE_DEFINITION,
};

/**
 * gqlparser lets a schema extend a type it never defines (the extension
 * then defines it); graphql-js rejects that, so such extensions become
 * definitions first.
 */
function definingExtensions(doc: DocumentNode): DocumentNode {
  const defined = new Set<string>();
  for (const d of doc.definitions) if ("name" in d && d.name && !d.kind.endsWith("Extension")) defined.add(d.name.value);
  const definitions: DefinitionNode[] = [];
  for (const d of doc.definitions) {
    const asDefinition = extensionToDefinition[d.kind];
    if (asDefinition && "name" in d && d.name && !defined.has(d.name.value)) {
      defined.add(d.name.value);
      definitions.push({ ...d, kind: asDefinition } as unknown as DefinitionNode);
    } else definitions.push(d);
  }
  return { ...doc, definitions };
}

/** Build and validate the schema; a failure is a builtin error. */
function buildSchema(doc: DocumentNode) {
  let schema;
  try {
    schema = buildASTSchema(definingExtensions(doc));
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw builtinError(`Error in gqlparser SchemaDocument to Schema conversion: ${msg}`);
  }
  // gqlparser does not require a Query root type
  const errors = validateSchema(schema).filter((e) => !/^Query root type must be provided/.test(e.message));
  if (errors.length) throw builtinError(`Error in gqlparser SchemaDocument to Schema conversion: ${errors[0]!.message}`);
  // checked above, minus the Query-root rule: mark it valid for validate()
  return buildASTSchema(definingExtensions(doc), { assumeValid: true, assumeValidSDL: true });
}

function validateQuery(schemaDoc: DocumentNode, queryDoc: DocumentNode): void {
  const schema = buildSchema(schemaDoc);
  const errors = validate(schema, queryDoc);
  if (errors.length) {
    const e = errors[0]!;
    const loc = e.locations?.[0];
    throw builtinError(`${e.message.replace(/\.$/, "")} in GraphQL string at location ${loc?.line ?? 0}:${loc?.column ?? 0}`);
  }
}

function parseBoth(q: Value | undefined, s: Value | undefined): [ObjectValue, ObjectValue] {
  const queryDoc = checkQueryDoc(queryFrom(q, 0));
  const schemaDoc = checkSchemaDoc(schemaFrom(s, 1));
  validateQuery(schemaDoc, queryDoc);
  return [prune(queryDocument(queryDoc)) as ObjectValue, prune(schemaDocument(schemaDoc)) as ObjectValue];
}

const succeeds = (f: () => unknown): boolean => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

export const graphqlBuiltins: Record<string, BuiltinImpl> = {
  "graphql.parse_query": (q) => {
    if (typeof q !== "string") throw operandError(1, `must be string but got ${typeName(q)}`);
    return prune(queryDocument(parseDoc(q))) as ObjectValue;
  },
  "graphql.parse_schema": (s) => {
    if (typeof s !== "string") throw operandError(1, `must be string but got ${typeName(s)}`);
    return prune(schemaDocument(parseDoc(s))) as ObjectValue;
  },
  "graphql.parse": (q, s) => parseBoth(q, s),
  "graphql.parse_and_verify"(q, s) {
    try {
      const [query, schema] = parseBoth(q, s);
      return [true, query, schema];
    } catch {
      return [false, {}, {}];
    }
  },
  "graphql.is_valid": (q, s) => succeeds(() => parseBoth(q, s)),
  "graphql.schema_is_valid": (s) => succeeds(() => buildSchema(checkSchemaDoc(schemaFrom(s, 0)))),
};
