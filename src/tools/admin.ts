/**
 * `npm run admin -- <command>`: the operator's tools.
 *   new-key                      print a fresh 32-byte key (for LANTERN_ENCRYPTION_KEYS / LANTERN_HASH_KEY)
 *   dataset-export <file.json>   write the dataset in the database to a JSON file
 *   dataset-import <file.json>   validate (zod) and load a dataset JSON file, replacing the current one
 *   rotate-key                   re-encrypt everything with the first key of LANTERN_ENCRYPTION_KEYS
 *   purge                        delete closed reports past REPORT_RETENTION_DAYS and expired drafts
 * On the embedded database the bot must be stopped first (PGlite belongs to one process).
 */
import { open, writeFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from '../config.ts';
import { newKey } from '../core/crypto/crypto.ts';
import { openDatabase, StorageError } from '../db/client.ts';
import { loadDataset, readDatasetFile, replaceDataset } from '../db/dataset-store.ts';
import { purge, rotateKeys } from '../db/maintenance.ts';
import { loadKeyring } from '../keys.ts';

const USAGE = `Usage: npm run admin -- <command>
  new-key                      print a fresh key for LANTERN_ENCRYPTION_KEYS ("id:<key>") or LANTERN_HASH_KEY
  dataset-export <file.json>   write the current dataset to a JSON file
  dataset-import <file.json>   validate and load a dataset JSON file (replaces the current dataset)
  rotate-key                   re-encrypt every report, image, note and draft with the active key
                               (put the new key first in LANTERN_ENCRYPTION_KEYS, keep the old one after it)
  purge                        delete closed reports older than REPORT_RETENTION_DAYS, expired drafts`;

const COMMANDS = ['new-key', 'dataset-export', 'dataset-import', 'rotate-key', 'purge'];

/** A mistake in what the operator typed (exit 2, one clear line). */
class AdminInputError extends Error {}

/** What is wrong with the command line ('' for no command at all), or undefined when it is fine. */
function usageProblem(command: string | undefined, arg: string | undefined, needsFile: boolean): string | undefined {
  if (!command) return '';
  if (!COMMANDS.includes(command)) return `admin: unknown command "${printable(command)}".`;
  if (needsFile && !arg) return `admin: ${command} needs a file name, for example: npm run admin -- ${command} dataset.json`;
  return undefined;
}

/** Binary or control characters never reach the terminal (a file's bytes may be quoted in an error). */
function printable(s: string, max = 300): string {
  const clean = s.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uFFFD]/g, '?');
  return clean.length > max ? clean.slice(0, max) + '…' : clean;
}

/** Says why a file cannot be a JSON dataset (an image, a binary) before trying to parse it. */
async function notJsonFile(file: string): Promise<string | null> {
  let head: Buffer;
  try {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(512);
      const { bytesRead } = await fh.read(buf, 0, 512, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    return `admin: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`;
  }
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.includes(0) || !text.startsWith('{')) return `admin: ${file} is not a JSON dataset file (a dataset starts with "{"; this looks like ${head.includes(0) || /\uFFFD/.test(text) ? 'binary data, such as an image' : 'other text'}). Give the .json file written by dataset-export.`;
  return null;
}

/** Runs one admin command; returns the exit code. */
export async function admin(argv: string[], out: (s: string) => void = console.log): Promise<number> {
  const [command, arg] = argv;
  if (command === 'new-key') {
    out(newKey());
    return 0;
  }
  const needsFile = command === 'dataset-export' || command === 'dataset-import';
  const problem = usageProblem(command, arg, needsFile);
  if (problem !== undefined) {
    out(problem ? `${problem}\n\n${USAGE}` : USAGE);
    return 2;
  }
  if (command === 'dataset-import') {
    const notJson = await notJsonFile(arg!);
    if (notJson) throw new AdminInputError(notJson);
  }
  const config = loadConfig();
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    if (command === 'rotate-key') {
      const { keyring } = loadKeyring(config);
      const n = await rotateKeys(db.prisma, keyring);
      out(`Re-encrypted ${n} values with key "${keyring.activeId}". Older keys can be removed from LANTERN_ENCRYPTION_KEYS once every process runs with the new list.`);
      return 0;
    }
    if (command === 'purge') {
      const r = await purge(db.prisma, { now: new Date(), retentionDays: config.reports.retentionDays });
      out(`Purged ${r.reports} closed reports older than ${config.reports.retentionDays} days, ${r.drafts} expired drafts (${r.draftEvidence} draft images).`);
      return 0;
    }
    if (command === 'dataset-export') {
      const d = await loadDataset(db.prisma);
      await writeFile(arg!, JSON.stringify(d, null, 2) + '\n');
      out(`Exported ${d.stations.length} stations, ${d.claims.length} claims, ${d.sources.length} sources to ${arg}`);
    } else {
      const d = await readDatasetFile(arg!);
      await replaceDataset(db.prisma, d, 'import');
      out(`Imported ${d.stations.length} stations, ${d.claims.length} claims, ${d.sources.length} sources (version ${d.version}). Restart the bot to serve it.`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  admin(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      const known = e instanceof ConfigError || e instanceof StorageError || e instanceof AdminInputError;
      const message = (e as Error).message;
      process.stderr.write(`${message.startsWith('admin: ') ? '' : 'admin: '}${printable(message, 4000)}\n`);
      process.exit(known ? 2 : 1);
    },
  );
}
