// Links generated functions and data into the prebuilt runtime module
// without disturbing it: new types, functions and one data segment are
// appended after the runtime's own (so no existing index shifts), the export
// section is replaced, and a start function is set.
import { ByteWriter } from "./encoder.js";
import { type Export, type FuncType, type ParsedModule, SECTION } from "./reader.js";

export interface GeneratedFunc {
  /** index into the final type section */
  type: number;
  /** its name in the module's name section: shown in stack traces and
   *  profiles instead of `wasm-function[N]` */
  name: string;
  /** code entry contents: local declarations, expression, `end` */
  body: Uint8Array;
}

export interface LinkInput {
  runtime: ParsedModule;
  /** types appended after the runtime's */
  types: FuncType[];
  /** functions appended after the runtime's, in index order */
  funcs: GeneratedFunc[];
  /** the complete export list of the linked module */
  exports: Export[];
  /** function index of the start function */
  start: number;
  /** contents of one passive data segment, appended after the runtime's */
  data: Uint8Array;
}

/** The bytes after a section's leading element count. */
function afterCount(body: Uint8Array): Uint8Array {
  let i = 0;
  while (body[i]! & 0x80) i++;
  return body.subarray(i + 1);
}

function encodeType(w: ByteWriter, t: FuncType): void {
  w.u8(0x60);
  w.u32(t.params.length);
  for (const p of t.params) w.u8(p);
  w.u32(t.results.length);
  for (const r of t.results) w.u8(r);
}

function section(out: ByteWriter, id: number, body: ByteWriter | Uint8Array): void {
  out.u8(id);
  if (body instanceof ByteWriter) out.sized(body);
  else {
    out.u32(body.length);
    out.bytes(body);
  }
}

export function link(input: LinkInput): Uint8Array {
  const rt = input.runtime;
  const raw = new Map<number, Uint8Array>();
  for (const s of rt.sections) if (s.id !== SECTION.custom) raw.set(s.id, s.body);

  const out = new ByteWriter(rt.codeEntries.length + input.data.length + 4096 + input.funcs.reduce((n, f) => n + f.body.length + 5, 0));
  out.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

  // types
  {
    const w = new ByteWriter(256);
    w.u32(rt.types.length + input.types.length);
    const old = raw.get(SECTION.type);
    if (old) w.bytes(afterCount(old));
    for (const t of input.types) encodeType(w, t);
    section(out, SECTION.type, w);
  }
  const imports = raw.get(SECTION.import);
  if (imports) section(out, SECTION.import, imports);
  // functions
  {
    const w = new ByteWriter(rt.funcTypes.length * 2 + input.funcs.length * 2 + 8);
    w.u32(rt.funcTypes.length + input.funcs.length);
    const old = raw.get(SECTION.function);
    if (old) w.bytes(afterCount(old));
    for (const f of input.funcs) w.u32(f.type);
    section(out, SECTION.function, w);
  }
  for (const id of [SECTION.table, SECTION.memory, SECTION.global]) {
    const body = raw.get(id);
    if (body) section(out, id, body);
  }
  // exports
  {
    const w = new ByteWriter(1024);
    w.u32(input.exports.length);
    for (const e of input.exports) {
      w.name(e.name);
      w.u8(e.kind);
      w.u32(e.index);
    }
    section(out, SECTION.export, w);
  }
  {
    const w = new ByteWriter(8);
    w.u32(input.start);
    section(out, SECTION.start, w);
  }
  const elements = raw.get(SECTION.element);
  if (elements) section(out, SECTION.element, elements);
  // data count: required by memory.init
  {
    const w = new ByteWriter(8);
    w.u32(rt.dataCount + 1);
    section(out, SECTION.dataCount, w);
  }
  // code
  {
    let size = rt.codeEntries.length + 10;
    for (const f of input.funcs) size += f.body.length + 5;
    const w = new ByteWriter(size);
    w.u32(rt.codeCount + input.funcs.length);
    w.bytes(rt.codeEntries);
    for (const f of input.funcs) {
      w.u32(f.body.length);
      w.bytes(f.body);
    }
    section(out, SECTION.code, w);
  }
  // data
  {
    const w = new ByteWriter(rt.dataEntries.length + input.data.length + 16);
    w.u32(rt.dataCount + 1);
    w.bytes(rt.dataEntries);
    w.u8(0x01); // passive
    w.u32(input.data.length);
    w.bytes(input.data);
    section(out, SECTION.data, w);
  }
  // names (custom section, after the known ones as the spec asks): the
  // generated functions are named after their Rego rules, so a trap's stack
  // or a CPU profile names the rule; the runtime's own stay unnamed.
  {
    const names = new ByteWriter(64 + input.funcs.reduce((n, f) => n + f.name.length + 8, 0));
    names.u32(input.funcs.length);
    const first = rt.importedFuncs + rt.funcTypes.length;
    input.funcs.forEach((f, i) => {
      names.u32(first + i);
      names.name(f.name);
    });
    const w = new ByteWriter(64);
    w.name("name");
    w.u8(1); // function names
    w.sized(names);
    section(out, SECTION.custom, w);
  }
  return out.result();
}
