// The demo page's seek panel: plays the server's age-encrypted media sample
// in a <video> element, with seeking. The page does no crypto: it registers
// the Service Worker (sw.js), hands it the passphrase or identity by message
// (never over the network), and points the element at the worker's
// /decrypted/ URL; the worker answers each range request from the chunks it
// covers. The worker's requests to the server are listed as they happen.
const $ = (id) => document.getElementById(id);
const SAMPLE = { url: "/media/sample.wav.age", type: "audio/wav", name: "sample.wav" };

function mediaStatus(text, error = false) {
  $("media-status").textContent = text;
  $("media-status").classList.toggle("error", error);
}

/** The Service Worker, controlling this page (claimed on activation). */
async function worker() {
  if (!("serviceWorker" in navigator)) throw new Error("this browser has no Service Workers (or the page is not a secure context)");
  await navigator.serviceWorker.register("/sw.js", { type: "module", scope: "/" });
  const registration = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  }
  return registration.active;
}

function ask(target, message) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    target.postMessage(message, [channel.port2]);
  });
}

$("media-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const key = $("media-key").value;
  $("media-open").disabled = true;
  try {
    mediaStatus("Starting the Service Worker…");
    const sw = await worker();
    mediaStatus("Opening: the header and the last chunk are fetched and authenticated…");
    const job = /^AGE-SECRET-KEY-1/i.test(key.trim()) ? { identity: key.trim() } : { passphrase: key };
    const reply = await ask(sw, { op: "open", url: SAMPLE.url, type: SAMPLE.type, ...job });
    if (reply.error) return mediaStatus(reply.error, true);
    $("media").src = `/decrypted/${reply.id}/${SAMPLE.name}`;
    $("media").dataset.size = String(reply.size);
    mediaStatus(`Opened: ${reply.size.toLocaleString("en")} bytes of plaintext, authenticated size. Seek anywhere.`);
  } catch (error) {
    mediaStatus(`${error.name}: ${error.message}`, true);
  } finally {
    $("media-open").disabled = false;
  }
});

navigator.serviceWorker?.addEventListener("message", (e) => {
  if (typeof e.data?.fetched !== "string") return;
  const li = document.createElement("li");
  li.textContent = e.data.fetched;
  $("media-fetches").append(li);
});
