// The shared runtime scenario (../scenario.mjs) in a Worker: POST the case
// table as JSON, get the results as JSON. With the binding INIT = "module"
// the Worker hands the precompiled module to init() as the README says;
// without it, it uses the library as it comes, where workerd refuses to
// compile WebAssembly from bytes, so the pure-JS path must serve.
import * as age from "age-rt";
import * as cryptIo from "age-rt/crypt-io";
import core from "age-rt/wasm/core.simd.wasm";
import { runScenario } from "../scenario.mjs";

let ready = null;

export default {
  async fetch(request, env) {
    ready ??= env.INIT === "module" ? age.init(core) : Promise.resolve();
    await ready;
    const input = await request.json();
    return Response.json(await runScenario(age, input, { cryptIo }));
  },
};
