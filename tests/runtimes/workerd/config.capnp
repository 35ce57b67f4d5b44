# workerd configuration for tests/workerd.test.ts, written as for a
# production workerd: the bundled Workers (tests/runtimes/workerd/*-worker.js
# after esbuild) embedded as ES modules, the WebAssembly file as a `wasm`
# module (the script imports it as a compiled WebAssembly.Module), and the
# identity as a binding from the environment. Each Worker listens on
# 127.0.0.1; the test chooses the ports with --socket-addr.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "readme", worker = .readmeWorker),
    (name = "echo", worker = .echoWorker),
    (name = "scenario", worker = .scenarioWorker),
    (name = "scenario-noinit", worker = .noinitWorker),
  ],
  sockets = [
    (name = "readme", address = "127.0.0.1:8801", http = (), service = "readme"),
    (name = "echo", address = "127.0.0.1:8802", http = (), service = "echo"),
    (name = "scenario", address = "127.0.0.1:8803", http = (), service = "scenario"),
    (name = "scenario-noinit", address = "127.0.0.1:8804", http = (), service = "scenario-noinit"),
  ],
);

const readmeWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "out/readme-worker.js"),
    (name = "core.simd.wasm", wasm = embed "out/core.simd.wasm"),
  ],
  bindings = [(name = "AGE_IDENTITY", fromEnvironment = "AGE_IDENTITY")],
  compatibilityDate = "2025-09-01",
);

const echoWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "out/echo-worker.js")],
  compatibilityDate = "2025-09-01",
);

const scenarioWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "out/scenario-worker.js"),
    (name = "core.simd.wasm", wasm = embed "out/core.simd.wasm"),
  ],
  bindings = [(name = "INIT", text = "module")],
  compatibilityDate = "2025-09-01",
);

const noinitWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "out/scenario-worker.js"),
    (name = "core.simd.wasm", wasm = embed "out/core.simd.wasm"),
  ],
  compatibilityDate = "2025-09-01",
);
