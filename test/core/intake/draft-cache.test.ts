/**
 * The process-local draft copies (draft-cache.ts): one round trip per step, and still correct
 * when a conversation moves between bot processes or a button is pressed twice.
 */
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { cachedDrafts } from '../../../src/core/intake/draft-cache.ts';
import type { DraftStore } from '../../../src/core/intake/intake.ports.ts';
import type { CoreContext, CoreDeps } from '../../../src/core/context.ts';
import { contextFor, memoryDeps, memoryDrafts } from '../../support/memory.ts';
import { choice, fileReport, textOf } from '../../support/intake-driver.ts';

const lantern = new Lantern(allCommands);
const answers = {
  category: 'surveillance',
  when: '2025-06',
  where: 'Prato',
  what: 'Someone photographed me outside the community centre.',
  contact: 'none',
};

/** Counts the calls that reach the shared store. */
function counting(store: DraftStore) {
  const calls = { get: 0, update: 0 };
  const counted: DraftStore = {
    ...store,
    get: (...a) => (calls.get++, store.get(...a)),
    update: (...a) => (calls.update++, store.update(...a)),
  };
  return { counted, calls };
}

/** Two bot processes: each its own copies, one shared store (the database). */
function twoProcesses() {
  const base = memoryDeps();
  const shared = counting(base.drafts);
  const proc = (): CoreDeps => ({ ...base.deps, intake: { ...base.deps.intake!, drafts: cachedDrafts(shared.counted) } });
  return { base, shared, a: proc(), b: proc() };
}

describe('process-local draft copies', () => {
  it('answer a step with one store round trip (the versioned save), not a read and a save', async () => {
    const { base, shared, a } = twoProcesses();
    const ctx = contextFor(a);
    let r = await lantern.command('report', {}, ctx);
    r = await lantern.choice(choice(r, 'cat:surveillance'), ctx);
    const before = { ...shared.calls };
    r = await lantern.text('2025-06', ctx);
    r = await lantern.text('Prato', ctx);
    expect(r.kind).toBe('answer');
    expect(shared.calls.update - before.update).toBe(2);
    expect(shared.calls.get - before.get).toBe(0);
    expect(base.drafts.rows.get(ctx.actor.id)?.step).toMatch(/station|what/);
  });

  it('follow a conversation that moves to the other process at every step, without a “stale” answer', async () => {
    const { base, a, b } = twoProcesses();
    const ctxA = contextFor(a);
    const ctxB = contextFor(b);
    // Every step alternates between the two processes, each of which keeps an outdated copy.
    let turn = 0;
    const alternating = new Proxy(lantern, {
      get(target, prop, recv) {
        const v = Reflect.get(target, prop, recv);
        if (typeof v !== 'function' || !['command', 'choice', 'text', 'file'].includes(String(prop))) return v;
        return (arg: unknown, ...rest: unknown[]) => {
          const ctx = turn++ % 2 === 0 ? ctxA : ctxB;
          return (v as (...x: unknown[]) => unknown).apply(target, prop === 'command' ? [arg, rest[0], ctx] : [arg, ctx]);
        };
      },
    });
    const { publicId, replies } = await fileReport(alternating, ctxA, answers);
    expect(replies.filter((r) => r.code === 'REPORT.STALE_STEP')).toEqual([]);
    expect([...base.reports.reports.values()].map((r) => r.publicId)).toEqual([publicId]);
    expect(base.drafts.rows.size).toBe(0);
  });

  it('apply a typed answer to the current step even when this process’s copy is at an earlier step that would take it too', async () => {
    const { base, a, b } = twoProcesses();
    const ctxA = contextFor(a);
    let r = await lantern.command('report', {}, ctxA);
    r = await lantern.choice(choice(r, 'cat:surveillance'), ctxA);
    r = await lantern.text('2025-06', ctxA); // a's copy: at "where"
    r = await lantern.text('Somewhere without a station', contextFor(b)); // b answers "where": now at "what"
    expect(r.prompt?.field).toBe('what');
    const what = 'A man filmed our meeting and followed me to the station.';
    r = await lantern.text(what, ctxA); // would also be a valid "where"
    expect(r.kind).toBe('answer');
    expect(base.drafts.rows.get(ctxA.actor.id)?.step).toBe('evidence');
  });

  it('still keep only one of two answers racing for the same step in one process (a double tap)', async () => {
    const { base, a } = twoProcesses();
    const ctx = contextFor(a);
    const start = await lantern.command('report', {}, ctx);
    await lantern.choice(choice(start, 'cat:surveillance'), ctx);
    const [x, y] = await Promise.all([lantern.text('2025', ctx), lantern.text('2024', ctx)]);
    expect([x.code, y.code].filter((c) => c === 'REPORT.STALE_STEP')).toHaveLength(1);
    expect(base.drafts.rows.get(ctx.actor.id)).toMatchObject({ step: 'where', version: 3 });
  });

  it('answer a button from an outdated copy against the stored draft', async () => {
    const { a, b } = twoProcesses();
    const ctxA = contextFor(a);
    const ctxB = contextFor(b);
    let r = await lantern.command('report', {}, ctxA);
    r = await lantern.choice(choice(r, 'cat:surveillance'), ctxB); // b moves on; a's copy is at the category step
    const skip = await lantern.choice(choice(r, 'skip'), ctxA); // a button of the current step, pressed in a
    expect(skip.kind).toBe('answer');
    expect(skip.prompt?.field).toBe('where');
    const replay = await lantern.choice(choice(r, 'skip'), ctxB); // the same button again, in b
    expect(textOf(replay)).toContain('earlier step');
  });

  it('see a draft cancelled in the other process as gone', async () => {
    const { a, b } = twoProcesses();
    const ctxA: CoreContext = contextFor(a);
    let r = await lantern.command('report', {}, ctxA);
    r = await lantern.choice(choice(r, 'cat:surveillance'), ctxA);
    await lantern.choice(choice(r, 'cancel'), contextFor(b));
    const after = await lantern.text('2025-06', ctxA);
    expect(after.code).toBe('COMMAND.NOT_A_COMMAND'); // plain text with no draft in progress is not an intake answer
    expect((await lantern.choice(choice(r, 'skip'), ctxA)).code).toBe('REPORT.NO_DRAFT');
  });

  it('hold only sealed drafts, and at most the configured number', async () => {
    const store = memoryDrafts();
    const cache = cachedDrafts(store, 2);
    const now = new Date('2026-11-22T12:00:00Z');
    const later = new Date(now.getTime() + 60_000);
    for (const key of ['p1', 'p2', 'p3'])
      await cache.create({
        key,
        reportId: `r-${key}`,
        dataKey: { keyId: 'k1', data: new Uint8Array([9]) },
        step: 'category',
        state: { keyId: 'k1', data: new Uint8Array([1, 2, 3]) },
        messages: [],
        expiresAt: later,
      });
    let reads = 0;
    const get = store.get.bind(store);
    store.get = async (...x) => (reads++, get(...x));
    await cache.get('p3', now);
    await cache.get('p2', now);
    expect(reads).toBe(0);
    await cache.get('p1', now); // the oldest copy was dropped: read from the store
    expect(reads).toBe(1);
    expect(await cache.get('p3', later)).toBeNull(); // expired copies are not used
  });
});
