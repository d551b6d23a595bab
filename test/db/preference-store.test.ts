import { describe, expect, it } from 'vitest';
import type { PreferenceStore } from '../../src/core/context.ts';
import type { Locale } from '../../src/core/i18n/locales.ts';
import { cachedPreferences, prismaPreferences } from '../../src/db/preference-store.ts';
import { freshPglite } from '../support/storage.ts';

function countingStore() {
  const data = new Map<string, Locale>();
  let reads = 0;
  let listed = 0;
  const store: PreferenceStore = {
    getLocale: async (id) => (reads++, data.get(id)),
    setLocale: async (id, l) => void data.set(id, l),
    forget: async (id) => void data.delete(id),
    holders: async (max) => (listed++, data.size > max ? null : new Set(data.keys())),
  };
  return { store, data, reads: () => reads, listed: () => listed };
}

describe('cached language preferences', () => {
  it('reads the store once per person within the time-to-live, then again after it', async () => {
    const s = countingStore();
    let clock = 0;
    s.data.set('a', 'en');
    const cached = cachedPreferences(s.store, 1000, () => clock);
    expect(await cached.getLocale('a')).toBe('en');
    expect(await cached.getLocale('a')).toBe('en');
    expect(s.reads()).toBe(1);
    s.data.set('a', 'zh-Hant'); // changed by another process
    clock = 1001;
    expect(await cached.getLocale('a')).toBe('zh-Hant');
    expect(s.reads()).toBe(2);
  });

  it('answers people without a preference without reading it, and reads those with one', async () => {
    const s = countingStore();
    s.data.set('chose', 'zh-Hans');
    let clock = 0;
    const cached = cachedPreferences(s.store, 1000, () => clock);
    for (let i = 0; i < 50; i++) expect(await cached.getLocale(`new-${i}`)).toBeUndefined();
    expect(await cached.getLocale('chose')).toBe('zh-Hans');
    expect(s.reads()).toBe(1); // only the person who chose a language
    expect(s.listed()).toBe(1);
    // someone choosing here is known at once; someone choosing in another process, after the time-to-live
    await cached.setLocale('new-1', 'zh-Hant');
    expect(await cached.getLocale('new-1')).toBe('zh-Hant');
    s.data.set('elsewhere', 'zh-Hant');
    expect(await cached.getLocale('elsewhere')).toBeUndefined();
    clock = 1001;
    expect(await cached.getLocale('elsewhere')).toBe('zh-Hant');
    expect(s.listed()).toBe(2);
    // forgotten here: gone at once
    await cached.forget('chose');
    expect(await cached.getLocale('chose')).toBeUndefined();
  });

  it('reads everyone when too many people have a preference to keep their ids', async () => {
    const s = countingStore();
    for (let i = 0; i < 5; i++) s.data.set(`p${i}`, 'zh-Hans');
    const cached = cachedPreferences(s.store, 1000, () => 0, 50_000, 3);
    expect(await cached.getLocale('p4')).toBe('zh-Hans');
    expect(await cached.getLocale('nobody')).toBeUndefined();
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
      // the ids of those with a preference, or null over the cap
      expect(await store.holders!(100)).toEqual(new Set(people.filter((_, i) => chosen(i))));
      expect(await store.holders!(10)).toBeNull();
    } finally {
      await handle.dispose();
    }
  });
});
