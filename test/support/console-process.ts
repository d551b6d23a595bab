/** The real entry point in --json mode, driven line by line: say() resolves with that line's reply. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Reply } from '../../src/core/reply.ts';
import { fromTemplate } from './data-dir-template.ts';
import { intakeAction } from './intake-driver.ts';
import { MAIN } from './entry.ts';

/** A running console bot. */
export interface ConsoleBot {
  child: ChildProcessWithoutNullStreams;
  say(line: string): Promise<Reply>;
  /** triage notices printed so far (a bot started --as triage) */
  notices: string[];
  /** ends stdin and waits for the exit code */
  end(): Promise<number | null>;
}

/**
 * Starts the compiled `node dist/src/main.js --json …args` with extra environment. An embedded data
 * directory without a database starts as a copy of the run's template unless `fresh` (a test of
 * the first start itself).
 */
export function consoleBot(env: Record<string, string>, args: string[] = [], opts: { fresh?: boolean } = {}): ConsoleBot {
  if (!opts.fresh && env.LANTERN_DATA_DIR && !env.DATABASE_URL) fromTemplate(env.LANTERN_DATA_DIR);
  const child = spawn(process.execPath, [...MAIN, '--json', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
  const waiters: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  let buffer = '';
  let stderr = '';
  const notices: string[] = [];
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('exit', (code) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`the bot exited (${code}) before answering: ${stderr.slice(-500)}`));
  });
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const parsed = JSON.parse(line) as Reply & { notice?: string };
      // A triage notice (a console run --as triage) answers no line: kept apart.
      if (parsed.notice !== undefined) notices.push(parsed.notice);
      else waiters.shift()?.resolve(parsed);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return {
    child,
    notices,
    say: (line) =>
      new Promise((resolve, reject) => {
        if (child.exitCode !== null) return reject(new Error(`the bot has exited (${child.exitCode}): ${stderr.slice(-500)}`));
        waiters.push({ resolve, reject });
        child.stdin.write(line + '\n');
      }),
    end: () => {
      child.stdin.end();
      return exited;
    },
  };
}

/** The number to type for an intake choice ("cat:surveillance", "skip", "yes"…). */
export const pick = (r: Reply, action: string) => String(r.choices!.findIndex((c) => intakeAction(c.id) === action) + 1);
