import { describe, expect, it } from 'vitest';
import type { PreferenceStore } from '../../src/core/context.ts';
import type { Locale } from '../../src/core/i18n/locales.ts';
import { cachedPreferences, prismaPreferences } from '../../src/db/preference-store.ts';
import { freshPglite } from '../support/storage.ts';

function countingStore() {
  const data = new Map<string, Locale>();
  let reads = 0;
  const store: PreferenceStore = { getLocale: async (id) => (reads++, data.get(id)), setLocale: async (id, l) => void data.set(id, l), forget: async (id) => void data.delete(id) };
  return { store, data, reads: () => reads };
}

describe('cached language preferences', () => {
  it('reads the store once per person within the time-to-live, then again after it', async () => {
    const s = countingStore();
    let clock = 0;
    const cached = cachedPreferences(s.store, 1000, () => clock);
    expect(await cached.getLocale('a')).toBeUndefined();
    expect(await cached.getLocale('a')).toBeUndefined();
    expect(s.reads()).toBe(1);
    s.data.set('a', 'zh-Hant'); // changed by another process
    clock = 1001;
    expect(await cached.getLocale('a')).toBe('zh-Hant');
    expect(s.reads()).toBe(2);
  });

  it('sees its own change at once', async () => {
    const s = countingStore();
    const cached = cachedPreferences(s.store, 60_000);
    await cached.getLocale('b');
    await cached.setLocale('b', 'zh-Hans');
    expect(await cached.getLocale('b')).toBe('zh-Hans');
    expect(s.data.get('b')).toBe('zh-Hans');
  });
});

describe('language preferences on PGlite', () => {
  it('answers each of many people reading at the same moment with their own language', async () => {
    const handle = await freshPglite();
    try {
      const store = prismaPreferences(handle.db.prisma);
      const people = Array.from({ length: 60 }, (_, i) => `person-${i}`);
      const chosen = (i: number): Locale | undefined => (['en', 'zh-Hans', 'zh-Hant', undefined] as const)[i % 4];
      for (const [i, p] of people.entries()) {
        const l = chosen(i);
        if (l) await store.setLocale(p, l);
      }
      const read = await Promise.all(people.map((p) => store.getLocale(p)));
      expect(read).toEqual(people.map((_, i) => chosen(i)));
    } finally {
      await handle.dispose();
    }
  });
});
