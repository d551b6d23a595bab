/**
 * The work an adapter is doing right now (interactions, updates, DM messages), so stopping can
 * wait for it: an answer half sent when the process exits is an answer lost.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** Counts `p` until it settles; returns it unchanged (a rejection stays the caller's to handle). */
  track<T>(p: Promise<T>): Promise<T> {
    this.running.add(p);
    const done = () => void this.running.delete(p);
    void p.then(done, done);
    return p;
  }

  /** How many are running. */
  get size(): number {
    return this.running.size;
  }

  /** Resolves once nothing is running, including work that started while waiting. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /**
   * Waits until nothing is running or `ms` have passed (a call retrying through a network outage
   * would wait for ever); true when everything settled in time.
   */
  async drain(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
      return await Promise.race([this.settled().then(() => true as const), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
