/**
 * Group commit for small writes (and reads): calls made while a batch is being written wait, and
 * go together in the next batch. No timer is involved: a quiet bot writes each call at once, a busy one
 * writes fewer, larger statements (one round trip and one commit for many people's steps).
 */
export function groupCommit<I, O>(
  write: (items: I[]) => Promise<O[]>,
  opts: { maxBatch: number; keyOf: (item: I) => string },
): (item: I) => Promise<O> {
  type Waiting = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
  let queue: Waiting[] = [];
  let writing = false;
  const pump = () => {
    if (writing || queue.length === 0) return;
    // Two writes for the same key never share a batch: the later one waits for the next.
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    const keys = new Set<string>();
    for (const w of queue) {
      const key = opts.keyOf(w.item);
      if (batch.length < opts.maxBatch && !keys.has(key)) {
        batch.push(w);
        keys.add(key);
      } else rest.push(w);
    }
    queue = rest;
    writing = true;
    write(batch.map((w) => w.item))
      .then(
        (outs) => batch.forEach((w, i) => w.resolve(outs[i]!)),
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      )
      .finally(() => {
        writing = false;
        pump();
      });
  };
  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      pump();
    });
}
