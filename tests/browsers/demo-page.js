// Drives the demo page (web/) from inside it, for tests/browsers.test.ts:
// the same steps a user takes (choose a file, type a key, press a button),
// as DOM operations any engine's WebDriver script can run. The browser test
// imports this module into the page and calls one function per step.
const $ = (id) => document.getElementById(id);

async function until(test, what, ms = 120_000) {
  const end = performance.now() + ms;
  while (!test()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}; status: ${$("status").textContent}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function toB64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Chooses the file at `url` (a test fixture) as if picked in the file dialog. */
export async function chooseFile(url, name) {
  const bytes = await (await fetch(url)).arrayBuffer();
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name));
  $("file").files = dt.files;
  $("file").dispatchEvent(new Event("change", { bubbles: true }));
  return $("file-name").textContent;
}

/** Types into the key field. */
export function setKey(text) {
  $("key").value = text;
  $("key").dispatchEvent(new Event("input", { bubbles: true }));
  return { decrypt: !$("decrypt").disabled, encrypt: !$("encrypt").disabled };
}

/** Presses Decrypt or Encrypt and waits for the result or an error; reports what the page shows. */
export async function submit(op, { download = false } = {}) {
  const updates = Number($("progress").dataset.updates);
  $(op).click();
  await until(() => !$("result").hidden || $("status").classList.contains("error"), `the ${op} result`);
  if ($("status").classList.contains("error")) return { error: $("status").textContent, resultHidden: $("result").hidden };
  const bytes = new Uint8Array(await (await fetch($("download").href)).arrayBuffer());
  const sha = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return {
    sha256: $("sha256").textContent,
    downloadSha256: [...sha].map((b) => b.toString(16).padStart(2, "0")).join(""),
    download: download ? toB64(bytes) : null,
    downloadName: $("download").download,
    format: $("result-format").textContent,
    engine: $("engine").textContent,
    progress: $("progress").value,
    phases: $("progress").dataset.phases ?? "",
    updates: Number($("progress").dataset.updates) - updates,
    rate: $("rate").textContent,
  };
}

/** The live age-rt panel: opens a stream, sends `messages` one by one (each shown before the next), ends it. */
export async function live(passphrase, messages) {
  $("work-factor").value = "12";
  $("live-pass").value = passphrase;
  $("live-open").click();
  await until(() => !$("live-send").disabled, "the live stream to open");
  for (const [i, m] of messages.entries()) {
    $("live-msg").value = m;
    $("live-send").click();
    await until(() => document.querySelectorAll("#received li").length === i + 1, `message ${i + 1} to arrive`);
  }
  $("live-close").click();
  await until(() => /Stream ended/.test($("live-status").textContent), "the end of the live stream");
  return {
    received: [...document.querySelectorAll("#received li")].map((l) => [l.textContent, l.className]),
    wire: [...document.querySelectorAll("#wire li")].map((l) => l.textContent),
  };
}
