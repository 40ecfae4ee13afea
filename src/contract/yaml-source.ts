// YAML documents that remember where each value came from: ajv reports a
// JSON pointer (instancePath); this maps it back to the node's line and
// column through the yaml CST ranges and a LineCounter.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from "yaml";
import type { SourceProblem } from "./problems.js";

export interface YamlSource {
  file: string;
  /** the file's text */
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** the document as plain JS (undefined when it did not parse) */
  value: unknown;
  /** syntax errors and duplicate keys */
  problems: SourceProblem[];
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lines = new LineCounter();
  // uniqueKeys: a repeated key is an error, never a silent override;
  // maxAliasCount bounds alias expansion (billion laughs)
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const problems: SourceProblem[] = [];
  for (const err of [...doc.errors, ...doc.warnings.filter((w) => w.code !== "TAG_RESOLVE_FAILED")]) {
    const pos = lines.linePos(err.pos[0]);
    problems.push({ file, line: pos.line, col: pos.col, message: `YAML ${doc.errors.includes(err) ? "error" : "warning"}: ${err.message.split("\n")[0]}`, path: "" });
  }
  let value: unknown;
  if (doc.errors.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      problems.push({ file, line: 1, col: 1, message: `YAML error: ${(err as Error).message}`, path: "" });
    }
  }
  return { file, text, doc, lines, value, problems };
}

function decodePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function pairFor(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

/** The node at a JSON pointer, and the deepest node found on the way (for
 *  pointers into values YAML left empty). With `key`, the key node of that
 *  property of the object at the pointer. */
export function locate(src: YamlSource, pointer: string, key?: string): { line: number; col: number } {
  let node: unknown = src.doc.contents;
  let last: Node | undefined = (src.doc.contents as Node | null) ?? undefined;
  for (const seg of decodePointer(pointer)) {
    if (isMap(node)) {
      const pair = pairFor(node, seg);
      if (!pair) break;
      last = (pair.key as Node) ?? last;
      node = pair.value;
      if (node && (node as Node).range) last = node as Node;
    } else if (isSeq(node)) {
      node = node.items[Number(seg)];
      if (node && (node as Node).range) last = node as Node;
      else break;
    } else {
      break;
    }
  }
  if (key !== undefined) {
    const pair = pairFor(node, key);
    if (pair && (pair.key as Node)?.range) last = pair.key as Node;
  }
  const offset = last?.range?.[0] ?? 0;
  return src.lines.linePos(offset);
}

/** Where line `bodyLine` (0-based), column `bodyCol` (1-based) of a string
 *  value lies in the file: block scalars (`|`, `>`) start on the line after
 *  their indicator, at the block's indentation. */
export function locateInString(src: YamlSource, pointer: string, bodyLine: number, bodyCol: number): { line: number; col: number } {
  let node: unknown = src.doc.contents;
  for (const seg of decodePointer(pointer)) {
    if (isMap(node)) node = pairFor(node, seg)?.value;
    else if (isSeq(node)) node = node.items[Number(seg)];
    else node = undefined;
  }
  if (!isScalar(node) || !node.range) return locate(src, pointer);
  const start = src.lines.linePos(node.range[0]);
  if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
    const line = start.line + 1 + bodyLine;
    const lineStart = src.lines.lineStarts[line - 1];
    const text = lineStart === undefined ? "" : src.text.slice(lineStart).split("\n")[0]!;
    const indent = text.search(/\S/);
    return { line, col: (indent < 0 ? 0 : indent) + bodyCol };
  }
  return { line: start.line + bodyLine, col: bodyLine === 0 ? start.col + bodyCol : bodyCol };
}
