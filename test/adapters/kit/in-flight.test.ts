import { describe, expect, it } from 'vitest';
import { InFlight } from '../../../src/adapters/kit/in-flight.ts';

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('InFlight', () => {
  it('counts work until it settles, fulfilled or rejected, and hands the promise back unchanged', async () => {
    const work = new InFlight();
    const a = work.track(later(20, 'a'));
    const b = work.track(later(10, undefined).then(() => Promise.reject(new Error('b failed'))));
    expect(work.size).toBe(2);
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('b failed');
    expect(work.size).toBe(0);
  });

  it('settles only when work started while waiting is done too', async () => {
    const work = new InFlight();
    const order: string[] = [];
    void work.track(later(10, undefined).then(() => void work.track(later(20, undefined).then(() => void order.push('second')))));
    await work.settled();
    expect(order).toEqual(['second']);
    expect(work.size).toBe(0);
  });

  it('drains within a time limit: true when everything settled, false when time ran out', async () => {
    const work = new InFlight();
    void work.track(later(10, 1));
    expect(await work.drain(1_000)).toBe(true);
    void work.track(later(500, 2));
    const t0 = Date.now();
    expect(await work.drain(30)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(400);
  });
});
