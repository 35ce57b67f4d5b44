// The demo's encrypted media sample, made at start-up with nothing
// downloaded: a generated WAV clip (no video encoder is assumed on the
// machine; Chromium plays WAV in a <video> element), encrypted as age v1
// with a passphrase by the library's own build (dist/). The seek panel of the
// page plays it through a Service Worker (web/sw.js) that decrypts only the
// chunks the media element asks for.
//
// The sound says where it is: a tone that steps up a note every 10 seconds,
// with a click on each second, so a seek to the middle is audible.

export const SAMPLE_PASSPHRASE = "age-rt demo";
const RATE = 44100;
const CHANNELS = 2;

/** A 16-bit PCM stereo WAV of `seconds` (RIFF/WAVE, the canonical 44-byte header). */
export function makeWav(seconds) {
  const frames = Math.round(seconds * RATE);
  const dataBytes = frames * CHANNELS * 2;
  const out = new Uint8Array(44 + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at, s) => { for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i); };
  ascii(0, "RIFF"); v.setUint32(4, 36 + dataBytes, true); ascii(8, "WAVE");
  ascii(12, "fmt "); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, CHANNELS, true);
  v.setUint32(24, RATE, true); v.setUint32(28, RATE * CHANNELS * 2, true); v.setUint16(32, CHANNELS * 2, true); v.setUint16(34, 16, true);
  ascii(36, "data"); v.setUint32(40, dataBytes, true);
  const scale = [261.63, 293.66, 329.63, 349.23, 392.0, 440.0, 493.88, 523.25];
  let phase = 0;
  for (let f = 0; f < frames; f++) {
    const t = f / RATE;
    phase += (2 * Math.PI * scale[Math.floor(t / 10) % scale.length]) / RATE;
    const click = t % 1 < 0.004 ? 0.5 : 0;
    const s = Math.round((0.25 * Math.sin(phase) + click) * 32767);
    v.setInt16(44 + f * 4, s, true);
    v.setInt16(46 + f * 4, s, true);
  }
  return out;
}

/** The sample, encrypted: { bytes, etag, plainSize, passphrase, type, name }. */
export async function encryptedSample({ seconds = 120, workFactor = 14 } = {}) {
  let lib;
  try {
    lib = await import("../dist/index.js");
  } catch (error) {
    throw new Error(`cannot load dist/index.js to encrypt the demo's media sample (run \`npm run build\` first): ${error.message}`);
  }
  const wav = makeWav(seconds);
  // A low work factor: the sample's passphrase is printed for anyone to type; scrypt stays quick in the worker.
  const bytes = lib.encodeBytes([wav], lib.AgeEncoder.fromPassphrase(SAMPLE_PASSPHRASE, { workFactor }));
  const etag = `"sample-${bytes.length}-${Date.now().toString(36)}"`;
  return { bytes, etag, plainSize: wav.length, passphrase: SAMPLE_PASSPHRASE, type: "audio/wav", name: "sample.wav" };
}
