// The README's Cloudflare Worker ("Edge runtimes"), verbatim: the request
// body (an age file) decrypted to the response. Bundled by the test as
// wrangler would (esbuild; the .wasm import left as a module of its own,
// which workerd hands the script as a compiled WebAssembly.Module).
import { init, AgeAutoDecoder, decryptReadable } from "age-rt";
import core from "age-rt/wasm/core.simd.wasm";

const ready = init(core);

export default {
  async fetch(request, env) {
    await ready;
    const dec = new AgeAutoDecoder({ identities: [env.AGE_IDENTITY] });
    return new Response(decryptReadable(request.body, dec));
  },
};
