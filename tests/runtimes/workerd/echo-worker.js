// The baselines for the README Worker's throughput: the request body passed
// to the response untouched (workerd pipes it natively); at /byob, read into
// JavaScript and written back the way the README Worker moves its bytes
// (BYOB reads of at least a chunk with readAtLeast, into a byte stream), so
// the bench can tell the body's trip through JavaScript from the decryption;
// and at /js, through an identity TransformStream (what any JavaScript stage
// costs per piece).
function byobEcho(body) {
  const reader = body.getReader({ mode: "byob" });
  return new ReadableStream({
    type: "bytes",
    async pull(controller) {
      const { value, done } = await reader.readAtLeast(65552, new Uint8Array(131072));
      if (value?.length) controller.enqueue(value.byteLength === value.buffer.byteLength ? value : value.slice());
      if (done) {
        controller.close();
        controller.byobRequest?.respond(0);
      }
    },
  });
}

export default {
  fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/js") return new Response(request.body.pipeThrough(new TransformStream()));
    if (path === "/byob") return new Response(byobEcho(request.body));
    return new Response(request.body);
  },
};
