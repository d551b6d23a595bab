/**
 * Specification: the Discord adapter keeps its promises when Discord misbehaves. The real
 * discord.js client of the adapter (and, for shutdown, the real entry point) against the fake
 * Discord on 127.0.0.1; every wait is bounded.
 *
 * - A REST connection that drops, before or after Discord carried the call out, never loses an
 *   answer nor shows one twice.
 * - A lost gateway connection (cut, closed, told to reconnect, session forgotten, heartbeats
 *   unanswered, connections refused for a while) is recovered by discord.js on its own, and an
 *   interaction Discord sent meanwhile is still answered.
 * - A burst of people while every fault happens at once: each gets exactly one answer.
 * - SIGTERM with answers in flight: they are delivered, then the process exits 0.
 *
 * The simplest cases live beside: one 429 and one 502 in discord.adapter.test.ts, one dropped
 * callback, one cut gateway and a burst with drops/500/429 in network-faults.test.ts, SIGTERM
 * with a slow callback in main.e2e.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textReply } from '../../../src/core/reply.ts';
import {
  dmChannel,
  dmMessage,
  newUser,
  slashInteraction,
  startFakeDiscord,
  type FakeDiscord,
  type InteractionPayload,
  type RecordedCall,
} from '../../support/fake-discord.ts';
import { discordEnv, startHarness, testCommand, type Harness } from './harness.ts';
import { MAIN } from '../../support/entry.ts';

/** A command whose answer takes longer than the adapter waits before deferring (1 s here). */
const slow = testCommand('slow', () => textReply('a slow public answer'), { delayMs: 1_300 });
/** A public answer of two Discord messages (one message holds at most 6,000 characters of embeds). */
const long = testCommand('long', () => textReply(`a long answer ${'with many words '.repeat(440)}`));
/** A slow private answer (deferred, then sent only to the person who asked). */
const slowPrivate = testCommand('slowprivate', () => textReply('a slow PRIVATE answer', { private: true }), { delayMs: 1_300 });

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ extraCommands: [slow, long, slowPrivate], adapter: { deferAfterMs: 1_000 } });
});
afterAll(async () => {
  await h?.close();
});

/** Every text a message carries (content, embed titles and descriptions). */
const textOf = (data: { content?: string; embeds?: { title?: string; description?: string }[] } | undefined) =>
  [data?.content ?? '', ...(data?.embeds ?? []).map((e) => `${e.title ?? ''}\n${e.description ?? ''}`)].join('\n');
/** The REST calls made for one interaction: its callbacks and its webhook (token) calls. */
const callsFor = (fake: FakeDiscord, p: InteractionPayload): RecordedCall[] =>
  fake.calls.filter((c) => c.path.startsWith(`/interactions/${p.id}/`) || c.path.split('/')[3] === p.token);
const accepted = (calls: RecordedCall[]) => calls.filter((c) => c.path.endsWith('/callback') && c.status >= 200 && c.status < 300);
/** Waits until `condition` holds, failing after `ms`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const errorsLogged = () => h.log.entries.filter((e) => e.level === 'error');

describe('Discord adapter under faults', () => {
  describe('when a REST connection drops', () => {
    it('takes an answer Discord received, whose acknowledgement was lost, as delivered and sends the rest of it', async () => {
      // The first message of a two-message answer reaches Discord, the connection drops on the way
      // back; discord.js sends it again and Discord refuses the copy (40060 already acknowledged).
      h.fake.fail({ status: 0, afterCarriedOut: true, times: 1, path: /\/callback$/ });
      const errors = errorsLogged().length;
      const p = slashInteraction('long', {}, { user: newUser() });
      const cb = await h.fake.interact(p, 15_000);
      expect(textOf(cb.data)).toContain('a long answer');
      const followUp = await h.fake.waitFor((c) => c.method === 'POST' && c.path === `/webhooks/${p.application_id}/${p.token}`, 15_000);
      expect(followUp.status).toBe(200);
      const calls = callsFor(h.fake, p);
      expect(calls.map((c) => `${c.method} ${c.status}${c.dropped ? ' dropped' : ''}`)).toEqual([
        'POST 204 dropped',
        'POST 400',
        'POST 200',
      ]);
      expect(accepted(calls)).toHaveLength(1);
      expect(errorsLogged()).toHaveLength(errors);
    });

    it('finishes a deferred answer when both the “thinking…” and the edit lost their acknowledgement: one message', async () => {
      h.fake.fail({ status: 0, afterCarriedOut: true, times: 1, path: /\/callback$/ });
      h.fake.fail({ status: 0, afterCarriedOut: true, times: 1, path: /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/ });
      const errors = errorsLogged().length;
      const p = slashInteraction('slow', {}, { user: newUser() });
      const cb = await h.fake.interact(p, 15_000);
      expect(cb.type).toBe(5); // "thinking…"
      await until(() => callsFor(h.fake, p).filter((c) => c.method === 'PATCH').length === 2, 15_000, 'the edit sent again');
      const calls = callsFor(h.fake, p);
      // The copy of the “thinking…” is refused (already acknowledged), the edit is simply made twice.
      expect(calls.map((c) => `${c.method} ${c.status}${c.dropped ? ' dropped' : ''}`)).toEqual([
        'POST 204 dropped',
        'POST 400',
        'PATCH 200 dropped',
        'PATCH 200',
      ]);
      for (const edit of calls.slice(2)) expect(textOf(edit.body)).toContain('a slow public answer');
      expect(errorsLogged()).toHaveLength(errors);
    });

    it('posts a DM answer once when the connection drops after Discord created the message', async () => {
      const u = newUser();
      const dm = dmChannel(u);
      h.fake.fail({ status: 0, afterCarriedOut: true, times: 1, path: new RegExp(`^/channels/${dm}/messages$`) });
      h.fake.dm(dmMessage('/lookup Prato', [], u));
      const posts = () => h.fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${dm}/messages`);
      await until(() => posts().length === 2, 15_000, 'the DM answer sent again');
      expect(posts().map((c) => `${c.status}${c.dropped ? ' dropped' : ''}`)).toEqual(['200 dropped', '200']);
      expect(h.fake.channelMessages(dm)).toHaveLength(1);
      expect(textOf(h.fake.channelMessages(dm)[0]!.body)).toContain('Prato');
      // How: the same nonce both times, enforced, so Discord returned the first message.
      expect(posts()[0]!.body.nonce).toEqual(expect.any(String));
      expect(posts()[1]!.body).toMatchObject({ nonce: posts()[0]!.body.nonce, enforce_nonce: true });
    });

    it('gives up after discord.js’s retries when every attempt drops, logs the interaction id, and answers the next person', async () => {
      const p = slashInteraction('lookup', { place: 'Toronto' }, { user: newUser() });
      h.fake.fail({ status: 0, times: 1_000, path: new RegExp(`^/interactions/${p.id}/`) });
      try {
        h.fake.dispatch('INTERACTION_CREATE', p);
        // The answer is dropped on every attempt, then the apology too.
        await until(
          () =>
            h.log.entries.some(
              (e) => e.msg === 'discord apology not delivered' && (e.obj as { interaction?: string }).interaction === p.id,
            ),
          15_000,
          'the apology given up',
        );
        const attempts = callsFor(h.fake, p);
        expect(attempts.length).toBeGreaterThanOrEqual(4); // retried, both the answer and the apology
        expect(attempts.length).toBeLessThanOrEqual(10); // and not forever
        expect(attempts.every((c) => c.status === 0)).toBe(true);
        expect(
          h.log.entries.find((e) => e.msg === 'discord interaction failed' && (e.obj as { interaction?: string }).interaction === p.id),
        ).toBeDefined();
      } finally {
        h.fake.reset();
      }
      const next = await h.fake.interact(slashInteraction('lookup', { place: 'Toronto' }, { user: newUser() }), 15_000);
      expect(textOf(next.data)).toContain('Toronto');
    });
  });

  describe('when the answer comes after the interaction token expired (15 minutes)', () => {
    // "Interaction tokens are valid for 15 minutes" (interactions/receiving-and-responding): the
    // fake's clock is moved past them between the defer and the answer.
    const channelPosts = (channel: string) =>
      h.fake.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${channel}/messages` && c.status === 200);

    it('posts a public answer into the channel as a message', async () => {
      const p = slashInteraction('slow', {}, { user: newUser() });
      const deferred = await h.fake.interact(p);
      expect(deferred.type).toBe(5);
      h.fake.advanceClock(16 * 60_000);
      await until(
        () => channelPosts(p.channel_id!).some((c) => textOf(c.body).includes('a slow public answer')),
        10_000,
        'the answer in the channel',
      );
      expect(
        h.fake
          .refused()
          .filter((c) => c.path.split('/')[3] === p.token)
          .map((c) => c.refusal.code),
      ).toEqual([10015]);
    });

    it('sends a private answer by DM, never into the channel', async () => {
      const user = newUser();
      const p = slashInteraction('slowprivate', {}, { user });
      await h.fake.interact(p);
      h.fake.advanceClock(16 * 60_000);
      const dm = dmChannel(user);
      await until(() => channelPosts(dm).some((c) => textOf(c.body).includes('a slow PRIVATE answer')), 10_000, 'the answer by DM');
      expect(channelPosts(p.channel_id!).some((c) => textOf(c.body).includes('PRIVATE'))).toBe(false);
    });
  });

  describe('when the gateway connection is lost', () => {
    const since = (mark: number) => h.fake.gatewayLog.slice(mark);

    it.each([
      ['is cut without a close frame (1006)', (f: FakeDiscord) => f.dropGateway()],
      ['is closed with 4000 (unknown error)', (f: FakeDiscord) => f.closeGateway(4000, 'unknown error')],
      ['is told to reconnect (op 7)', (f: FakeDiscord) => f.requestReconnect()],
    ])('resumes the session when the connection %s, and answers the interaction Discord sent meanwhile', async (_how, fault) => {
      const mark = h.fake.gatewayLog.length;
      const identifies = h.fake.identifies.length;
      fault(h.fake);
      await until(() => h.fake.openSessions() === 0, 5_000, 'the connection closed');
      // Sent while the bot is away: Discord keeps it for the session and replays it on RESUME.
      const p = slashInteraction('lookup', { place: 'Prato' }, { user: newUser() });
      const cb = await h.fake.interact(p, 15_000);
      expect(textOf(cb.data)).toContain('Prato');
      expect(since(mark)).toContain('resume');
      expect(since(mark)).toContain('replayed 1');
      expect(h.fake.identifies).toHaveLength(identifies);
      expect(h.fake.openSessions()).toBe(1);
    });

    it.each([
      [
        'refuses to resume a session it forgot while the connection was cut',
        (f: FakeDiscord) => (f.dropGateway(), f.invalidateSessions()),
        ['resume refused', 'identify'],
      ],
      ['closes the connection with 4007 (invalid sequence)', (f: FakeDiscord) => f.closeGateway(4007, 'invalid seq'), ['identify']],
    ])('identifies again when Discord %s, and answers the next interaction', async (_how, fault, expected) => {
      const mark = h.fake.gatewayLog.length;
      const identifies = h.fake.identifies.length;
      fault(h.fake);
      await until(() => h.fake.identifies.length > identifies && h.fake.openSessions() === 1, 15_000, 'identified again');
      expect(since(mark).filter((e) => e === 'resume refused' || e === 'identify' || e === 'resume')).toEqual(expected);
      const cb = await h.fake.interact(slashInteraction('lookup', { place: 'Toronto' }, { user: newUser() }), 15_000);
      expect(textOf(cb.data)).toContain('Toronto');
      expect(h.fake.openSessions()).toBe(1);
    });

    it('notices a connection whose heartbeats go unanswered, resumes, and answers', async () => {
      h.fake.setHeartbeat({ intervalMs: 150, ack: false });
      const mark = h.fake.gatewayLog.length;
      try {
        h.fake.dropGateway(); // the next connection beats every 150 ms and hears nothing back
        await until(() => since(mark).filter((e) => e === 'resume').length >= 2, 10_000, 'a zombie connection noticed');
        // discord.js closed it itself (4200: it means to resume) after one unanswered heartbeat.
        expect(since(mark)).toContain('closed 4200');
      } finally {
        h.fake.setHeartbeat({ intervalMs: 41_250, ack: true });
      }
      const cb = await h.fake.interact(slashInteraction('lookup', { place: 'Prato' }, { user: newUser() }), 15_000);
      expect(textOf(cb.data)).toContain('Prato');
    });

    it('keeps trying while the gateway refuses connections, then answers', async () => {
      const mark = h.fake.gatewayLog.length;
      h.fake.refuseGateway(3, 503);
      h.fake.dropGateway();
      await until(
        () => h.fake.openSessions() === 1 && since(mark).filter((e) => e === 'refused 503').length === 3,
        15_000,
        'connected again after 3 refusals',
      );
      const cb = await h.fake.interact(slashInteraction('lookup', { place: 'New York' }, { user: newUser() }), 15_000);
      expect(textOf(cb.data)).toContain('New York');
    });
  });

  describe('under a burst of people while Discord fails in every way at once', () => {
    it('answers each of 30 people exactly once, each with their own answer, and keeps running', async () => {
      const errors = errorsLogged().length;
      const callback = /\/callback$/;
      // Taken in this order by the first failing attempts of the burst, then Discord behaves.
      h.fake.fail({ status: 0, times: 2, path: callback }); // dropped before Discord had the answer
      h.fake.fail({ status: 0, afterCarriedOut: true, times: 3, path: callback }); // dropped after
      h.fake.fail({ status: 500, times: 1, path: callback });
      h.fake.fail({ status: 502, times: 1, path: callback });
      h.fake.fail({ status: 503, times: 1, path: callback });
      h.fake.fail({ status: 429, times: 2, path: callback, retryAfter: 0.3 });
      h.fake.fail({ status: 429, times: 1, path: callback, retryAfter: 0.3, global: true });
      h.fake.fail({ status: 200, delayMs: 400, times: 3, path: callback }); // slow
      h.fake.fail({ status: 0, times: 2, path: /^\/webhooks\/\d+\/[^/]+$/ }); // the long answer's second message
      // Every third person asks for an answer of two messages (lookups are one message each).
      const places = ['a long answer', 'Toronto', 'Prato'];
      const payloads = Array.from({ length: 30 }, (_, n) =>
        n % 3 === 0
          ? slashInteraction('long', {}, { user: newUser() })
          : slashInteraction('lookup', { place: places[n % 3]! }, { user: newUser() }),
      );
      const answers = payloads.slice(0, 15).map((p) => h.fake.interact(p, 30_000));
      // Half-way, the gateway is cut: the other half reaches the bot when it resumes.
      h.fake.dropGateway();
      answers.push(...payloads.slice(15).map((p) => h.fake.interact(p, 30_000)));
      const callbacks = await Promise.all(answers);

      for (const [n, cb] of callbacks.entries()) expect(textOf(cb.data), payloads[n]!.id).toContain(places[n % 3]);
      for (const p of payloads) expect(accepted(callsFor(h.fake, p)), p.id).toHaveLength(1);
      const refusedCopies = payloads.flatMap((p) => callsFor(h.fake, p).filter((c) => c.path.endsWith('/callback') && c.status === 400));
      expect(refusedCopies).toHaveLength(3); // one per answer whose acknowledgement was lost
      // The long answer has a second message: it arrives once too.
      const twoMessages = payloads.filter((_, n) => n % 3 === 0);
      await until(
        () => twoMessages.every((p) => callsFor(h.fake, p).some((c) => c.method === 'POST' && c.status === 200)),
        15_000,
        'every second message',
      );
      for (const p of twoMessages)
        expect(
          callsFor(h.fake, p).filter((c) => c.method === 'POST' && !c.path.endsWith('/callback') && c.status === 200),
          p.id,
        ).toHaveLength(1);
      expect(errorsLogged()).toHaveLength(errors);
      expect(h.fake.openSessions()).toBe(1);
      const after = await h.fake.interact(slashInteraction('lookup', { place: 'Prato' }, { user: newUser() }), 15_000);
      expect(textOf(after.data)).toContain('Prato');
    });
  });

  describe('on SIGTERM with answers in flight (the real entry point)', () => {
    it('delivers an answer retried after a drop and held by a slow Discord, and a DM answer waiting out a 429, then exits 0', async () => {
      const fake = await startFakeDiscord();
      const dataDir = await mkdtemp(path.join(tmpdir(), 'lantern-discord-faults-'));
      const child = spawn(process.execPath, [...MAIN], {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...discordEnv(fake, dataDir) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
        child.on('exit', (code) => resolve({ code, at: performance.now() })),
      );
      try {
        await Promise.race([fake.ready(), exited.then(({ code }) => Promise.reject(new Error(`main exited ${code}: ${stderr}`)))]);
        await until(() => stderr.includes('lantern ready'), 15_000, 'main ready');
        // The answer's first attempt drops and Discord holds the second one 1.5 s; the DM answer
        // is rate-limited for 1.5 s, so discord.js has not even sent it again when SIGTERM arrives.
        fake.fail({ status: 0, times: 1, path: /\/callback$/ });
        fake.fail({ status: 200, delayMs: 1_500, times: 1, path: /\/callback$/ });
        fake.fail({ status: 429, retryAfter: 1.5, times: 1, path: /^\/channels\/\d+\/messages$/ });
        const u = newUser();
        const p = slashInteraction('lookup', { place: 'Prato' }, { user: u });
        const answered = fake.interact(p, 10_000);
        fake.dm(dmMessage('/lookup Toronto', [], u));
        const dmPosts = () => fake.calls.filter((c) => c.path === `/channels/${dmChannel(u)}/messages`);
        await until(() => fake.delayed() === 1 && dmPosts().length === 1, 15_000, 'both answers on their way');
        child.kill('SIGTERM');

        const cb = await answered;
        await until(() => dmPosts().length === 2, 10_000, 'the DM answer sent again');
        const exit = await exited;
        expect(exit.code).toBe(0);
        expect(textOf(cb.data)).toContain('Prato');
        expect(callsFor(fake, p).map((c) => c.status)).toEqual([0, 204]);
        expect(dmPosts().map((c) => c.status)).toEqual([429, 200]);
        expect(textOf(dmPosts()[1]!.body)).toContain('Toronto');
        expect(cb.at).toBeLessThan(exit.at);
        expect(dmPosts()[1]!.at).toBeLessThan(exit.at);
        expect(stderr).toContain('shutting down');
        expect(stderr).not.toMatch(/discord (interaction|direct message) failed/);
      } finally {
        child.kill('SIGKILL');
        await fake.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 45_000);
  });
});
