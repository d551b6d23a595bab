/**
 * The realistic lookup queries (test/support/lookup-queries.ts) through the real console entry
 * point: each answered as the console prints it, ≥ 95% right, every answer one message of
 * ≤ 2,000 characters, and "More" (a numbered choice) reaching the next page. The claims-only
 * cases need places stored with the dataset (the dataset work's part of #12); the core test
 * runs them over the fixture.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderText } from '../../../src/adapters/console/render.ts';
import { MESSAGE_MAX } from '../../../src/core/lookup/pages.ts';
import { consoleBot } from '../../support/console-process.ts';
import { ON_BUNDLED as onBundled, score } from '../../support/lookup-queries.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-console-queries-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const ON_BUNDLED = onBundled();

describe('console: realistic lookup queries', () => {
  it(`answers ${ON_BUNDLED.length} realistic queries at ≥ 95%, each in one answer of ≤ 2,000 characters`, async () => {
    const bot = consoleBot({ LANTERN_DATA_DIR: dataDir });
    const answers = new Map<string, string>();
    for (const c of ON_BUNDLED) {
      const reply = await bot.say(`/lookup ${c.q}`);
      const text = renderText(reply, 'en');
      expect(text.length, c.q).toBeLessThanOrEqual(MESSAGE_MAX);
      answers.set(c.q, text);
    }
    // "More" is choice 1 on the console: typing its number shows the next page.
    const first = await bot.say('/lookup New York');
    expect(first.choices?.[0]?.id).toBe('lookup:New York #2');
    const second = await bot.say('1');
    expect(renderText(second, 'en')).not.toBe(renderText(first, 'en'));
    expect(second.blocks[0]).toMatchObject({ type: 'title' });
    expect(await bot.end()).toBe(0);
    const { rate, failures } = score(answers, ON_BUNDLED);
    expect(rate, failures.join('\n')).toBeGreaterThanOrEqual(0.95);
  });
});
