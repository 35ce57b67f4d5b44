// A turn of the event loop, for a pooled stream that works on this thread
// while its workers start: their first message (they are ready) can arrive
// only between tasks, and a source that answers within microtasks (a Blob,
// an in-memory stream) would otherwise never let it in.

/** Resolves after pending tasks (worker messages) had their turn; as cheap as the host allows. */
export function yieldToEvents(): Promise<void> {
  const g = globalThis as { setImmediate?: (fn: () => void) => void };
  if (typeof g.setImmediate === "function") return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel === "function") {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
