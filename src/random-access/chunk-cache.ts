// A small LRU of opened chunks for random access, holding promises so that
// concurrent reads of one chunk share one fetch and one open. A chunk that
// failed to authenticate stays cached as its failure (every read touching
// it fails the same way, without fetching it again); any other failure (a
// network error) is dropped, so a later read tries again.
import { ChunkAuthenticationError } from "../errors.js";

export class ChunkCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least
  // recently used entry first.
  private readonly entries = new Map<number, Promise<Uint8Array>>();
  private readonly settled = new Map<number, Uint8Array>();

  constructor(private readonly capacity: number) {}

  /** The chunk's entry if cached or in flight, marked as most recently used. */
  get(index: number): Promise<Uint8Array> | undefined {
    const entry = this.entries.get(index);
    if (entry !== undefined) {
      this.entries.delete(index);
      this.entries.set(index, entry);
    }
    return entry;
  }

  set(index: number, entry: Promise<Uint8Array>): void {
    this.entries.set(index, entry);
    entry.then(
      (plaintext) => {
        if (this.entries.get(index) === entry) this.settled.set(index, plaintext);
      },
      (error: unknown) => {
        // Also marks the rejection handled: cached failures have no listener until a read asks.
        if (!(error instanceof ChunkAuthenticationError) && this.entries.get(index) === entry) this.entries.delete(index);
      },
    );
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
      this.settled.delete(oldest); // not wiped: a read that already holds it may still be copying from it
    }
  }

  /** Drops every entry and zeroes the plaintext held (close(): no read copies from it any more). */
  clear(): void {
    for (const plaintext of this.settled.values()) plaintext.fill(0);
    this.settled.clear();
    this.entries.clear();
  }
}
