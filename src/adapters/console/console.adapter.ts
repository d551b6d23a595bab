/**
 * The console adapter, the embedded default: one command per line from stdin, each answer printed
 * as text or, with --json, as one JSON line holding the platform-neutral reply. On a terminal it
 * is interactive: a prompt, echo, history, Tab completion, answers wrapped to the width and
 * coloured, a paste taken as one answer. Like every adapter it only translates.
 */
import { createInterface, type Completer } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { App } from '../../app.ts';
import type { CoreContext, TriageRole } from '../../core/context.ts';
import type { Lantern } from '../../core/lantern.ts';
import path from 'node:path';
import { t } from '../../core/i18n/catalog.ts';
import { isLocale, type Locale } from '../../core/i18n/locales.ts';
import type { Reply } from '../../core/reply.ts';
import { renderJson, renderText } from './render.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { inputUnits } from './console.input.ts';
import { completer } from './console.complete.ts';
import { readAttachment } from './console.attach.ts';
import { consoleNotifier } from './console.notices.ts';
import { CONSOLE_CAPABILITIES } from './capabilities.ts';
import { apologyReply } from '../../core/apology.ts';
import { parseCommandLine } from '../kit/command-line.ts';

/** Writes reply files (owner-only permissions) into dir. */
function saveFiles(dir: string, files: NonNullable<Reply['files']>) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const f of files) writeFileSync(path.join(dir, path.basename(f.name)), f.bytes, { mode: 0o600 });
}

/** Writes one file (owner-only) into dir; returns its path. */
function saveFile(dir: string, f: { name: string; bytes: Uint8Array }): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.resolve(dir, path.basename(f.name));
  writeFileSync(file, f.bytes, { mode: 0o600 });
  return file;
}

/** The line under a reply with a picture: where it was written, or how to have it written. */
function imageLine(reply: Reply, locale: Locale, written: string | undefined): string {
  if (!reply.image) return '\n';
  const line = written
    ? t(locale, 'map.saved', { path: written })
    : t(locale, 'map.save_hint', { name: reply.image.name, bytes: reply.image.bytes.byteLength });
  return `\n${line}\n`;
}

/** How the console was started. */
export interface ConsoleOptions {
  json: boolean;
  locale?: Locale | undefined;
  /** the terminal's language (LC_ALL, LC_MESSAGES or LANG), used when no language was chosen */
  localeHint?: string | undefined;
  asTriage: boolean;
  /** with asTriage: the member's role (`--as reviewer`; `--as lead` and `--as triage` are leads) */
  role?: TriageRole | undefined;
  input: Readable;
  output: Writable;
  interactive: boolean;
  /** colour the text (a terminal, and NO_COLOR unset) */
  color?: boolean;
  /** where to write files a reply carries (exports, evidence); none are written without it */
  saveFilesTo?: string | undefined;
  /** aborted to stop (SIGTERM): the line being answered is finished, no further line is read */
  signal?: AbortSignal;
}

/** The person at this terminal (one local user). */
const CONSOLE_USER = 'local';

/** "zh_TW.UTF-8" → "zh_TW": the part of a POSIX locale name that names the language. */
export function localeFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  return raw?.split(/[.@]/)[0] || undefined;
}

/** Reads commands until end of input (or /quit) and answers each. */
export async function runConsole(app: App, lantern: Lantern, opts: ConsoleOptions): Promise<void> {
  const actor = await app.actor('console', CONSOLE_USER, {
    triage: opts.asTriage,
    localeHint: opts.localeHint,
    ...(opts.role ? { role: opts.role } : {}),
  });
  if (opts.locale) actor.locale = opts.locale;
  let lastChoices: Reply['choices'];
  const columns = () => (opts.interactive ? (opts.output as Writable & { columns?: number }).columns : undefined);
  const style = () => ({ width: columns(), color: opts.color ?? false, savedTo: opts.saveFilesTo });
  const write = (s: string) => opts.output.write(s + '\n');
  const show = (reply: Reply) => {
    // A map is written beside the files (when asked) and the text says where, or how to get it.
    const imagePath = opts.saveFilesTo && reply.image ? saveFile(opts.saveFilesTo, reply.image) : undefined;
    write(opts.json ? renderJson(reply, imagePath) : renderText(reply, actor.locale, style()) + imageLine(reply, actor.locale, imagePath));
    if (opts.saveFilesTo && reply.files?.length) saveFiles(opts.saveFilesTo, reply.files);
    lastChoices = reply.choices;
    if (reply.setLocale && isLocale(reply.setLocale)) actor.locale = reply.setLocale;
  };
  const prompt = '> ';
  const rl = opts.interactive
    ? createInterface({
        input: opts.input,
        output: opts.output,
        terminal: true,
        prompt,
        historySize: 200,
        removeHistoryDuplicates: true,
        completer: completer(app, lantern, () => actor.locale) as Completer,
      })
    : createInterface({ input: opts.input, terminal: false, crlfDelay: Infinity });
  // Stopping (SIGTERM): read no further line; the one being answered is answered first.
  opts.signal?.addEventListener('abort', () => rl.close(), { once: true });
  if (opts.asTriage) {
    // New-report notices appear here, above the prompt, as the delivery job finds them.
    app.registerNotifier(
      consoleNotifier((text) => {
        if (opts.interactive) opts.output.write('\r\x1b[K');
        write(
          opts.json
            ? JSON.stringify({ notice: text })
            : renderText({ private: true, kind: 'answer', blocks: [{ type: 'notice', text }], citations: [] }, actor.locale, style()),
        );
        if (opts.interactive) rl.prompt(true);
      }, actor.locale),
    );
  }
  if (opts.interactive) {
    write(t(actor.locale, 'console.welcome'));
    rl.prompt();
  }
  const units = inputUnits(rl, { interactive: opts.interactive, continuationPrompt: () => (rl.setPrompt('… '), rl.prompt(true)) });
  if (opts.asTriage) await app.deliverNotices().catch(() => 0); // what arrived since the last run
  let unitNo = 0;
  for await (const raw of units) {
    if (opts.signal?.aborted) break;
    unitNo++;
    const line = raw.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line) {
      // --save-files: reply files land only on this computer, so an unencrypted export may too.
      const ctx: CoreContext = {
        actor: { ...actor },
        chat: 'private',
        deps: app.deps,
        capabilities: CONSOLE_CAPABILITIES,
        ...(opts.saveFilesTo ? { localFiles: true } : {}),
      };
      try {
        show(await answer(line, lantern, ctx, lastChoices));
      } catch (error) {
        // The one catch of this adapter: log what failed (never the input), answer with an apology.
        app.deps.log.error({ line: unitNo, err: { message: (error as Error).message } }, 'console command failed');
        // The stack only when asked for: on the console the log shares the person's terminal.
        app.deps.log.debug({ line: unitNo, stack: (error as Error).stack }, 'console command failed (stack)');
        show(apologyReply(app.apologyFor(error), actor.locale));
      }
    }
    if (opts.interactive) {
      rl.setPrompt(prompt);
      rl.prompt();
    }
  }
  rl.close();
}

/** The console's own hint at the evidence step: files are sent by path. */
function withAttachHint(reply: Reply, locale: Locale): Reply {
  if (!reply.acceptsFile) return reply;
  return { ...reply, blocks: [...reply.blocks, { type: 'notice', text: t(locale, 'console.attach_hint') }] };
}

/** Translates one console line into a core call. */
async function answer(line: string, lantern: Lantern, ctx: CoreContext, choices: Reply['choices']): Promise<Reply> {
  const picked = /^\d{1,2}$/.test(line) && choices ? choices[Number(line) - 1] : undefined;
  if (picked) return withAttachHint(await lantern.choice(picked.id, ctx), ctx.actor.locale);
  const attach = /^\/attach(?:\s+([\s\S]*))?$/.exec(line);
  if (attach) {
    const file = await readAttachment(attach[1] ?? '', ctx.actor.locale);
    return withAttachHint(file.ok ? await lantern.file(file.value, ctx) : file.error, ctx.actor.locale);
  }
  const command = parseCommandLine(line, { anyName: true });
  if (!command) return withAttachHint(await lantern.text(line, ctx), ctx.actor.locale);
  const replied = await lantern.commandLine(command.name, command.args, ctx);
  return withAttachHint(await lantern.withPendingStep(command.name, replied, ctx), ctx.actor.locale);
}
