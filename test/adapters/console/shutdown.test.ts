/**
 * Graceful shutdown of the console bot (the real entry point on PGlite): SIGTERM while a command
 * is being answered lets it finish (its answer is written, what it saved is kept), then exits 0
 * without waiting for more input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src/core/reply.ts';
import { consoleBot, pick } from '../../support/console-process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lantern-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SIGTERM on the console', () => {
  it('finishes the command in flight, answers it, and exits 0', async () => {
    // An image that takes the cleaner a while (decode, strip, re-encode): the command in flight.
    const side = 5000;
    const pattern = Buffer.alloc(side * side);
    for (let i = 0; i < pattern.length; i++) pattern[i] = ((i % side) ^ Math.floor(i / side)) & 255;
    const image = path.join(dir, 'evidence.png');
    writeFileSync(
      image,
      await sharp(pattern, { raw: { width: side, height: side, channels: 1 } })
        .png()
        .toBuffer(),
    );

    const bot = consoleBot({ LANTERN_DATA_DIR: path.join(dir, 'data') });
    let r = await bot.say('/report');
    r = await bot.say(pick(r, 'cat:surveillance'));
    r = await bot.say('2025-06');
    r = await bot.say(pick(r, 'skip'));
    r = await bot.say('A man photographed everyone leaving the meeting.');
    expect(r.acceptsFile).toBe(true);

    const answers: Reply[] = [];
    let out = '';
    let answeredAt = 0;
    bot.child.stdout.removeAllListeners('data');
    bot.child.stdout.on('data', (d: Buffer) => ((out += d.toString()), (answeredAt ||= performance.now())));
    const exited = new Promise<number | null>((resolve) => bot.child.on('exit', resolve));
    bot.child.stdin.write(`/attach ${image}\n`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // read, and being cleaned
    bot.child.kill('SIGTERM');
    const killedAt = performance.now();
    expect(await exited).toBe(0); // with stdin still open: it does not wait for more input
    expect(answeredAt).toBeGreaterThan(killedAt); // the answer came after the signal: it was in flight
    for (const line of out.split('\n').filter(Boolean)) answers.push(JSON.parse(line) as Reply);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.kind).toBe('answer');
    expect(JSON.stringify(answers[0]!.blocks)).toMatch(/1/); // "image 1 received"

    // The image was kept: the draft resumes at the evidence step with it counted.
    const again = consoleBot({ LANTERN_DATA_DIR: path.join(dir, 'data') });
    r = await again.say('/report');
    r = await again.say(pick(r, 'resume'));
    expect(r.acceptsFile).toBe(true);
    expect(r.choices?.some((c) => c.id.endsWith(':done'))).toBe(true); // "done" appears once an image is attached
    expect(await again.end()).toBe(0);
  }, 60_000);
});
