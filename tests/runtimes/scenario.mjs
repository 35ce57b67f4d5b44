// The runtime scenario: one table of cases (built by tests/runtimes/cases.ts
// in Node) run inside each runtime under test — workerd, Deno, Bun, Node
// --jitless — against the built package, using only web APIs (atob/btoa,
// crypto.subtle, WHATWG streams, performance.now), so the same file runs
// everywhere. Node then checks the results (plaintext hashes, and decrypts
// what the runtime encrypted).
//
// Each case names an op:
//   decrypt — file (base64) with AgeAutoDecoder(decoder), via "bytes"
//             (decodeBytes), "stream" (decryptStream fed `piece`-byte pieces),
//             "readable" (decryptReadable over a byte stream of such pieces)
//             or "aiter" (aiterDecodeChunks); returns the plaintext's SHA-256,
//             or the error's name and whether it is a typed DecodeError.
//   encrypt — plain (base64) with an encoder, via "bytes" (encodeBytes),
//             "stream" (encryptStream) or "readable" (encryptReadable);
//             returns the file (base64).
//   throughput — encrypts `size` random bytes to a fresh identity here, then
//             decrypts them (decodeBytes) timing it; checks the bytes; MB/s.
//   cryptio-decrypt — a crypt-io stream (base64) with `key` (hex), through
//             the age-rt/crypt-io module: cryptIoDecrypt, or "stream"
//             (the main entry's decryptStream with a CryptIoDecoder);
//             returns the SHA-256 or the typed error, as decrypt does.
//   cryptio-encrypt — plain (base64) with cryptIoEncrypt(plain, key, opts);
//             returns the stream (base64).
//
// Which core ran: WebAssembly.Instance is wrapped to count the instances the
// library makes (it creates them through the global at call time). The
// browser tests' worker uses that counter too.

export const fromB64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
function toB64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** The parts as one array (through a Blob: every runtime here has one). */
const joined = async (parts) => new Uint8Array(await new Blob(parts).arrayBuffer());

async function sha256(parts) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await joined(parts)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A ReadableStream handing out `bytes` in `piece`-byte pieces; with `type`
 * "bytes" a byte stream, as fetch and request bodies are.
 */
function piecesOf(bytes, piece, type) {
  let i = 0;
  return new ReadableStream({
    type,
    pull(c) {
      if (i >= bytes.length) {
        c.close();
        c.byobRequest?.respond(0); // a BYOB read still waiting is answered (Streams spec, "close")
        return;
      }
      c.enqueue(bytes.slice(i, i + piece)); // copies: each piece its own buffer, as a body's would be
      i += piece;
    },
  });
}

async function collect(stream) {
  const out = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

export const fromHex = (h) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

function encoderFor(age, spec) {
  const Enc = spec.format === "age-rt" ? age.AgeRTEncoder : age.AgeEncoder;
  if (spec.recipients) return Enc.fromRecipients(spec.recipients);
  return Enc.fromPassphrase(spec.passphrase, { workFactor: spec.workFactor });
}

const OPS = {
  async decrypt(age, c) {
    const file = fromB64(c.file);
    const dec = new age.AgeAutoDecoder(c.decoder);
    try {
      let parts;
      if (c.via === "stream") parts = await collect(piecesOf(file, c.piece ?? 4096).pipeThrough(age.decryptStream(dec)));
      else if (c.via === "readable") parts = await collect(age.decryptReadable(piecesOf(file, c.piece ?? 4096, "bytes"), dec));
      else if (c.via === "aiter") {
        parts = [];
        for await (const p of age.aiterDecodeChunks(collectAsIterable(file, c.piece ?? 4096), dec)) parts.push(p);
      } else parts = [...age.decodeBytes(file, dec)];
      return { sha256: await sha256(parts), chunks: parts.length };
    } catch (e) {
      return { error: e?.name ?? String(e), typed: e instanceof age.DecodeError, message: String(e?.message ?? e) };
    }
  },

  async encrypt(age, c) {
    const plain = fromB64(c.plain);
    const enc = encoderFor(age, c.encoder);
    const parts = c.via === "stream"
      ? await collect(piecesOf(plain, c.piece ?? 4096).pipeThrough(age.encryptStream(enc)))
      : c.via === "readable"
        ? await collect(age.encryptReadable(piecesOf(plain, c.piece ?? 4096), enc))
        : [age.encodeBytes([plain], enc)];
    return { file: toB64(await joined(parts)) };
  },

  async "cryptio-decrypt"(age, c, { cryptIo }) {
    const file = fromB64(c.file);
    const key = fromHex(c.key);
    try {
      const parts = c.via === "stream"
        ? await collect(piecesOf(file, c.piece ?? 4096).pipeThrough(age.decryptStream(new cryptIo.CryptIoDecoder(key))))
        : [cryptIo.cryptIoDecrypt(file, key)];
      return { sha256: await sha256(parts) };
    } catch (e) {
      return { error: e?.name ?? String(e), typed: e instanceof cryptIo.DecodeError, message: String(e?.message ?? e) };
    }
  },

  async "cryptio-encrypt"(age, c, { cryptIo }) {
    return { file: toB64(cryptIo.cryptIoEncrypt(fromB64(c.plain), fromHex(c.key), c.options)) };
  },

  async throughput(age, c) {
    const plain = new Uint8Array(c.size);
    for (let i = 0; i < plain.length; i += 65536) crypto.getRandomValues(plain.subarray(i, i + 65536));
    const identity = age.generateIdentity();
    const file = age.encodeBytes([plain], age.AgeEncoder.fromRecipients([age.identityToRecipient(identity)]));
    let best = Infinity;
    let same = true;
    for (let r = 0; r < (c.rounds ?? 3); r++) {
      const t0 = performance.now();
      const parts = [...age.decodeBytes(file, new age.AgeAutoDecoder({ identities: [identity] }))];
      const ms = performance.now() - t0;
      best = Math.min(best, ms);
      same &&= equal(await joined(parts), plain);
    }
    // Hosts that freeze the clock during a request (workerd) report 0 ms: no figure then.
    return { same, mbps: best > 0 ? c.size / 2 ** 20 / (best / 1000) : null };
  },
};

function* collectAsIterable(bytes, piece) {
  for (let i = 0; i < bytes.length; i += piece) yield bytes.slice(i, i + piece);
}

function equal(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Counts `new WebAssembly.Instance(...)` from now on; returns the reader. */
export function countInstances() {
  if (typeof WebAssembly !== "object") return () => 0;
  const Real = WebAssembly.Instance;
  let n = 0;
  WebAssembly.Instance = new Proxy(Real, {
    construct(target, args, newTarget) {
      n++;
      return Reflect.construct(target, args, newTarget === WebAssembly.Instance ? target : newTarget);
    },
  });
  return () => n;
}

/**
 * Runs `input.cases` with the library module `age` (the built package's main
 * entry) and `more.cryptIo` (its age-rt/crypt-io entry). Reports how many
 * WebAssembly instances the cases made and what ready() did afterwards (it
 * rejects where compiling bytes is refused and no module was handed to
 * init()).
 */
export async function runScenario(age, input, more = {}) {
  const instances = countInstances();
  const results = [];
  for (const c of input.cases) {
    const op = OPS[c.op];
    if (op === undefined) throw new Error(`unknown op ${c.op}`);
    if (c.op.startsWith("cryptio-") && more.cryptIo === undefined) throw new Error(`${c.op}: no crypt-io module given`);
    results.push({ name: c.name, ...(await op(age, c, more)) });
  }
  const wasmInstances = instances(); // before ready(), which may warm instances up itself
  let readyOutcome;
  try {
    await age.ready();
    readyOutcome = "resolved";
  } catch (e) {
    readyOutcome = `${e?.name} ${e instanceof age.AgeRTError}: ${e?.message} (cause: ${e?.cause})`;
  }
  return {
    webAssembly: typeof WebAssembly,
    wasmInstances,
    ready: readyOutcome,
    userAgent: globalThis.navigator?.userAgent ?? null,
    results,
  };
}
