// The baseline for the README Worker's throughput: the same request body
// passed through to the response untouched.
export default {
  fetch(request) {
    return new Response(request.body);
  },
};
