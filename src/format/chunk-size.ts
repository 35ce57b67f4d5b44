// The age v1 STREAM chunk sizes (C2SP age.md "Payload"), and the run and
// file-read sizes built on them, in a module of their own with no imports:
// what needs them (the CLI's input, file runs) loads nothing else with them.

/** Plaintext bytes of every age v1 chunk but the last. */
export const AGE_CHUNK = 65536;
/** A full sealed chunk: ciphertext and its 16-byte Poly1305 tag. */
export const AGE_SEALED_CHUNK = AGE_CHUNK + 16;
/**
 * Full chunks handed to the AEAD core per call (1 MiB): enough to make the
 * call's cost vanish, few enough that a run stays in the CPU's cache.
 */
export const RUN_CHUNKS = 16;

/** Read size for whole files (Node): large reads mean few calls into the AEAD core; one run of age v1 plaintext. */
export const FILE_READ_SIZE = 1 << 20;
