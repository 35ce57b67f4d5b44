// The demo's crypto, off the page's thread: scrypt (a second or so) and the
// payload never block the UI. A module worker running the browser bundle.
//
// Messages in (from app.js):
//   { op: "decrypt", file, passphrase?, identity? }   age v1, age-rt, armor: detected
//   { op: "encrypt", file, passphrase?, recipient?, workFactor? }   age v1
//   { op: "rt-send-open", passphrase, workFactor }     live panel, sending side
//   { op: "rt-send", text } / { op: "rt-send-close" }
//   { op: "rt-recv-open", passphrase }                 live panel, receiving side
//   { op: "rt-wire", bytes } / { op: "rt-wire-close" } bytes from the sending side, its end
// Messages out: progress, done, error, rt-wire, rt-message, rt-end.
import {
  ready, AgeAutoDecoder, AgeEncoder, AgeRTEncoder, AgeRTDecoder, encryptStream, decryptStream, createWorkerPool,
} from "./age-rt.js";

// Files are sealed and opened on a pool of workers, one per core (capped),
// each with its own WebAssembly instance; this worker reads, hands runs of
// chunks over and collects them in order. The pool's code (age-rt-pool.js)
// is fetched with the first file; an idle pool costs nothing.
const POOL_CAP = 8;
let pool = null;
function filePool() {
  try {
    pool ??= createWorkerPool({ threads: Math.max(1, Math.min(navigator.hardwareConcurrency || 2, POOL_CAP)) });
  } catch {
    pool = null; // no nested workers here: this worker does the work alone
  }
  return pool;
}

// Compile the WebAssembly core while the user is still choosing a file.
// A refusal (e.g. a CSP without 'wasm-unsafe-eval') leaves the library on its
// pure-JS path: it still works, and the page says which engine ran.
// The probe is a one-function module using a SIMD instruction (i8x16.splat):
// the browser bundle ships only the SIMD build, so without SIMD it runs JS.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11]);
const compiled = ready().then(
  () => (typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE) ? "WebAssembly (SIMD)" : "pure JavaScript (no WebAssembly SIMD here)"),
  () => "pure JavaScript (WebAssembly refused)",
);

const post = (msg, transfer = []) => self.postMessage(msg, transfer);

self.onmessage = async ({ data }) => {
  await compiled;
  try {
    switch (data.op) {
      case "decrypt": return await runFile(data, decryptFile);
      case "encrypt": return await runFile(data, encryptFile);
      case "rt-send-open": return rtSendOpen(data);
      // A failed write also errors the stream, and pump() reports that once.
      case "rt-send": return rt.writer.write(new TextEncoder().encode(data.text)).catch(() => {});
      case "rt-send-close": return rt.writer.close().catch(() => {});
      case "rt-recv-open": return rtRecvOpen(data);
      case "rt-wire": return rt.writer.write(data.bytes).catch(() => {});
      // The sender's side ended: end of input, where a missing final chunk is an error.
      case "rt-wire-close": return rt.writer.close().catch(() => {});
    }
  } catch (e) {
    post({ type: "error", name: e?.name ?? "Error", message: String(e?.message ?? e) });
  }
};

/** Runs a file job: reads the File through `make`'s stream, collects the result, hashes it. */
async function runFile(job, make) {
  const { file } = job;
  const begun = performance.now();
  const meter = progressMeter(file.size);
  const counted = file.stream().pipeThrough(new TransformStream({
    transform(chunk, c) {
      meter.add(chunk.length);
      c.enqueue(chunk);
    },
  }));
  const { stream, name, describe } = make(job, counted, meter);
  const parts = [];
  let bytes = 0;
  for await (const chunk of iterate(stream)) {
    meter.started();
    parts.push(chunk);
    bytes += chunk.length;
  }
  meter.finish();
  const blob = new Blob(parts, { type: "application/octet-stream" });
  const sha256 = hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
  const seconds = (performance.now() - begun) / 1000;
  post({ type: "done", blob, name, bytes, sha256, format: describe(), seconds, rate: meter.rate(), engine: await compiled, workers: pool?.threads ?? 1 });
}

function decryptFile({ file, passphrase, identity }, input, meter) {
  const dec = new AgeAutoDecoder({
    passphrase: passphrase || undefined,
    identities: identity ? [identity] : undefined,
    onScryptProgress: (f) => meter.phase("scrypt", f),
  });
  return {
    stream: input.pipeThrough(decryptStream(dec, { pool: filePool() ?? undefined })),
    name: file.name.replace(/\.age$/i, "") || "decrypted",
    describe: () => (dec.format === "age-rt" ? "age-rt v0.2" : "age v1") + (dec.armored ? ", ASCII-armored" : ""),
  };
}

function encryptFile({ file, passphrase, recipient, workFactor }, input, meter) {
  if (passphrase) meter.phase("scrypt", null); // encoders report no scrypt progress: indeterminate
  const enc = passphrase ? AgeEncoder.fromPassphrase(passphrase, { workFactor }) : AgeEncoder.fromRecipients([recipient]);
  meter.restart(); // scrypt (if any) is done: the payload starts now
  return {
    stream: input.pipeThrough(encryptStream(enc, { pool: filePool() ?? undefined })),
    name: `${file.name}.age`,
    describe: () => (passphrase ? `age v1, passphrase (scrypt work factor ${workFactor})` : "age v1, X25519 recipient"),
  };
}

/**
 * Progress for one job, posted at most every 100 ms once output flows: a
 * phase ("scrypt" with its fraction, then "payload" with bytes read of the
 * file). The rate's clock starts with the job and starts again after scrypt
 * (restart()), so the time scrypt takes is not counted as payload.
 */
function progressMeter(total) {
  let done = 0, flowing = false, t0 = performance.now(), last = 0, tEnd = 0;
  const now = () => performance.now();
  // Bytes per second of the payload so far (or in all); 0 until output flows.
  const rate = () => {
    const seconds = ((tEnd || now()) - t0) / 1000;
    return flowing && seconds > 0 ? done / seconds : 0;
  };
  const send = (force) => {
    const t = now();
    if (!force && t - last < 100) return;
    last = t;
    post({ type: "progress", phase: "payload", done, total, rate: rate() });
  };
  return {
    add(n) { done += n; if (flowing) send(false); },
    started() { if (!flowing) { flowing = true; send(true); } },
    phase(phase, fraction) { post({ type: "progress", phase, fraction }); t0 = now(); },
    restart() { t0 = now(); },
    finish() { tEnd = now(); flowing = true; send(true); },
    rate,
  };
}

// Live age-rt: one worker sends, another receives; app.js carries the bytes.
const rt = { writer: null };

function rtSendOpen({ passphrase, workFactor }) {
  const stream = encryptStream(AgeRTEncoder.fromPassphrase(passphrase, { workFactor }));
  rt.writer = stream.writable.getWriter();
  pump(stream.readable, (bytes) => post({ type: "rt-wire", bytes }, [bytes.buffer]));
}

function rtRecvOpen({ passphrase }) {
  const stream = decryptStream(new AgeRTDecoder(passphrase));
  rt.writer = stream.writable.getWriter();
  let index = 0;
  pump(stream.readable, (chunk) => post({ type: "rt-message", index: index++, text: new TextDecoder().decode(chunk) }));
}

/** Forwards every chunk of `readable` as it comes; reports the end or the error. */
async function pump(readable, each) {
  try {
    for await (const chunk of iterate(readable)) each(chunk);
    post({ type: "rt-end" });
  } catch (e) {
    post({ type: "error", name: e?.name ?? "Error", message: String(e?.message ?? e) });
  }
}

/** ReadableStream async iteration (Safari lacks `for await` over streams). */
async function* iterate(readable) {
  const reader = readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}
