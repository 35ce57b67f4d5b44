// Edge runtimes (Cloudflare Workers, Deno Deploy, Vercel Edge): the main
// entry must bundle with no Node built-ins, and must work where compiling
// WebAssembly from bytes at run time is forbidden (Workers refuse it; they
// hand the script a precompiled WebAssembly.Module instead).
//
// The host here is a fresh node:vm context holding only what such runtimes
// offer: crypto.getRandomValues, TextEncoder/TextDecoder, TransformStream and
// a WebAssembly whose Module/compile/instantiate throw for byte sources but
// accept a Module. With init(module) the library runs on the WebAssembly
// core; without it, it runs on the pure-JS path (the decision: correctness
// first, everywhere; init() is how such hosts get the speed) and ready()
// rejects, saying that compiling was refused.
import { createHash, webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import { runInContext, createContext } from "node:vm";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { AgeEncoder, AgeRTEncoder, encodeBytes, generateIdentity, identityToRecipient } from "../src/index.js";

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** The main entry bundled for a neutral platform: no Node resolution, no externals. */
async function neutralBundle() {
  const result = await build({
    entryPoints: ["src/index.ts"],
    bundle: true,
    platform: "neutral",
    format: "iife",
    globalName: "ageRt",
    target: "es2022",
    loader: { ".wasm": "binary" },
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile };
}

interface Host {
  ageRt: typeof import("../src/index.js");
  /** How many WebAssembly instances the library made (each goes through our Instance). */
  instances: () => number;
  /** Byte sources the library tried to compile (all refused). */
  refused: () => number;
  /** Evaluates a script in the host. */
  run: (src: string) => unknown;
}

/** A vm context shaped like an edge runtime that forbids compiling bytes, with the bundle loaded. */
function edgeHost(code: string): Host {
  const Real = WebAssembly;
  let instances = 0;
  let refused = 0;
  const refuse = () => {
    refused++;
    return new Real.CompileError("WebAssembly.Module(): Wasm code generation disallowed by embedder");
  };
  // Constructors whose prototype is the real one, so `x instanceof WebAssembly.Module` still holds.
  function Module(): never {
    throw refuse();
  }
  Module.prototype = Real.Module.prototype;
  function Instance(module: WebAssembly.Module, imports?: WebAssembly.Imports) {
    instances++;
    return new Real.Instance(module, imports);
  }
  Instance.prototype = Real.Instance.prototype;
  const wasm = {
    ...Object.fromEntries(["Memory", "Table", "Global", "CompileError", "LinkError", "RuntimeError", "validate"].map((k) => [k, (Real as any)[k]])),
    Module,
    Instance,
    compile: async () => { throw refuse(); },
    compileStreaming: async () => { throw refuse(); },
    instantiateStreaming: async () => { throw refuse(); },
    async instantiate(source: unknown, imports?: WebAssembly.Imports) {
      if (!(source instanceof Real.Module)) throw refuse();
      instances++;
      return Real.instantiate(source, imports);
    },
  };
  const ctx = createContext({
    crypto: { getRandomValues: (a: Uint8Array) => webcrypto.getRandomValues(a) },
    TextEncoder, TextDecoder, TransformStream,
    WebAssembly: wasm,
  });
  runInContext(`${code}\nglobalThis.ageRt = ageRt;`, ctx, { filename: "age-rt.neutral.js" });
  return { ageRt: ctx.ageRt, instances: () => instances, refused: () => refused, run: (src) => runInContext(src, ctx) };
}

/**
 * Decrypts `file` inside the host with the given decoder options; the
 * plaintext's SHA-256. The file is copied into the host's own Uint8Array,
 * as data a real runtime hands its script would be (see the report on
 * cross-realm arrays: the WASM facade checks `instanceof Uint8Array`).
 */
function decryptIn(host: Host, file: Uint8Array, opts: object): string {
  const dec = new host.ageRt.AgeAutoDecoder(opts as never);
  const local = (host.run("Uint8Array") as Uint8ArrayConstructor).from(file);
  const parts = [...host.ageRt.decodeBytes(local, dec)];
  return sha256(Buffer.concat(parts));
}

describe("edge runtime: neutral bundle, precompiled module", () => {
  let code: string;
  const plain = new Uint8Array(300_000).map((_, i) => (i * 31) & 255);
  const identity = generateIdentity();
  const x25519File = encodeBytes([plain], AgeEncoder.fromRecipients([identityToRecipient(identity)]));
  const passFile = encodeBytes([plain], AgeRTEncoder.fromPassphrase("edge pass", { workFactor: 12 }));

  beforeAll(async () => {
    ({ code } = await neutralBundle());
  });

  it("bundles with platform neutral: no Node built-ins, nothing external", async () => {
    const { metafile } = await neutralBundle(); // a node:* import would fail to resolve here
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((p) => p.startsWith("node:") || /^(fs|path|crypto|stream|buffer|util)$/.test(p))).toEqual([]);
    for (const out of Object.values(metafile.outputs)) expect(out.imports).toEqual([]);
    expect(code).not.toMatch(/\brequire\(|\bprocess\.|\bBuffer\b/);
  });

  it("the host really refuses to compile bytes", () => {
    const host = edgeHost(code);
    expect(() => host.run("new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))")).toThrow(/disallowed/);
    expect(host.run("typeof process + typeof require + typeof Buffer + typeof atob")).toBe("undefinedundefinedundefinedundefined");
  });

  it("init(module): decrypts X25519 and passphrase files on the WebAssembly core", async () => {
    const host = edgeHost(code);
    const simd = new WebAssembly.Module(readFileSync("build/core.simd.wasm")); // what the platform hands the script
    await host.ageRt.init(simd);
    await host.ageRt.ready(); // a no-op now
    expect(decryptIn(host, x25519File, { identities: [identity] })).toBe(sha256(plain));
    expect(decryptIn(host, passFile, { passphrase: "edge pass" })).toBe(sha256(plain));
    expect(host.instances()).toBeGreaterThan(0); // the core ran
    expect(host.refused()).toBe(0); // and nothing tried to compile bytes
  });

  it("init(module) also works from an async entry: decryptStream over the core", async () => {
    const host = edgeHost(code);
    await host.ageRt.init(new WebAssembly.Module(readFileSync("build/core.simd.wasm")));
    const dec = new host.ageRt.AgeAutoDecoder({ identities: [identity] });
    const out: Uint8Array[] = [];
    const input = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < x25519File.length; i += 7000) c.enqueue(x25519File.subarray(i, i + 7000));
        c.close();
      },
    });
    await input.pipeThrough(host.ageRt.decryptStream(dec)).pipeTo(new WritableStream({ write: (c) => void out.push(c) }));
    expect(sha256(Buffer.concat(out))).toBe(sha256(plain));
    expect(host.instances()).toBeGreaterThan(0);
  });

  it("without init: the pure-JS path decrypts; ready() rejects with a typed error pointing to init()", async () => {
    const host = edgeHost(code);
    expect(decryptIn(host, x25519File, { identities: [identity] })).toBe(sha256(plain));
    expect(decryptIn(host, passFile, { passphrase: "edge pass" })).toBe(sha256(plain));
    expect(host.instances()).toBe(0); // no WebAssembly ran
    expect(host.refused()).toBeGreaterThan(0); // the library asked once, was refused, and fell back
    const refusal = await host.ageRt.ready().then(() => null, (e: Error) => e);
    expect(refusal).toBeInstanceOf(host.ageRt.AgeRTError);
    expect(refusal!.message).toMatch(/init\(\)/);
    expect(String(refusal!.cause)).toMatch(/disallowed/); // the host's own refusal, kept as the cause
    expect(decryptIn(host, x25519File, { identities: [identity] })).toBe(sha256(plain)); // still fine after
  });
});
