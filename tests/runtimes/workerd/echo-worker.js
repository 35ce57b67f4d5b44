// The baselines for the README Worker's throughput: the request body passed
// to the response untouched (workerd pipes it natively), and, at /js, through
// an identity TransformStream (what any JavaScript stage costs per piece).
export default {
  fetch(request) {
    if (new URL(request.url).pathname === "/js") return new Response(request.body.pipeThrough(new TransformStream()));
    return new Response(request.body);
  },
};
