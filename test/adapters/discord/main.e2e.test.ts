/**
 * The real entry point with Discord configured: `node dist/src/main.js` connects to the
 * fake gateway through DISCORD_API_ROOT, answers a /lookup interaction, and stops on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAKE, slashInteraction, startFakeDiscord } from '../../support/fake-discord.ts';
import { discordEnv } from './harness.ts';
import { MAIN } from '../../support/entry.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'lantern-discord-main-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start with DISCORD_TOKEN', () => {
  it('answers a /lookup through the gateway and exits 0 on SIGTERM', async () => {
    const fake = await startFakeDiscord();
    const child = spawn(process.execPath, [...MAIN], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...discordEnv(fake, dataDir) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await Promise.race([fake.ready(), exited.then((code) => Promise.reject(new Error(`main exited ${code}: ${stderr}`)))]);
      const identify = fake.identifies[0];
      expect(identify.intents).toBe(1 | 4096); // Guilds + DirectMessages, nothing privileged
      const interaction = slashInteraction('lookup', { place: 'New York' }, { locale: 'zh-CN' });
      const cb = await fake.interact(interaction, 20_000);
      expect(cb.type).toBe(4);
      expect(cb.data.allowed_mentions).toEqual({ parse: [] });
      expect(cb.data.embeds[0].description).toContain('状态');
      // SIGTERM is handled once main says it is ready
      for (let waited = 0; !stderr.includes('lantern ready') && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('discord adapter ready');
      expect(stderr).not.toContain(FAKE.user.id);
      expect(stderr).not.toContain(interaction.token);
    } finally {
      child.kill('SIGKILL');
      await fake.close();
    }
  });

  it('on SIGTERM, finishes the answer being sent before it exits', async () => {
    const fake = await startFakeDiscord();
    const child = spawn(process.execPath, [...MAIN], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...discordEnv(fake, dataDir) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await Promise.race([fake.ready(), exited.then((code) => Promise.reject(new Error(`main exited ${code}: ${stderr}`)))]);
      for (let waited = 0; !stderr.includes('lantern ready') && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      // Discord takes 1.5 s to accept the answer: SIGTERM arrives meanwhile.
      fake.fail({ status: 200, delayMs: 1500, times: 1, path: /\/callback$/ });
      const answered = fake.interact(slashInteraction('lookup', { place: 'Prato' }), 20_000);
      await new Promise((r) => setTimeout(r, 400)); // the answer is on its way
      child.kill('SIGTERM');
      const cb = await answered;
      expect(cb.type).toBe(4);
      expect(JSON.stringify(cb.data.embeds)).toContain('Prato');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await fake.close();
    }
  }, 60_000);
});
