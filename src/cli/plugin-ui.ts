// How the CLI answers a plugin's requests (C2SP age-plugin phase 2: msg,
// request-public, request-secret, confirm), as Go age does: messages on
// standard error prefixed with the plugin's name, values and choices read
// from the terminal. Also the plugin options of the CLI: the silence
// timeout (AGE_RT_PLUGIN_TIMEOUT, in seconds) and a hint after 5 s of it.
import { writeSync } from "node:fs";
import type { PluginOptions } from "../node/plugin.js";
import type { PluginUi } from "../plugin/protocol.js";
import { CliError } from "./fail.js";
import { readSecret } from "./terminal.js";

const clean = (s: string) => s.replace(/[\x00-\x1f\x7f]+/g, " ").slice(0, 1000);

export const terminalPluginUi: PluginUi = {
  message(plugin, text) {
    writeSync(2, `[age-plugin-${plugin}] ${clean(text)}\n`);
    return true;
  },
  async requestValue(plugin, prompt, secret) {
    writeSync(2, `[age-plugin-${plugin}] ${clean(prompt)}\n`);
    return readSecret(`[age-plugin-${plugin}] Enter value:`, { echo: !secret });
  },
  async confirm(plugin, prompt, yes, no) {
    const options = no === null ? `[${clean(yes)}]` : `[1: ${clean(yes)}, 2: ${clean(no)}]`;
    for (;;) {
      const answer = (await readSecret(`[age-plugin-${plugin}] ${clean(prompt)} ${options}:`, { echo: true })).trim();
      if (answer === "1" || answer.toLowerCase() === yes.toLowerCase() || (no === null && answer === "")) return true;
      if (no !== null && (answer === "2" || answer.toLowerCase() === no.toLowerCase())) return false;
    }
  },
};

export function cliPluginOptions(env: NodeJS.ProcessEnv = process.env): PluginOptions {
  const t = env.AGE_RT_PLUGIN_TIMEOUT ?? "";
  let timeoutMs: number | undefined;
  if (t !== "") {
    if (!/^[1-9][0-9]{0,5}$/.test(t)) throw new CliError("AGE_RT_PLUGIN_TIMEOUT must be a number of seconds from 1 to 999999");
    timeoutMs = Number(t) * 1000;
  }
  return {
    ui: terminalPluginUi,
    timeoutMs,
    onWait: (plugin) => writeSync(2, `age-rt: waiting on age-plugin-${plugin}...\n`),
  };
}
