// Plugin recipients and identities (C2SP age-plugin, "Mapping recipients and
// identities to plugin binaries"): Bech32 strings whose HRP names the plugin,
// `age1NAME1…` and `AGE-PLUGIN-NAME-1…`, run by the binary age-plugin-NAME.
// The data part is the plugin's business; only the name matters here.
import { UsageError } from "../errors.js";
import { decode as decodeBech32, encode as encodeBech32 } from "../format/bech32.js";

/** Plugin names become file names: no path separators, nothing but printable ASCII. */
function checkName(name: string): string {
  if (!/^[\x21-\x7e]+$/.test(name) || /[/\\]/.test(name)) throw new UsageError("invalid plugin name");
  return name;
}

/** The plugin name of an `age1NAME1…` recipient. Throws UsageError. */
export function pluginNameOfRecipient(s: string): string {
  let hrp: string;
  try {
    hrp = decodeBech32(s).hrp;
  } catch (e) {
    throw new UsageError(`invalid plugin recipient: ${(e as Error).message}`, { cause: e });
  }
  if (!hrp.startsWith("age1") || hrp.length === 4) throw new UsageError("invalid plugin recipient: expected age1NAME1…");
  return checkName(hrp.slice(4));
}

/** The plugin name of an `AGE-PLUGIN-NAME-1…` identity. Throws UsageError, never quoting the identity. */
export function pluginNameOfIdentity(s: string): string {
  let hrp: string;
  try {
    hrp = decodeBech32(s).hrp;
  } catch (e) {
    throw new UsageError(`invalid plugin identity: ${(e as Error).message}`, { cause: e });
  }
  if (!hrp.startsWith("age-plugin-") || !hrp.endsWith("-") || hrp.length <= "age-plugin--".length) {
    throw new UsageError("invalid plugin identity: expected AGE-PLUGIN-NAME-1…");
  }
  return checkName(hrp.slice("age-plugin-".length, -1));
}

/** `AGE-PLUGIN-NAME-1` with no data: "the plugin's default identity", which -j NAME encrypts to. */
export function pluginIdentityWithoutData(name: string): string {
  return encodeBech32(`AGE-PLUGIN-${checkName(name).toUpperCase()}-`, new Uint8Array(0));
}

export function isPluginRecipient(s: string): boolean {
  // An X25519 recipient's HRP is "age" (one "1": the separator); a plugin's is age1NAME.
  return /^age1/i.test(s) && s.lastIndexOf("1") > 3 && !/^age1(pq|tag|tagpq)1/i.test(s);
}
