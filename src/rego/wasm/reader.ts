// Reads the parts of a Wasm module that the linker rewrites (types,
// imports, functions, exports, code, data); every other section is kept as
// raw bytes.
export interface FuncType {
  params: number[];
  results: number[];
}

export interface Import {
  module: string;
  name: string;
  kind: number;
  /** type index for functions */
  type: number;
}

export interface Export {
  name: string;
  kind: number;
  index: number;
}

export interface RawSection {
  id: number;
  body: Uint8Array;
}

export interface ParsedModule {
  sections: RawSection[];
  types: FuncType[];
  imports: Import[];
  importedFuncs: number;
  /** type index of each defined function */
  funcTypes: number[];
  exports: Export[];
  /** code section: entry count and the entries' bytes after the count */
  codeCount: number;
  codeEntries: Uint8Array;
  /** byte range of each defined function's body (offsets into codeEntries, after the size prefix) */
  codeBodies: { start: number; end: number }[];
  dataCount: number;
  dataEntries: Uint8Array;
  start: number | undefined;
}

export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

export const KIND = { func: 0, table: 1, memory: 2, global: 3 } as const;

class Reader {
  constructor(
    readonly b: Uint8Array,
    public pos = 0,
  ) {}

  u8(): number {
    return this.b[this.pos++]!;
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.b[this.pos++]!;
      result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  s32(): number {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.b[this.pos++]!;
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (shift < 32 && byte & 0x40) result |= ~0 << shift;
    return result | 0;
  }

  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }

  skipLimits(): void {
    const flags = this.u8();
    this.u32();
    if (flags & 1) this.u32();
  }
}

export function parseModule(bytes: Uint8Array): ParsedModule {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error("not a Wasm module");
  const r = new Reader(bytes, 8);
  const m: ParsedModule = {
    sections: [],
    types: [],
    imports: [],
    importedFuncs: 0,
    funcTypes: [],
    exports: [],
    codeCount: 0,
    codeEntries: new Uint8Array(0),
    codeBodies: [],
    dataCount: 0,
    dataEntries: new Uint8Array(0),
    start: undefined,
  };
  while (r.pos < bytes.length) {
    const id = r.u8();
    const size = r.u32();
    const body = bytes.subarray(r.pos, r.pos + size);
    r.pos += size;
    m.sections.push({ id, body });
    const s = new Reader(body);
    switch (id) {
      case SECTION.type:
        for (let n = s.u32(); n > 0; n--) {
          if (s.u8() !== 0x60) throw new Error("unsupported type form");
          const params: number[] = [];
          for (let k = s.u32(); k > 0; k--) params.push(s.u8());
          const results: number[] = [];
          for (let k = s.u32(); k > 0; k--) results.push(s.u8());
          m.types.push({ params, results });
        }
        break;
      case SECTION.import:
        for (let n = s.u32(); n > 0; n--) {
          const module = s.name();
          const name = s.name();
          const kind = s.u8();
          let type = -1;
          if (kind === KIND.func) {
            type = s.u32();
            m.importedFuncs++;
          } else if (kind === KIND.table) {
            s.u8();
            s.skipLimits();
          } else if (kind === KIND.memory) s.skipLimits();
          else if (kind === KIND.global) {
            s.u8();
            s.u8();
          }
          m.imports.push({ module, name, kind, type });
        }
        break;
      case SECTION.function:
        for (let n = s.u32(); n > 0; n--) m.funcTypes.push(s.u32());
        break;
      case SECTION.export:
        for (let n = s.u32(); n > 0; n--) {
          const name = s.name();
          const kind = s.u8();
          m.exports.push({ name, kind, index: s.u32() });
        }
        break;
      case SECTION.start:
        m.start = s.u32();
        break;
      case SECTION.code: {
        m.codeCount = s.u32();
        m.codeEntries = body.subarray(s.pos);
        const c = new Reader(m.codeEntries);
        for (let i = 0; i < m.codeCount; i++) {
          const len = c.u32();
          m.codeBodies.push({ start: c.pos, end: c.pos + len });
          c.pos += len;
        }
        break;
      }
      case SECTION.data:
        m.dataCount = s.u32();
        m.dataEntries = body.subarray(s.pos);
        break;
    }
  }
  return m;
}

/** The constant a function returns when its body is just `i32.const c`
 *  (how the runtime reports its static data end). */
export function constantResult(m: ParsedModule, funcIndex: number): number {
  const body = m.codeBodies[funcIndex - m.importedFuncs];
  if (!body) throw new Error(`no body for function ${funcIndex}`);
  const r = new Reader(m.codeEntries, body.start);
  if (r.u32() !== 0) throw new Error("constant function has locals");
  if (r.u8() !== 0x41) throw new Error("constant function does not start with i32.const");
  const v = r.s32();
  if (r.u8() !== 0x0b) throw new Error("constant function is not a single constant");
  return v;
}
