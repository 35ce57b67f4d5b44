// age-rt/node: everything in the main entry, plus the Node-only helpers:
// node:stream Transforms and file helpers (the Python reference's
// encode_file / decode_file, and whole-file encryptFile / decryptFile).
/**
 * Everything in `age-rt`, plus Node's stream Transforms and file helpers.
 * @module age-rt/node
 */
export * from "./index.js";
export { encryptTransform } from "./node/encrypt-transform.js";
export { decryptTransform } from "./node/decrypt-transform.js";
export { encodeFile, encryptFile } from "./node/encode-file.js";
export { decodeFile, decryptFile } from "./node/decode-file.js";
export { fileSource } from "./node/file-source.js";
export type { PoolOption } from "./node/pool-option.js";

// SSH keys with node:crypto's RSA (synchronous), and encrypted OpenSSH keys.
export { sshRecipient, sshIdentity, type SshIdentityOptions } from "./node/ssh-keys.js";

// Plugins (C2SP age-plugin): age1NAME1… recipients and AGE-PLUGIN-NAME-1…
// identities run by age-plugin-NAME from PATH; asynchronous.
export { PluginIdentity, PluginRecipient, pluginDefaultRecipient, type PluginOptions } from "./node/plugin.js";
export type { PluginUi } from "./plugin/protocol.js";
