// The I/O window of one instance of the core (assembly/aead/memory.ts): the
// region at the heap base through which every call passes its data, grown on
// demand, as the AES-256-GCM / XChaCha20-Poly1305 facade (gcm.ts, through
// one-shot.ts) and the ChaCha20-Poly1305 / STREAM facade (aead.ts) see it.
//
// The Uint8Array view of memory is cached: reading `memory.buffer` costs
// ~50 ns on V8, as much as a sixth of the core's work on a 64-byte message,
// so the view is re-created only when it is detached, which is what
// memory.grow does to the old buffer.

// The facades' argument check (errors.ts), under the name they import it by.
export { assertLength as checkLength } from "../errors.js";

/** wasm32 memory ends at 4 GiB; sizes past it would wrap when passed as i32. */
const MAX_MEMORY = 2 ** 32;

export interface IoExports {
  readonly memory: WebAssembly.Memory;
  aead_reserve(bytes: number): number;
}

export interface IoWindow {
  /** Address of the window. */
  readonly io: number;
  /** The memory view with at least `bytes` of window, growing memory if needed. */
  view(bytes: number): Uint8Array;
}

export function ioWindow(x: IoExports): IoWindow {
  const io = x.aead_reserve(0);
  let mem = new Uint8Array(x.memory.buffer);
  return {
    io,
    view(bytes: number): Uint8Array {
      if (mem.byteLength === 0) mem = new Uint8Array(x.memory.buffer); // grown elsewhere: the old buffer is detached
      if (io + bytes > mem.length) {
        if (io + bytes > MAX_MEMORY || x.aead_reserve(bytes) === 0) throw new RangeError(`cannot grow WebAssembly memory to ${io + bytes} bytes`);
        if (mem.buffer !== x.memory.buffer) mem = new Uint8Array(x.memory.buffer);
      }
      return mem;
    },
  };
}
