/**
 * The interactive console in a real terminal (tmux), as a new user sees it: the first-start
 * progress line, a prompt, their typing echoed, Tab completing commands and places, answers
 * wrapped to the terminal's width. tmux is installed by .ci/run; this test never skips.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';

const WIDTH = 60;
const socket = `lantern-test-${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'lantern-tmux-'));
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
// -J joins rows the terminal itself wrapped: a line longer than WIDTH was not wrapped by Lantern.
const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'lantern'); // with the scrollback

async function waitFor(test: (s: string) => boolean, what: string, ms = 240_000): Promise<string> {
  const until = Date.now() + ms;
  for (;;) {
    const s = screen();
    if (test(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    await sleep(100);
  }
}

afterAll(() => {
  try {
    tmux('kill-server'); // our own server only (-L socket)
  } catch {
    /* already gone */
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the console in a terminal (tmux)', () => {
  it('shows progress, a prompt, echo, Tab completion and wrapped answers', async () => {
    const cmd = `cd ${JSON.stringify(process.cwd())} && LANTERN_DATA_DIR=${JSON.stringify(path.join(dir, 'data'))} LANG=en_US.UTF-8 NODE_ENV=development ${JSON.stringify(process.execPath)} scripts/start.mjs; sleep 30`;
    tmux('new-session', '-d', '-s', 'lantern', '-x', String(WIDTH), '-y', '50', cmd);
    await waitFor((s) => s.includes('Preparing the database (first start)…'), 'the first-start line', 60_000);
    let s = await waitFor((s) => /^> $/m.test(s), 'the prompt');
    expect(s).toContain('Type /help');
    // Human-readable log lines on a terminal, not JSON (the key-generation warning).
    expect(s).toMatch(/WARN.*generated encryption and hash keys/i);
    expect(s).not.toContain('{"level"');

    tmux('send-keys', '-t', 'lantern', '-l', '/looku');
    await waitFor((s) => s.includes('> /looku'), 'the typing echoed');
    tmux('send-keys', '-t', 'lantern', 'Tab');
    await waitFor((s) => s.includes('> /lookup '), 'the command completed');
    tmux('send-keys', '-t', 'lantern', '-l', 'New Yo');
    tmux('send-keys', '-t', 'lantern', 'Tab');
    await waitFor((s) => s.includes('> /lookup New York'), 'the place completed');
    tmux('send-keys', '-t', 'lantern', 'Enter');
    s = await waitFor((s) => s.includes('-- Sources --') && /^> $/m.test(s.split('-- Sources --')[1]!), 'the answer and a new prompt');
    const lines = s.slice(s.indexOf('> /lookup New York')).split('\n').slice(1);
    expect(lines.some((l) => l.includes('New York'))).toBe(true);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(WIDTH);
    expect(lines.filter((l) => l.length > WIDTH - 15).length).toBeGreaterThan(3); // long text was wrapped, not absent

    tmux('send-keys', '-t', 'lantern', '-l', '/quit');
    tmux('send-keys', '-t', 'lantern', 'Enter');
  }, 420_000);
});
