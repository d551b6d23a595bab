/**
 * Bad input, at random (fast-check): every command's arguments, every button id, free text and
 * files at every step of a report, and dataset imports. Nothing may throw; every answer is a reply
 * with text. `npm run test:fuzz` is the nightly size (LANTERN_FUZZ_RUNS=100000 runs per property:
 * 500,049 cases, 81 s here); CI runs 400 per property. The number of cases run is printed.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.ts';
import { Dataset } from '../../src/core/dataset/dataset.schema.ts';
import { Lantern } from '../../src/core/lantern.ts';
import type { Reply } from '../../src/core/reply.ts';
import { contextFor, fixtureDataset, memoryDeps } from '../support/memory.ts';
import { choice, textOf } from '../support/intake-driver.ts';

const runs = Number(process.env.LANTERN_FUZZ_RUNS ?? 400);
/** Big runs take their time: a case costs well under 2 ms. */
const timeout = Math.max(60_000, runs * 2);
let cases = 0;
afterAll(() => console.log(`fuzzing: ${cases} cases (LANTERN_FUZZ_RUNS=${runs})`));
const lantern = new Lantern(allCommands);
const { deps } = memoryDeps(fixtureDataset);

const nasty = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202E',
    'R-AAAAAA',
    'rp:1:cat:other',
    'tr:view:R-AAAAAA',
    '<b>x</b>',
    '${x}',
    '{query}',
    '../../etc/passwd',
    'x'.repeat(5000),
    '纽约',
    '🏮',
  ),
);

function wellFormed(r: Reply) {
  cases++;
  expect(['answer', 'error']).toContain(r.kind);
  expect(textOf(r).trim().length).toBeGreaterThan(0);
  expect(textOf(r)).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
}

describe('fuzzing', () => {
  for (const cmd of allCommands) {
    it(
      `/${cmd.name}: any arguments, from anyone, anywhere, get a clear reply`,
      async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.dictionary(fc.constantFrom(...Object.keys(cmd.options), 'extra'), nasty),
            fc.boolean(),
            fc.boolean(),
            fc.constantFrom('en', 'zh-Hans', 'zh-Hant'),
            async (args, triage, isPrivate, locale) => {
              const r = await lantern.command(
                cmd.name,
                args,
                contextFor(deps, { triage, chat: isPrivate ? 'private' : 'public', locale: locale as 'en' }),
              );
              wellFormed(r);
            },
          ),
          { numRuns: Math.max(50, Math.floor(runs / allCommands.length)) },
        );
      },
      timeout,
    );
  }

  it(
    'any button id gets a clear reply and never crashes',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            nasty,
            fc
              .tuple(fc.constantFrom('rp', 'tr', 'language', 'lookup', 'x'), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }))
              .map(([a, b, c]) => `${a}:${b}:${c}`),
          ),
          fc.boolean(),
          async (id, triage) => {
            wellFormed(await lantern.choice(id, contextFor(deps, { triage })));
          },
        ),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'any text or file during a report gets a clear reply and keeps the draft',
    async () => {
      const ctx = contextFor(deps, { user: 'fuzzer' });
      await lantern.command('report', {}, ctx);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            nasty.map((t) => ({ t })),
            fc.uint8Array({ maxLength: 64 }).map((b) => ({ b })),
          ),
          async (x) => {
            const r = 't' in x ? await lantern.text(x.t, ctx) : await lantern.file({ bytes: x.b }, ctx);
            wellFormed(r);
            expect(await deps.intake!.drafts.get(ctx.actor.id, deps.clock.now())).not.toBeNull();
          },
        ),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'any input at any step of a report, buttons included, gets a clear reply and loses nothing already answered',
    async () => {
      // The steps of a report, each reached by answering the ones before it.
      const path: ((r: Reply, ctx: ReturnType<typeof contextFor>) => Promise<Reply>)[] = [
        (r, c) => lantern.choice(choice(r, 'cat:surveillance'), c),
        (_r, c) => lantern.text('2025-06', c),
        (_r, c) => lantern.text('Prato', c),
        (r, c) => lantern.choice(choice(r, 'st:0'), c),
        (_r, c) => lantern.text('Someone followed me home from the station.', c),
        (r, c) => lantern.choice(choice(r, 'skip'), c),
        (_r, c) => lantern.text('none', c),
        (r, c) => lantern.choice(choice(r, 'yes'), c),
        (r, c) => lantern.choice(choice(r, 'no'), c),
        (r, c) => lantern.choice(choice(r, 'no'), c),
      ];
      const input = fc.oneof(
        nasty.map((t) => ({ t })),
        fc.uint8Array({ maxLength: 64 }).map((b) => ({ b })),
        fc
          .tuple(
            fc.constantFrom('cat', 'st', 'skip', 'done', 'yes', 'no', 'back', 'submit', 'resume', 'x'),
            fc.oneof(fc.constant(undefined), nasty),
          )
          .map(([action, arg]) => ({ action, arg })),
      );
      let person = 0;
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: path.length }), input, fc.boolean(), async (steps, x, currentVersion) => {
          const ctx = contextFor(deps, { user: `fuzz-step-${person++}` });
          let r = await lantern.command('report', {}, ctx);
          for (const step of path.slice(0, steps)) r = await step(r, ctx);
          const before = await deps.intake!.drafts.get(ctx.actor.id, deps.clock.now());
          expect(before).not.toBeNull();
          const version = currentVersion ? before!.version : (before!.version + 7) % 50;
          const reply =
            't' in x
              ? await lantern.text(x.t, ctx)
              : 'b' in x
                ? await lantern.file({ bytes: x.b }, ctx)
                : await lantern.choice(['rp', version, x.action, ...(x.arg === undefined ? [] : [x.arg])].join(':'), ctx);
          wellFormed(reply);
          // Whatever happened, the report in progress is still there (unless it was sent or cancelled on purpose).
          if (!('action' in x && ['submit', 'cancel'].includes(x.action)))
            expect(await deps.intake!.drafts.get(ctx.actor.id, deps.clock.now())).not.toBeNull();
        }),
        { numRuns: runs },
      );
    },
    timeout,
  );

  it(
    'a dataset import of random JSON is refused with reasons, never accepted half-way',
    () => {
      fc.assert(
        fc.property(fc.jsonValue(), (v) => {
          const r = Dataset.safeParse(v);
          expect(r.success).toBe(false);
          if (!r.success) expect(r.error.issues.length).toBeGreaterThan(0);
        }),
        { numRuns: runs },
      );
      fc.assert(
        fc.property(fc.nat({ max: 5 }), fc.string(), (i, junk) => {
          const broken = structuredClone(fixtureDataset) as unknown as { claims: { sourceId: string; quote: string }[] };
          broken.claims[i % broken.claims.length]!.sourceId = `missing-${junk.length}`;
          expect(Dataset.safeParse(broken).success).toBe(false);
        }),
        { numRuns: 50 },
      );
      cases += runs + 50;
    },
    timeout,
  );
});
