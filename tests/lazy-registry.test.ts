// src/lazy/registry.ts, the browser bundle's registry of lazily loaded files,
// in Node (tests/browser-sw.test.ts runs it for real in a Service Worker):
// a provided module is used at once, synchronously; one not provided is
// fetched by import() beside the registry, and where that fails (here: no
// such file) the error is a UsageError naming the file and what to do.
import { describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { _provideLazy, lazyLoaded, loadLazy, withLazy } from "../src/lazy/registry.js";
import type { JsBackends } from "../src/crypto/fallback.js";

describe("lazy registry", () => {
  it("a file not loaded yet: import() fails here, with a UsageError that names it and says what to do", async () => {
    expect(lazyLoaded("tag")).toBeUndefined();
    const r = withLazy("tag", () => "unreachable");
    expect(r).toBeInstanceOf(Promise);
    const e = await (r as Promise<string>).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toMatch(/^cannot load \.\/age-rt-tag\.js \(.+\): serve it beside age-rt\.js; a Service Worker must import it statically$/);
    await expect(loadLazy("ssh")).rejects.toThrow(/cannot load \.\/age-rt-ssh\.js/);
  });

  it("a provided module is used at once, synchronously, and is what loadLazy resolves to", async () => {
    const fake = { aead: {}, scrypt: () => new Uint8Array(0) } as unknown as JsBackends;
    _provideLazy("fallback", fake);
    expect(lazyLoaded("fallback")).toBe(fake);
    expect(withLazy("fallback", (m) => m === fake)).toBe(true); // not a Promise
    expect(await loadLazy("fallback")).toBe(fake);
  });
});
