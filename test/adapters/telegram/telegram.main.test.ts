/**
 * The real entry point (`npm start`'s command) with TELEGRAM_BOT_TOKEN and TELEGRAM_API_ROOT
 * pointed at the fake Bot API: it registers the menus, answers a /lookup, and stops cleanly on
 * SIGTERM, confirming the handled update so a restart would not see it again.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { people, startFakeTelegram, telegramUpdate } from '../../support/fake-telegram.ts';
import { MAIN } from '../../support/entry.ts';

const TOKEN = '123456:TEST-telegram-main-token-00000001';
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

describe('npm start with Telegram configured', () => {
  it('registers commands, answers /lookup New York, and stops on SIGTERM', async () => {
    const fake = await startFakeTelegram({ token: TOKEN });
    cleanup.push(() => fake.close());
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lantern-telegram-main-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TELEGRAM_|DISCORD_|HTTP_PORT|DATABASE_URL)/.test(k)));
    const child = spawn(process.execPath, [...MAIN], {
      env: { ...env, LANTERN_DATA_DIR: dataDir, LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    cleanup.push(async () => void (child.exitCode === null && child.kill('SIGKILL')));

    await fake.waitFor('getUpdates', () => true, { timeoutMs: 40_000 });
    expect(
      fake.callsOf('setMyCommands').map((c) => [(c.params.scope as { type: string }).type, c.params.language_code ?? 'default']),
    ).toEqual([
      ['default', 'default'],
      ['default', 'zh'],
      ['all_private_chats', 'default'],
      ['all_private_chats', 'zh'],
    ]);

    const id = fake.push(telegramUpdate({ text: '/lookup New York', from: people.alice }));
    const answer = await fake.waitFor(
      'sendMessage',
      (c) => Number(c.params.chat_id) === people.alice.id && String(c.params.text).includes('<b>New York</b>'),
      { timeoutMs: 20_000 },
    );
    expect(answer.params.parse_mode).toBe('HTML');
    await fake.waitFor(
      'sendMessage',
      (c) => Number(c.params.chat_id) === people.alice.id && String(c.params.text).includes('</blockquote>'),
    );

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The handled update was confirmed on the way out.
    expect(fake.callsOf('getUpdates').some((c) => Number(c.params.offset) === id + 1)).toBe(true);
    expect(fake.pendingUpdates()).toBe(0);
    expect(stderr).toContain('lantern ready');
    expect(stderr).not.toContain(String(people.alice.id));
    expect(stderr).not.toContain('New York');
    expect(stderr).not.toContain(TOKEN);
  });

  it('on SIGTERM, finishes the answer being sent before it exits', async () => {
    const fake = await startFakeTelegram({ token: TOKEN });
    cleanup.push(() => fake.close());
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lantern-telegram-stop-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TELEGRAM_|DISCORD_|HTTP_PORT|DATABASE_URL)/.test(k)));
    const child = spawn(process.execPath, [...MAIN], {
      env: { ...env, LANTERN_DATA_DIR: dataDir, LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    cleanup.push(async () => void (child.exitCode === null && child.kill('SIGKILL')));
    await fake.waitFor('getUpdates', () => true, { timeoutMs: 40_000 });
    while (!stderr.includes('lantern ready')) await new Promise((r) => setTimeout(r, 50));

    // Telegram takes 1.5 s to accept the first message of the answer: SIGTERM arrives meanwhile.
    fake.failNext(1, { status: 'slow', ms: 1500 }, 'sendMessage');
    const id = fake.push(telegramUpdate({ text: '/lookup New York', from: people.bo }));
    await fake.waitFor('getUpdates', (c) => Number(c.params.offset) > id, { timeoutMs: 20_000 }); // being handled
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const answer = fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === people.bo.id && c.status === 200);
    expect(answer).toHaveLength(1); // the answer's first page is one message, held 1.5 s by Telegram: delivered, not dropped
    expect(String(answer[0]!.params.text)).toContain('New York');
    expect(String(answer[answer.length - 1]!.params.text)).toContain('</blockquote>');
    expect(fake.pendingUpdates()).toBe(0); // confirmed: a restart would not answer it twice
  }, 60_000);
});
