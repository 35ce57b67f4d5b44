// Types of the npm package bcrypt-pbkdf (a port of OpenBSD's bcrypt_pbkdf,
// CommonJS, untyped), for the part used by src/recipients/ssh-encrypted-key.ts.
declare module "bcrypt-pbkdf" {
  /** Writes `keylen` bytes into `key`; returns 0, or -1 on invalid arguments. */
  export function pbkdf(pass: Uint8Array, passlen: number, salt: Uint8Array, saltlen: number, key: Uint8Array, keylen: number, rounds: number): number;
  const _default: { pbkdf: typeof pbkdf };
  export default _default;
}
