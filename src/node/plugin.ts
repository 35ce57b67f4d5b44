// Plugin recipients and identities for Node (age-rt/node and the CLI): each
// wrap or unwrap runs age-plugin-NAME through one recipient-v1 or
// identity-v1 conversation (src/plugin/protocol.ts), so both are
// asynchronous. `-j NAME` is the plugin's identity without data, encrypted to
// as an identity (Go age's NewIdentityWithoutData).
import type { Stanza } from "../format/stanza.js";
import { pluginIdentityWithoutData, pluginNameOfIdentity, pluginNameOfRecipient } from "../plugin/keys.js";
import { unwrapWithPlugin, wrapWithPlugin, type PluginUi, type WrapTarget } from "../plugin/protocol.js";
import type { Identity, Recipient } from "../recipients/types.js";
import { PluginProcess, type PluginProcessOptions } from "./plugin-process.js";

/** How a plugin is run and how its requests (messages, secrets, confirmations) are answered. */
export interface PluginOptions extends PluginProcessOptions {
  /** Answers the plugin's requests (messages, values, confirmations); without it they are refused. */
  ui?: PluginUi;
}

async function converse<T>(name: string, sm: "recipient-v1" | "identity-v1", opts: PluginOptions, run: (p: PluginProcess) => Promise<T>): Promise<T> {
  const p = new PluginProcess(name, sm, opts);
  try {
    return await run(p);
  } finally {
    await p.close();
  }
}

/** An `age1NAME1…` recipient (or, with `asIdentity`, an identity to encrypt to), wrapped by its plugin. */
export class PluginRecipient implements Recipient {
  /** The plugin's name: NAME of `age1NAME1…` and of the age-plugin-NAME program. */
  readonly name: string;
  private readonly target: WrapTarget;

  constructor(encoding: string, private readonly opts: PluginOptions = {}, asIdentity = false) {
    this.name = asIdentity ? pluginNameOfIdentity(encoding) : pluginNameOfRecipient(encoding);
    this.target = { kind: asIdentity ? "identity" : "recipient", encoding };
  }

  wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    return converse(this.name, "recipient-v1", this.opts, (p) => wrapWithPlugin(this.name, p, [this.target], fileKey, this.opts.ui));
  }
}

/** An `AGE-PLUGIN-NAME-1…` identity, unwrapped by its plugin. */
export class PluginIdentity implements Identity {
  /** The plugin's name: NAME of `AGE-PLUGIN-NAME-1…` and of the age-plugin-NAME program. */
  readonly name: string;

  constructor(private readonly encoding: string, private readonly opts: PluginOptions = {}) {
    this.name = pluginNameOfIdentity(encoding);
  }

  unwrapFileKey(stanzas: readonly Stanza[]): Promise<Uint8Array | null> {
    return converse(this.name, "identity-v1", this.opts, (p) => unwrapWithPlugin(this.name, p, [this.encoding], stanzas, this.opts.ui));
  }

  /** The recipient that encrypts to this identity (the plugin is given the identity). */
  recipient(): PluginRecipient {
    return new PluginRecipient(this.encoding, this.opts, true);
  }
}

/** `-j NAME`: encrypts to the plugin's default identity. */
export function pluginDefaultRecipient(name: string, opts: PluginOptions = {}): PluginRecipient {
  return new PluginRecipient(pluginIdentityWithoutData(name), opts, true);
}
