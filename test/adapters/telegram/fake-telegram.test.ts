/**
 * The strict fake Bot API refuses what the real one refuses, with the real error shape. Each
 * rule is shown refused at the limit + 1 and accepted at the limit, so the fake is neither
 * lax nor stricter than Telegram.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../support/fake-telegram.ts';

let fake: FakeTelegram;
const group = -1002000000777;
const user = 720001;

async function call(method: string, params: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${fake.url}/bot${fake.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const refused = (code: number, description: string, parameters?: unknown) => ({
  status: code,
  body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) },
});

beforeAll(async () => {
  fake = await startFakeTelegram({ strict: { groupPerMinute: 20, groupWindowMs: 60_000 } });
});
afterAll(async () => {
  await fake.close();
});

describe('strict fake Telegram', () => {
  it('counts text after entity parsing: 4096 characters pass, 4097 are refused, empty is refused', async () => {
    expect((await call('sendMessage', { chat_id: user, text: `<b>${'x'.repeat(4096)}</b>`, parse_mode: 'HTML' })).status).toBe(200);
    expect((await call('sendMessage', { chat_id: user, text: '&amp;'.repeat(4096), parse_mode: 'HTML' })).status).toBe(200);
    expect(await call('sendMessage', { chat_id: user, text: 'x'.repeat(4097) })).toEqual(refused(400, 'Bad Request: message is too long'));
    expect(await call('sendMessage', { chat_id: user, text: '<b></b>', parse_mode: 'HTML' })).toEqual(
      refused(400, 'Bad Request: message text is empty'),
    );
  });

  it('refuses a caption over 1024 characters', async () => {
    expect((await call('sendPhoto', { chat_id: user, photo: 'x', caption: 'c'.repeat(1024) })).status).toBe(200);
    expect(await call('sendDocument', { chat_id: user, document: 'x', caption: 'c'.repeat(1025) })).toEqual(
      refused(400, 'Bad Request: message caption is too long'),
    );
  });

  it('refuses callback_data over 64 bytes (bytes, not characters) and more than 100 buttons', async () => {
    const kb = (rows: { text: string; callback_data: string }[][]) => ({
      chat_id: user,
      text: 'k',
      reply_markup: { inline_keyboard: rows },
    });
    expect((await call('sendMessage', kb([[{ text: 'a', callback_data: 'é'.repeat(32) }]]))).status).toBe(200);
    expect(await call('sendMessage', kb([[{ text: 'a', callback_data: 'é'.repeat(32) + 'x' }]]))).toEqual(
      refused(400, 'Bad Request: BUTTON_DATA_INVALID'),
    );
    const buttons = (n: number) => Array.from({ length: n }, (_, i) => [{ text: `b${i}`, callback_data: `d${i}` }]);
    expect((await call('sendMessage', kb(buttons(100)))).status).toBe(200);
    expect(await call('sendMessage', kb(buttons(101)))).toEqual(refused(400, 'Bad Request: reply markup is too long'));
  });

  it('answers a send into a migrated group with 400 and migrate_to_chat_id', async () => {
    fake.migrateGroup(-4001, -1004001);
    expect(await call('sendMessage', { chat_id: -4001, text: 'hi' })).toEqual(
      refused(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -1004001 }),
    );
    expect((await call('sendMessage', { chat_id: -1004001, text: 'hi' })).status).toBe(200);
  });

  it('refuses getFile of a file over 20 MB, and serves a small one', async () => {
    const big = fake.addLargeFile(25 * 1024 * 1024);
    expect(await call('getFile', { file_id: big.file_id })).toEqual(refused(400, 'Bad Request: file is too big'));
    const small = fake.addFile(new Uint8Array(10));
    expect((await call('getFile', { file_id: small.file_id })).status).toBe(200);
  });

  it('records the topic of every message into a forum: General without message_thread_id; refuses an unknown topic', async () => {
    fake.makeForum(group, [77]);
    const before = fake.calls.length;
    await call('sendMessage', { chat_id: group, text: 'in topic', message_thread_id: 77 });
    await call('sendMessage', { chat_id: group, text: 'no thread' });
    expect(fake.callsOf('sendMessage', before).map((c) => c.topic)).toEqual([77, 'general']);
    expect(await call('sendMessage', { chat_id: group, text: 'x', message_thread_id: 78 })).toEqual(
      refused(400, 'Bad Request: message thread not found'),
    );
  });

  it('takes 20 messages a minute in one group, then answers 429 with how long to wait', async () => {
    const g = -1002000000888;
    for (let i = 0; i < 20; i++) expect((await call('sendMessage', { chat_id: g, text: `m${i}` })).status).toBe(200);
    const r = await call('sendMessage', { chat_id: g, text: 'one too many' });
    expect(r.status).toBe(429);
    const retry = (r.body.parameters as { retry_after: number }).retry_after;
    expect(retry).toBeGreaterThan(50);
    expect(r.body).toEqual({
      ok: false,
      error_code: 429,
      description: `Too Many Requests: retry after ${retry}`,
      parameters: { retry_after: retry },
    });
    expect((await call('sendMessage', { chat_id: user, text: 'a private chat is not counted' })).status).toBe(200);
  });

  it('refuses to write to a person who blocked the bot', async () => {
    fake.blockedByUser(720002);
    expect(await call('sendMessage', { chat_id: 720002, text: 'hi' })).toEqual(refused(403, 'Forbidden: bot was blocked by the user'));
  });
});
