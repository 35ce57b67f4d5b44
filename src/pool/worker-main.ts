// The code each pool worker runs (API.md "Several cores"): its own instance
// of the WebAssembly core, the payload keys of the streams it serves, and
// runs of age STREAM chunks (C2SP age.md "Payload"; age-rt v0.2 frames)
// opened or sealed in that instance.
//
// poolWorkerMain is started from its source text (hosts.ts puts
// `(${poolWorkerMain})(post, listen)` in a Blob, or in worker_threads' eval),
// so the worker needs no file of its own, which bundlers and the npm layout
// would have to place: it must not refer to anything outside its own body
// (no imports, no module-level names) and must stay plain ES2022.
//
// Messages: "init" (the compiled module, or its
// bytes where a host cannot post modules), "key"/"drop" (a stream's payload
// key, sent once per stream and worker, wiped on "drop"), "job": a run
// in an ArrayBuffer transferred here and back, and any message a host
// extension registered for (hosts.ts; the Node host's "claim": file runs,
// file-runs-worker.ts), run with this worker's instance. Opening writes the plaintext
// of the chunks that authenticated at the start of that buffer, so the
// sealed bytes from the first failing chunk on are still in place for the
// caller's single-threaded decoder, which words the error.

/** What a host extension gets of the worker: its instance, and the helpers below. */
export interface WorkerCore {
  exports: any;
  /** The instance's memory as bytes (a fresh view after it grew). */
  memory(): Uint8Array;
  /** The I/O window, at least `bytes` long; memory grows only here. */
  reserve(bytes: number): number;
  /** Puts stream `stream`'s payload key where the core reads it (wiped by the core's next call). */
  setKey(stream: number): void;
  /** Stream `stream`'s payload key itself, for an extension that does not use the core (not to be kept: "drop" wipes it). */
  key(stream: number): Uint8Array;
}

/** The worker side; `post` and `listen` are the host's message port; `extensions`, a host's own jobs. */
export function poolWorkerMain(
  post: (msg: unknown, transfer?: ArrayBuffer[]) => void,
  listen: (fn: (msg: any) => void) => void,
  extensions: Record<string, (msg: any, worker: WorkerCore) => number> = {},
): void {
  const TAG = 16;
  const TWO_32 = 2 ** 32;
  let x: any = null; // the instance's exports
  let mem = new Uint8Array(0);
  const keys = new Map<number, Uint8Array>();

  const view = (): Uint8Array => (mem.buffer === x.memory.buffer ? mem : (mem = new Uint8Array(x.memory.buffer)));

  /** The I/O window, at least `bytes` long (memory grows only here, so views stay valid for the job). */
  function reserve(bytes: number): number {
    const io = x.aead_reserve(bytes) >>> 0;
    if (io === 0) throw new RangeError(`cannot grow WebAssembly memory to ${bytes} bytes`);
    view();
    return io;
  }

  function key(stream: number): Uint8Array {
    const k = keys.get(stream);
    if (k === undefined) throw new Error(`no key for stream ${stream}`);
    return k;
  }

  function setKey(stream: number): void {
    mem.set(key(stream), x.aead_key_ptr() >>> 0); // the core wipes it before every return
  }

  const hi = (c: number) => Math.floor(c / TWO_32);
  const lo = (c: number) => c >>> 0;

  /**
   * age v1: n sealed chunks of size + 16 → plaintext at the start of buf; returns how many authenticated.
   * One chunk at a time through a window of one chunk, so what the core reads and writes stays in
   * this core's cache and one chunk's worth is wiped at the end.
   */
  function openChunks(job: any, buf: Uint8Array): number {
    const stride = job.size + TAG;
    const io = reserve(stride);
    let opened = 0;
    for (; opened < job.n; opened++) {
      mem.set(buf.subarray(opened * stride, (opened + 1) * stride), io);
      const c = job.counter + opened;
      setKey(job.stream);
      if (x.aead_stream_open(io, job.size, hi(c), lo(c), 0) === 0) break;
      buf.set(mem.subarray(io, io + job.size), opened * job.size); // ends at or before the next sealed chunk
    }
    mem.fill(0, io, io + stride);
    return opened;
  }

  /** age-rt: frames (4-byte length, sealed chunk) → plaintext at the start of buf; stops at the first that fails as non-final. */
  function openFrames(job: any, buf: Uint8Array): number {
    const io = reserve(job.bytes);
    mem.set(buf.subarray(0, job.bytes), io);
    let at = 0;
    let out = 0;
    let opened = 0;
    for (; opened < job.n; opened++) {
      const len = ((mem[io + at]! << 24) | (mem[io + at + 1]! << 16) | (mem[io + at + 2]! << 8) | mem[io + at + 3]!) >>> 0;
      const body = io + at + 4;
      const c = job.counter + opened;
      setKey(job.stream);
      if (x.aead_stream_open(body, len - TAG, hi(c), lo(c), 0) === 0) break;
      buf.set(mem.subarray(body, body + len - TAG), out); // out ≤ at: frames after this one stay in place
      out += len - TAG;
      at += 4 + len;
    }
    mem.fill(0, io, io + job.bytes);
    return opened;
  }

  /**
   * age v1: n chunks of `size` plaintext at the start of buf → n frames of size + 16 filling it.
   * Last chunk first: sealed chunk i covers only plaintext chunks i and after, already read.
   */
  function sealChunks(job: any, buf: Uint8Array): number {
    const stride = job.size + TAG;
    const io = reserve(stride);
    for (let i = job.n - 1; i >= 0; i--) {
      mem.set(buf.subarray(i * job.size, (i + 1) * job.size), io);
      const c = job.counter + i;
      setKey(job.stream);
      x.aead_stream_seal(io, job.size, hi(c), lo(c), 0);
      buf.set(mem.subarray(io, io + stride), i * stride);
    }
    mem.fill(0, io, io + stride);
    return job.n;
  }

  /** age-rt: plaintext pieces of job.lens bytes at the start of buf → length-prefixed frames filling it. */
  function sealFrames(job: any, buf: Uint8Array): number {
    const io = reserve(job.bytes);
    let from = 0;
    let at = 0;
    for (let i = 0; i < job.n; i++) {
      const len = job.lens[i];
      mem.set(buf.subarray(from, from + len), io + at + 4);
      from += len;
      at += 4 + len + TAG;
    }
    at = 0;
    for (let i = 0; i < job.n; i++) {
      const len = job.lens[i];
      const sealed = len + TAG;
      mem[io + at] = sealed >>> 24;
      mem[io + at + 1] = (sealed >>> 16) & 255;
      mem[io + at + 2] = (sealed >>> 8) & 255;
      mem[io + at + 3] = sealed & 255;
      const c = job.counter + i;
      setKey(job.stream);
      x.aead_stream_seal(io + at + 4, len, hi(c), lo(c), 0);
      at += 4 + sealed;
    }
    buf.set(mem.subarray(io, io + at));
    mem.fill(0, io, io + at);
    return job.n;
  }

  listen((msg) => {
    switch (msg.t) {
      case "init": {
        const module = msg.module ?? new WebAssembly.Module(msg.bytes);
        x = new WebAssembly.Instance(module, {}).exports;
        view();
        return;
      }
      case "key":
        keys.set(msg.stream, msg.key);
        return;
      case "drop":
        keys.get(msg.stream)?.fill(0);
        keys.delete(msg.stream);
        return;
      default: {
        // A host extension's job (hosts.ts: the Node host's file runs): it answers with a count, as a job does.
        const ext = extensions[msg.t];
        if (ext === undefined) return;
        try {
          post({ t: "done", id: msg.id, done: ext(msg, { exports: x, memory: view, reserve, setKey, key }) });
        } catch (e) {
          post({ t: "failed", id: msg.id, message: String((e as Error)?.message ?? e) });
        }
        return;
      }
      case "job": {
        const buf = new Uint8Array(msg.buf);
        try {
          const run = msg.op === "open" ? (msg.lens === null ? openChunks : openFrames) : msg.lens === null ? sealChunks : sealFrames;
          const done = run(msg, buf);
          post({ t: "done", id: msg.id, buf: msg.buf, done }, [msg.buf]);
        } catch (e) {
          buf.fill(0);
          post({ t: "failed", id: msg.id, message: String((e as Error)?.message ?? e) });
        }
        return;
      }
    }
  });
}
