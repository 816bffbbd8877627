/**
 * Where a WebAssembly build of QuickJS keeps its state in linear memory, read from the module's
 * own bytes. The emscripten/wasm-ld layout is: static data from address 1024 (initialised data,
 * then zero-initialised bss), then the C stack growing down from `stackTop`, then the malloc heap
 * from `stackTop` upwards to the current break (sbrk).
 */
export interface WasmLayout {
  /** Initial value of the stack pointer (global 0): the top of the C stack and the heap's base. */
  stackTop: number;
  /** End of the highest initialised data segment (bss follows it). */
  dataEnd: number;
}

/** Reads the stack pointer's initial value and the data segments' extent from a .wasm file. */
export function readWasmLayout(bytes: Uint8Array): WasmLayout {
  let at = 8;
  const u32 = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++]!;
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if ((byte & 0x80) === 0) return result;
    }
  };
  const i32 = (): number => {
    let result = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[at++]!;
      result |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return shift < 32 && (byte & 0x40) !== 0 ? result | (-1 << shift) : result;
  };
  /** An i32.const constant expression (opcode 0x41 ... end 0x0b). */
  const constExpression = (): number => {
    if (bytes[at++] !== 0x41) throw new Error('wasm layout: a constant expression that is not i32.const');
    const value = i32();
    if (bytes[at++] !== 0x0b) throw new Error('wasm layout: unterminated constant expression');
    return value;
  };
  let stackTop: number | undefined;
  let dataEnd = 0;
  while (at < bytes.length) {
    const id = bytes[at++]!;
    const size = u32();
    const end = at + size;
    if (id === 6) {
      // The first global is the stack pointer (mutable i32) in emscripten builds.
      u32();
      const type = bytes[at++];
      const mutable = bytes[at++];
      if (type !== 0x7f || mutable !== 1) throw new Error('wasm layout: global 0 is not a mutable i32 stack pointer');
      stackTop = constExpression();
    } else if (id === 11) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        const flags = u32();
        if (flags !== 0) throw new Error(`wasm layout: data segment ${i} is not active in memory 0`);
        const offset = constExpression();
        const length = u32();
        dataEnd = Math.max(dataEnd, offset + length);
        at += length;
      }
    }
    at = end;
  }
  if (stackTop === undefined || dataEnd === 0 || stackTop <= dataEnd) throw new Error('wasm layout: no stack pointer or data above it');
  return { stackTop, dataEnd };
}
