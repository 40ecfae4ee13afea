// The parts of the WebAssembly JS API the Wasm back end's tests use (the
// project compiles without the DOM library, which is where TypeScript
// declares them).
declare namespace WebAssembly {
  interface ModuleExportDescriptor {
    name: string;
    kind: string;
  }
  interface ModuleImportDescriptor {
    module: string;
    name: string;
    kind: string;
  }
  class Module {
    constructor(bytes: Uint8Array | ArrayBuffer);
    static exports(m: Module): ModuleExportDescriptor[];
    static imports(m: Module): ModuleImportDescriptor[];
  }
  class Instance {
    constructor(m: Module, imports?: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class Global {
    readonly value: any;
  }
  function validate(bytes: Uint8Array | ArrayBuffer): boolean;
}
