// The recipients to encrypt to, from -r strings, -R files, -j PLUGIN, and
// (with an explicit -e, as in Go age) the public keys of -i identity files.
import { UsageError } from "../errors.js";
import type { Recipient } from "../recipients/types.js";
import { CliError } from "./fail.js";
import { identityFileRecipients, parseRecipientFlag, readRecipientsFile } from "./key-files.js";
import { pluginDefaultRecipient } from "../node/plugin.js";
import { cliPluginOptions } from "./plugin-ui.js";
import { loadAllModules } from "./stanza-modules.js";

export async function collectRecipients(flags: readonly string[], files: readonly string[], identityFiles: readonly string[], plugin?: string): Promise<Recipient[]> {
  const out: Recipient[] = [];
  // SSH, post-quantum and tagged keys are parsed (and rejected, or skipped
  // with a warning) at once only with their code loaded: load it unless
  // every recipient is a plain X25519 one (the common case, kept lean).
  if (files.length > 0 || identityFiles.length > 0 || flags.some((s) => !/^age1[02-9ac-hj-np-z]{58}$/.test(s))) await loadAllModules();
  flags.forEach((s, i) => {
    try {
      out.push(parseRecipientFlag(s));
    } catch (e) {
      // Say which -r, not what it was: it might be a secret key pasted by mistake.
      if (e instanceof UsageError) throw new CliError(`-r/--recipient #${i + 1}: ${e.message}`);
      throw e;
    }
  });
  for (const path of files) out.push(...readRecipientsFile(path));
  for (const path of identityFiles) out.push(...(await identityFileRecipients(path)));
  if (plugin !== undefined) {
    try {
      out.push(pluginDefaultRecipient(plugin, cliPluginOptions()));
    } catch (e) {
      if (e instanceof UsageError) throw new CliError(`-j: ${e.message}`);
      throw e;
    }
  }
  return out;
}

/** --max-chunk: a canonical decimal from 1 to 16 MiB (the age-rt cap). */
export function parseMaxChunk(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 16 * 1024 * 1024)) throw new CliError("--max-chunk must be an integer from 1 to 16777216");
  return n;
}
