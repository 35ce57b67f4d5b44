// The demo page's UI: picks the file and key, shows progress and the result,
// and runs the live age-rt panel. It does no crypto itself: everything runs
// in workers (worker.js), so scrypt and large files never freeze the page.
const $ = (id) => document.getElementById(id);

// ---- A file -----------------------------------------------------------------

let file = null;
let worker = null;
let resultUrl = null;

const keyKind = (s) =>
  /^AGE-SECRET-KEY-(PQ-)?1/i.test(s) ? "identity" : /^age1/i.test(s) ? "recipient" : s ? "passphrase" : "none";

const KIND_HINT = {
  none: "Decrypt with a passphrase or an identity (AGE-SECRET-KEY-1…, post-quantum AGE-SECRET-KEY-PQ-1…); encrypt to a passphrase or a recipient (age1…, age1pq1…).",
  passphrase: "A passphrase: decrypts passphrase files, encrypts with scrypt.",
  identity: "An identity (secret key): decrypts files encrypted to its recipient.",
  recipient: "A recipient (public key): encrypts files only its identity can open.",
};

function updateForm() {
  const kind = keyKind($("key").value.trim());
  $("key-kind").textContent = KIND_HINT[kind];
  const busy = worker !== null;
  $("decrypt").disabled = busy || !file || !(kind === "passphrase" || kind === "identity");
  $("encrypt").disabled = busy || !file || !(kind === "passphrase" || kind === "recipient");
  $("cancel").hidden = !busy;
}

function chooseFile(f) {
  file = f ?? null;
  $("file-name").textContent = file ? `${file.name} (${size(file.size)})` : "";
  updateForm();
}

$("file").addEventListener("change", (e) => chooseFile(e.target.files[0]));
$("key").addEventListener("input", updateForm);
$("show-key").addEventListener("change", (e) => ($("key").type = e.target.checked ? "text" : "password"));

const drop = $("drop");
drop.addEventListener("dragover", (e) => {
  e.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  chooseFile(e.dataTransfer.files[0]);
});

$("file-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const op = e.submitter?.value;
  const key = $("key").value.trim();
  const kind = keyKind(key);
  const job = { op, file };
  if (kind === "passphrase") job.passphrase = $("key").value; // as typed: spaces are part of a passphrase
  if (kind === "identity") job.identity = key;
  if (kind === "recipient") job.recipient = key;
  if (op === "encrypt") job.workFactor = workFactor();
  start(job);
});

$("cancel").addEventListener("click", () => {
  stop();
  status("Cancelled.");
});

function start(job) {
  if (resultUrl) URL.revokeObjectURL(resultUrl);
  resultUrl = null;
  $("result").hidden = true;
  $("rate").textContent = "";
  delete $("progress").dataset.phases;
  setProgress(0);
  status(job.op === "decrypt" ? "Decrypting…" : "Encrypting…");
  worker = new Worker("worker.js", { type: "module" });
  worker.onmessage = ({ data }) => onFileMessage(data);
  worker.onerror = (e) => fail(`the worker failed to start: ${e.message}`);
  worker.postMessage(job);
  updateForm();
}

function stop() {
  worker?.terminate();
  worker = null;
  updateForm();
}

function onFileMessage(m) {
  if (m.type === "progress") {
    if (m.phase === "scrypt") {
      setProgress(m.fraction, "scrypt");
      status(m.fraction === null ? "Deriving the key (scrypt)…" : `Deriving the key (scrypt): ${Math.round(m.fraction * 100)}%`);
    } else {
      setProgress(m.total ? m.done / m.total : 1, "payload");
      status(`${size(m.done)} of ${size(m.total)}`);
      if (m.rate) $("rate").textContent = `${(m.rate / 1e6).toFixed(1)} MB/s`;
    }
  } else if (m.type === "done") {
    stop();
    setProgress(1);
    resultUrl = URL.createObjectURL(m.blob);
    const link = $("download");
    link.href = resultUrl;
    link.download = m.name;
    link.textContent = `Download ${m.name} (${size(m.bytes)})`;
    $("result-format").textContent = m.format;
    $("sha256").textContent = m.sha256;
    $("engine").textContent = m.engine;
    $("workers").textContent = m.workers === 1 ? "1 (this page's worker)" : `a pool of ${m.workers} Web Workers`;
    $("result").hidden = false;
    if (m.rate) $("rate").textContent = `${(m.rate / 1e6).toFixed(1)} MB/s`;
    status(`Done: ${size(m.bytes)} in ${m.seconds.toFixed(2)} s.`);
  } else if (m.type === "error") {
    fail(`${m.name}: ${m.message}`);
  }
}

function fail(message) {
  stop();
  status(message, true);
}

/** Shows a fraction (null: indeterminate); `phase` is recorded for the browser test. */
function setProgress(fraction, phase) {
  const bar = $("progress");
  if (phase && !bar.dataset.phases?.split(" ").includes(phase)) bar.dataset.phases = `${bar.dataset.phases ?? ""} ${phase}`.trim();
  if (fraction === null) bar.removeAttribute("value"); // indeterminate
  else bar.value = fraction;
  bar.dataset.updates = String(Number(bar.dataset.updates) + 1); // the browser test checks progress was shown
}

function status(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

// ---- Live age-rt ------------------------------------------------------------

let sender = null;
let receiver = null;
let frames = 0;

$("live-open-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const passphrase = $("live-pass").value;
  if (!passphrase) return;
  sender?.terminate();
  receiver?.terminate();
  $("wire").replaceChildren();
  $("received").replaceChildren();
  frames = 0;
  sender = new Worker("worker.js", { type: "module" });
  receiver = new Worker("worker.js", { type: "module" });
  sender.onmessage = ({ data }) => {
    if (data.type === "rt-wire") {
      showFrame(data.bytes);
      receiver.postMessage({ op: "rt-wire", bytes: data.bytes }, [data.bytes.buffer]);
    } else if (data.type === "rt-end") {
      receiver.postMessage({ op: "rt-wire-close" });
    } else if (data.type === "error") liveStatus(`Sender: ${data.name}: ${data.message}`, true);
  };
  receiver.onmessage = ({ data }) => {
    if (data.type === "rt-message") {
      const li = document.createElement("li");
      li.textContent = data.text;
      if (data.text === "") li.classList.add("empty");
      $("received").append(li);
    } else if (data.type === "rt-end") {
      // The last chunk is the final one (the sender's close() seals it empty).
      $("received").lastElementChild?.classList.add("final");
      liveStatus("Stream ended: the final chunk authenticated, nothing was cut off.");
      setLiveOpen(false);
    } else if (data.type === "error") liveStatus(`Receiver: ${data.name}: ${data.message}`, true);
  };
  sender.postMessage({ op: "rt-send-open", passphrase, workFactor: workFactor() });
  receiver.postMessage({ op: "rt-recv-open", passphrase });
  setLiveOpen(true);
  liveStatus("Stream open. The receiver derives its key when the header arrives.");
  $("live-msg").focus();
});

$("live-send-form").addEventListener("submit", (e) => {
  e.preventDefault();
  sender.postMessage({ op: "rt-send", text: $("live-msg").value });
  $("live-msg").value = "";
});

$("live-close").addEventListener("click", () => {
  sender.postMessage({ op: "rt-send-close" });
  setLiveOpen(false);
});

function setLiveOpen(open) {
  $("live-msg").disabled = !open;
  $("live-send").disabled = !open;
  $("live-close").disabled = !open;
}

/** One wire item: the header first, then each length-prefixed frame. */
function showFrame(bytes) {
  const li = document.createElement("li");
  if (frames++ === 0) {
    const text = new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(10)));
    li.textContent = `header, ${bytes.length} B: ${text}`;
  } else {
    const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
    const preview = Array.from(bytes.subarray(4, 12), (b) => b.toString(16).padStart(2, "0")).join(" ");
    li.textContent = `frame ${frames - 2}: length ${len}, ${preview} …`;
  }
  $("wire").append(li);
}

function liveStatus(text, error = false) {
  $("live-status").textContent = text;
  $("live-status").classList.toggle("error", error);
}

// ---- Shared -----------------------------------------------------------------

function workFactor() {
  const n = Number($("work-factor").value);
  return Number.isInteger(n) && n >= 10 && n <= 22 ? n : 18;
}

function size(n) {
  return n < 1e3 ? `${n} B` : n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`;
}

updateForm();
