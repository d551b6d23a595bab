/**
 * The console adapter, the embedded default: one command per line from stdin (interactive with a
 * prompt when stdin is a terminal), each answer printed as text or, with --json, as one JSON line
 * holding the platform-neutral reply. Like every adapter it only translates.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { App } from '../../app.ts';
import type { CoreContext } from '../../core/context.ts';
import type { IncomingFile, Lantern } from '../../core/lantern.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { t } from '../../core/i18n/catalog.ts';
import { isLocale, type Locale } from '../../core/i18n/locales.ts';
import type { Reply } from '../../core/reply.ts';
import { renderJson, renderText } from './render.ts';
import { mkdirSync, writeFileSync } from 'node:fs';

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
  const line = written ? t(locale, 'map.saved', { path: written }) : t(locale, 'map.save_hint', { name: reply.image.name, bytes: reply.image.bytes.byteLength });
  return `\n${line}\n`;
}

/** How the console was started. */
export interface ConsoleOptions {
  json: boolean;
  locale?: Locale | undefined;
  asTriage: boolean;
  input: Readable;
  output: Writable;
  interactive: boolean;
  /** where to write files a reply carries (exports, evidence); none are written without it */
  saveFilesTo?: string | undefined;
  /** aborted to stop (SIGTERM): the line being answered is finished, no further line is read */
  signal?: AbortSignal;
}

/** The person at this terminal (one local user). */
const CONSOLE_USER = 'local';

/** Reads commands until end of input (or /quit) and answers each. */
export async function runConsole(app: App, lantern: Lantern, opts: ConsoleOptions): Promise<void> {
  const actor = await app.actor('console', CONSOLE_USER, { triage: opts.asTriage });
  if (opts.locale) actor.locale = opts.locale;
  let lastChoices: Reply['choices'];
  const write = (s: string) => opts.output.write(s + '\n');
  const show = (reply: Reply) => {
    // A map is written beside the files (when asked) and the text says where, or how to get it.
    const imagePath = opts.saveFilesTo && reply.image ? saveFile(opts.saveFilesTo, reply.image) : undefined;
    write(opts.json ? renderJson(reply, imagePath) : renderText(reply, actor.locale) + imageLine(reply, actor.locale, imagePath));
    if (opts.saveFilesTo && reply.files?.length) saveFiles(opts.saveFilesTo, reply.files);
    lastChoices = reply.choices;
    if (reply.setLocale && isLocale(reply.setLocale)) actor.locale = reply.setLocale;
  };

  const rl = createInterface({ input: opts.input, terminal: opts.interactive, crlfDelay: Infinity });
  // Stopping (SIGTERM): read no further line; the one being answered is answered first.
  opts.signal?.addEventListener('abort', () => rl.close(), { once: true });
  if (opts.interactive) {
    write(t(actor.locale, 'console.welcome'));
    rl.setPrompt('> ');
    rl.prompt();
  }
  let lineNo = 0;
  for await (const raw of rl) {
    if (opts.signal?.aborted) break;
    lineNo++;
    const line = raw.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line) {
      const ctx: CoreContext = { actor: { ...actor }, chat: 'private', deps: app.deps };
      try {
        show(await answer(line, lantern, ctx, lastChoices));
      } catch (error) {
        // The one catch of this adapter: log what failed (never the input), answer with an apology.
        app.deps.log.error({ line: lineNo, err: { message: (error as Error).message, stack: (error as Error).stack } }, 'console command failed');
        const key = app.apologyFor(error);
        show({ private: true, kind: 'error', code: key === 'common.temporary_error' ? 'STORAGE.UNAVAILABLE' : key === 'common.storage_full' ? 'STORAGE.FULL' : 'INTERNAL', blocks: [{ type: 'text', text: t(actor.locale, key) }], citations: [] });
      }
    }
    if (opts.interactive) rl.prompt();
  }
  rl.close();
}

/** "/attach <path>": the console's way to send an evidence image; an unreadable path sends nothing. */
async function readLocalFile(file: string): Promise<IncomingFile> {
  try {
    return { bytes: new Uint8Array(await readFile(file)), name: path.basename(file) };
  } catch {
    return { bytes: new Uint8Array(), name: path.basename(file) };
  }
}

/** Translates one console line into a core call. */
async function answer(line: string, lantern: Lantern, ctx: CoreContext, choices: Reply['choices']): Promise<Reply> {
  const picked = /^\d{1,2}$/.test(line) && choices ? choices[Number(line) - 1] : undefined;
  if (picked) return lantern.choice(picked.id, ctx);
  const attach = /^\/attach\s+(.+)$/.exec(line);
  if (attach) return lantern.file(await readLocalFile(attach[1]!.trim()), ctx);
  const m = /^\/([^\s@]+)(?:@\S+)?\s*([\s\S]*)$/.exec(line);
  if (!m) return lantern.text(line, ctx);
  return lantern.commandLine(m[1]!, m[2]!, ctx);
}
