/**
 * Webhook mode: the real grammY webhook handler mounted on Lantern's HTTP server, refusing
 * requests without Telegram's secret token; per-person flood control; stopping; and the clear
 * start-up error when webhook mode has no HTTP port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.ts';
import { startTelegram } from '../../../src/adapters/telegram/telegram.adapter.ts';
import { loadConfig } from '../../../src/config.ts';
import { Lantern } from '../../../src/core/lantern.ts';
import { HttpServer } from '../../../src/http.ts';
import { people, telegramUpdate, type UpdateInput } from '../../support/fake-telegram.ts';
import { startHarness, textOf, TOKEN, type Harness } from './support.ts';

const SECRET = 'webhook-secret-0123456789_abcdef';
const HOOK = 'https://bot.example.org/lantern/telegram-hook';
let h: Harness;
let port: number;
let updateId = 5000;

beforeAll(async () => {
  h = await startHarness(
    { TELEGRAM_WEBHOOK_URL: HOOK, TELEGRAM_WEBHOOK_SECRET: SECRET, HTTP_PORT: '0' },
    { flood: { timeFrameMs: 60_000, limit: 3 } },
  );
  port = await h.http.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await h?.stop();
});

/** What Telegram's servers would POST to the webhook. */
function post(update: UpdateInput, secret?: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/lantern/telegram-hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body: JSON.stringify({ update_id: updateId++, ...update }),
  });
}

describe('telegram adapter in webhook mode', () => {
  it('sets the webhook with the secret token and does not long-poll', () => {
    const [set, ...more] = h.fake.callsOf('setWebhook');
    expect(more).toEqual([]);
    expect(set!.params).toEqual({
      url: HOOK,
      secret_token: SECRET,
      allowed_updates: ['message', 'edited_message', 'callback_query', 'inline_query'],
    });
    expect(h.fake.callsOf('getUpdates')).toEqual([]);
    expect(h.fake.callsOf('deleteWebhook')).toEqual([]);
  });

  it('refuses a request without the right secret token (401) and handles nothing', async () => {
    const before = h.fake.calls.length;
    expect((await post(telegramUpdate({ text: '/help' }), 'wrong-secret-0123456789_abcdefgh')).status).toBe(401);
    expect((await post(telegramUpdate({ text: '/help' }))).status).toBe(401);
    expect(h.fake.calls.slice(before).filter((c) => c.method !== 'getMe')).toEqual([]);
  });

  it('handles an update with the right secret token', async () => {
    const before = h.fake.calls.length;
    const res = await post(telegramUpdate({ text: '/lookup Prato', from: people.bo }), SECRET);
    expect(res.status).toBe(200);
    const sent = h.fake.callsOf('sendMessage', before).filter((c) => Number(c.params.chat_id) === people.bo.id);
    expect(sent.map(textOf).join('\n')).toContain('普拉托');
  });

  it('reports readiness on /readyz', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(((await res.json()) as { checks: Record<string, boolean> }).checks.telegram).toBe(true);
  });

  it('tells a flooding person to slow down once, then drops their updates', async () => {
    const flooder = { id: 716666, is_bot: false, first_name: 'Flooder', language_code: 'en' };
    const before = h.fake.calls.length;
    for (let i = 0; i < 6; i++) expect((await post(telegramUpdate({ text: '/help', from: flooder }), SECRET)).status).toBe(200);
    const texts = h.fake
      .callsOf('sendMessage', before)
      .filter((c) => Number(c.params.chat_id) === flooder.id)
      .map(textOf);
    expect(texts.filter((t) => t.includes('How your data is handled'))).toHaveLength(3);
    expect(texts.filter((t) => t.includes('You are sending messages very fast'))).toHaveLength(1);
    // Someone else is not affected.
    const other = h.fake.calls.length;
    await post(telegramUpdate({ text: '/help', from: people.alice }), SECRET);
    expect(h.fake.callsOf('sendMessage', other).some((c) => Number(c.params.chat_id) === people.alice.id)).toBe(true);
  });

  it('stops: the webhook answers 503 (Telegram retries later) and nothing is deleted', async () => {
    await h.adapter.stop();
    const before = h.fake.calls.length;
    expect((await post(telegramUpdate({ text: '/help' }), SECRET)).status).toBe(503);
    expect(h.fake.calls.slice(before)).toEqual([]);
    expect(h.fake.callsOf('deleteWebhook')).toEqual([]);
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(res.status).toBe(503);
  });

  it('refuses to start a webhook without HTTP_PORT, saying what to set', async () => {
    // The configuration refuses it first (exit 2 at start) …
    expect(() =>
      loadConfig({
        LANTERN_DATA_DIR: h.dataDir,
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: h.fake.url,
        TELEGRAM_WEBHOOK_URL: HOOK,
        TELEGRAM_WEBHOOK_SECRET: SECRET,
      }),
    ).toThrow('TELEGRAM_WEBHOOK_URL needs HTTP_PORT');
    // … and the adapter still guards against a hand-built configuration.
    const config = loadConfig({
      LANTERN_DATA_DIR: h.dataDir,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: h.fake.url,
      TELEGRAM_WEBHOOK_URL: HOOK,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      HTTP_PORT: '0',
    });
    await expect(
      startTelegram({
        app: h.app,
        lantern: new Lantern(allCommands),
        config: { ...config, httpPort: undefined },
        log: h.log,
        http: new HttpServer(),
      }),
    ).rejects.toThrow('TELEGRAM_WEBHOOK_URL needs HTTP_PORT');
  });
});
