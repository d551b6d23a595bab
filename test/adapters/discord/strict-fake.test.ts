/**
 * The fake Discord refuses what the real API refuses, with Discord's status, code and error body
 * (each rule cites its documentation in test/support/fake-discord.ts). Plain HTTP calls against
 * the fake: every rule is shown refusing just over the limit and accepting at the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  autocompleteInteraction,
  FAKE,
  slashInteraction,
  startFakeDiscord,
  type FakeDiscord,
  type InteractionPayload,
} from '../../support/fake-discord.ts';

let fake: FakeDiscord;
beforeAll(async () => {
  fake = await startFakeDiscord();
});
afterAll(async () => {
  await fake?.close();
});

const api = (path: string) => `${fake.apiRoot}/v10${path}`;
const post = async (path: string, body: unknown, method = 'POST') => {
  const res = await fetch(api(path), { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: res.status === 204 ? undefined : ((await res.json()) as any) };
};
/** A multipart upload with files of the given sizes. */
const upload = async (path: string, body: unknown, sizes: number[]) => {
  const form = new FormData();
  form.append('payload_json', JSON.stringify(body));
  sizes.forEach((n, k) => form.append(`files[${k}]`, new Blob([new Uint8Array(n)]), `f${k}.bin`));
  const res = await fetch(api(path), { method: 'POST', body: form });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
};
/** An interaction Discord has just sent (dispatched, so the fake starts its clock). */
const fresh = (p: InteractionPayload = slashInteraction('lookup', { place: 'Prato' })) => {
  fake.dispatch('INTERACTION_CREATE', p);
  return p;
};
const callback = (p: InteractionPayload) => `/interactions/${p.id}/${p.token}/callback`;
const webhook = (p: InteractionPayload, tail = '') => `/webhooks/${FAKE.applicationId}/${p.token}${tail}`;
const reply = (data: unknown) => ({ type: 4, data });
const embed = (e: Record<string, unknown>) => reply({ embeds: [e] });
const s = (n: number) => 'x'.repeat(n);

describe('strict fake Discord', () => {
  it('refuses a first callback after 3 s with 404 10062, autocomplete included, and accepts one in time', async () => {
    const late = fresh();
    const lateAc = fresh(autocompleteInteraction('lookup', 'place', 'Tor'));
    const inTime = fresh();
    expect((await post(callback(inTime), { type: 5 })).status).toBe(204);
    fake.advanceClock(3_001);
    try {
      expect(await post(callback(late), { type: 5 })).toEqual({ status: 404, body: { message: 'Unknown interaction', code: 10062 } });
      expect((await post(callback(lateAc), { type: 8, data: { choices: [] } })).body.code).toBe(10062);
      // the one answered in time can still be edited and followed up
      expect((await post(webhook(inTime, '/messages/@original'), { content: 'ok' }, 'PATCH')).status).toBe(200);
    } finally {
      fake.advanceClock(-3_001);
    }
  });

  it('refuses follow-ups and edits after the token’s 15 minutes with 404 10015', async () => {
    const p = fresh();
    expect((await post(callback(p), { type: 5 })).status).toBe(204);
    expect((await post(webhook(p), { content: 'within' })).status).toBe(200);
    fake.advanceClock(15 * 60_000 + 1);
    try {
      expect(await post(webhook(p), { content: 'late' })).toEqual({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
      expect((await post(webhook(p, '/messages/@original'), { content: 'late' }, 'PATCH')).body.code).toBe(10015);
    } finally {
      fake.advanceClock(-(15 * 60_000 + 1));
    }
  });

  it('treats a follow-up right after a defer as an edit of the original (flags ignored), and refuses one after the deferred original was deleted', async () => {
    const p = fresh();
    expect((await post(callback(p), { type: 5 })).status).toBe(204);
    expect((await post(webhook(p), { content: 'private?', flags: 64 })).status).toBe(200);
    const first = fake.calls.filter((c) => c.path === webhook(p));
    expect(first.map((c) => c.editedOriginal)).toEqual([true]);
    // once the original exists, a follow-up is a new message
    expect((await post(webhook(p), { content: 'second', flags: 64 })).status).toBe(200);
    expect(fake.calls.filter((c) => c.path === webhook(p)).map((c) => Boolean(c.editedOriginal))).toEqual([true, false]);
    const q = fresh();
    expect((await post(callback(q), { type: 5 })).status).toBe(204);
    expect((await post(webhook(q, '/messages/@original'), undefined, 'DELETE')).status).toBe(204);
    expect(await post(webhook(q), { content: 'after delete', flags: 64 })).toEqual({
      status: 404,
      body: { message: 'Unknown Message', code: 10008 },
    });
  });

  it('refuses content over 2,000 characters with 50035 and the field’s error', async () => {
    expect((await post(callback(fresh()), reply({ content: s(2_000) }))).status).toBe(204);
    const r = await post(callback(fresh()), reply({ content: s(2_001) }));
    expect(r).toEqual({
      status: 400,
      body: {
        message: 'Invalid Form Body',
        code: 50035,
        errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }] } },
      },
    });
  });

  it('refuses each embed limit just over it, and accepts it at the limit', async () => {
    const cases: [Record<string, unknown>, Record<string, unknown>, string][] = [
      [{ title: s(256) }, { title: s(257) }, 'title'],
      [{ description: s(4_096) }, { description: s(4_097) }, 'description'],
      [{ footer: { text: s(2_048) } }, { footer: { text: s(2_049) } }, 'footer'],
      [{ author: { name: s(256) } }, { author: { name: s(257) } }, 'author'],
      [
        { fields: Array.from({ length: 25 }, () => ({ name: 'n', value: 'v' })) },
        { fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) },
        'fields',
      ],
      [{ fields: [{ name: s(256), value: s(1_024) }] }, { fields: [{ name: s(257), value: 'v' }] }, 'fields'],
      [{ fields: [{ name: 'n', value: s(1_024) }] }, { fields: [{ name: 'n', value: s(1_025) }] }, 'fields'],
    ];
    for (const [fits, over, key] of cases) {
      expect((await post(callback(fresh()), embed(fits))).status).toBe(204);
      const r = await post(callback(fresh()), embed(over));
      expect(r.status).toBe(400);
      expect(r.body.code).toBe(50035);
      expect(Object.keys(r.body.errors.embeds['0'])).toEqual([key]);
    }
    // 6,000 characters across all embeds of a message; 10 embeds
    const two = (n: number) => reply({ embeds: [{ description: s(3_000) }, { description: s(n) }] });
    expect((await post(callback(fresh()), two(3_000))).status).toBe(204);
    expect((await post(callback(fresh()), two(3_001))).body.errors.embeds._errors[0].code).toBe('MAX_EMBED_SIZE_EXCEEDED');
    const many = (n: number) => reply({ embeds: Array.from({ length: n }, () => ({ description: 'd' })) });
    expect((await post(callback(fresh()), many(10))).status).toBe(204);
    expect((await post(callback(fresh()), many(11))).body.errors.embeds._errors[0].code).toBe('BASE_TYPE_MAX_LENGTH');
  });

  it('refuses each component limit: 5 rows, 5 buttons a row, custom_id 100, label 80, 25 options', async () => {
    const button = (id = 'b', label = 'l') => ({ type: 2, style: 2, custom_id: id, label });
    const row = (...components: unknown[]) => ({ type: 1, components });
    const select = (n: number) => ({
      type: 3,
      custom_id: 's',
      options: Array.from({ length: n }, (_, k) => ({ label: `o${k}`, value: `v${k}` })),
    });
    const pairs: [unknown[], unknown[]][] = [
      [Array.from({ length: 5 }, () => row(button())), Array.from({ length: 6 }, () => row(button()))],
      [[row(...Array.from({ length: 5 }, () => button()))], [row(...Array.from({ length: 6 }, () => button()))]],
      [[row(button(s(100)))], [row(button(s(101)))]],
      [[row(button('b', s(80)))], [row(button('b', s(81)))]],
      [[row(select(25))], [row(select(26))]],
    ];
    for (const [fits, over] of pairs) {
      expect((await post(callback(fresh()), reply({ components: fits }))).status).toBe(204);
      const r = await post(callback(fresh()), reply({ components: over }));
      expect(r.status).toBe(400);
      expect(r.body.code).toBe(50035);
      expect(r.body.errors.components).toBeDefined();
    }
  });

  it('refuses more than 25 autocomplete choices', async () => {
    const choices = (n: number) => ({
      type: 8,
      data: { choices: Array.from({ length: n }, (_, k) => ({ name: `c${k}`, value: `v${k}` })) },
    });
    expect((await post(callback(fresh(autocompleteInteraction('lookup', 'place', 'T'))), choices(25))).status).toBe(204);
    expect(
      (await post(callback(fresh(autocompleteInteraction('lookup', 'place', 'T'))), choices(26))).body.errors.data.choices._errors[0].code,
    ).toBe('BASE_TYPE_MAX_LENGTH');
  });

  it('refuses a file over the interaction’s attachment_size_limit and a request over 25 MiB with 413 40005, and more than 10 files', async () => {
    const MiB = 1024 * 1024;
    const small = fresh(slashInteraction('x', {}, { attachmentSizeLimit: 2 * MiB }));
    expect((await upload(callback(small), reply({ content: 'f' }), [2 * MiB])).status).toBe(204);
    const over = fresh(slashInteraction('x', {}, { attachmentSizeLimit: 2 * MiB }));
    expect(await upload(callback(over), reply({ content: 'f' }), [2 * MiB + 1])).toEqual({
      status: 413,
      body: { message: 'Request entity too large', code: 40005 },
    });
    // a boosted server's 50 MiB per file still meets the 25 MiB a request
    const boosted = fresh(slashInteraction('x', {}, { attachmentSizeLimit: 50 * MiB }));
    expect((await upload(callback(boosted), reply({ content: 'f' }), [9 * MiB, 9 * MiB, 8 * MiB])).status).toBe(413);
    expect(await upload(callback(fresh()), reply({ content: 'f' }), Array(10).fill(10))).toMatchObject({ status: 204 });
    expect((await upload(callback(fresh()), reply({ content: 'f' }), Array(11).fill(10))).body.errors.attachments._errors[0].code).toBe(
      'BASE_TYPE_MAX_LENGTH',
    );
    // channel messages: 10 MiB per file by default
    expect((await upload(`/channels/${FAKE.triageChannel}/messages`, { content: 'f' }, [10 * MiB + 1])).status).toBe(413);
    expect(fake.refused().map((c) => c.refusal.code)).toContain(40005);
  });
});
