/**
 * `npm run admin -- <command>`: the operator's tools.
 *   new-key                      print a fresh 32-byte key (for LANTERN_ENCRYPTION_KEYS / LANTERN_HASH_KEY)
 *   dataset-export <file.json>   write the dataset in the database to a JSON file
 *   dataset-import <file.json>   validate (zod), verify every quote against its source's bundled text, and load
 *   source-add <text-file> --publisher … --title … --date … [--url …]   add a source document (its text bundled)
 *   rotate-key                   re-wrap every report's data key with the first key of LANTERN_ENCRYPTION_KEYS
 *   purge                        delete closed reports past REPORT_RETENTION_DAYS and expired drafts
 *   evidence-check <R-ID> <file> whether a file is the original of one of the report's images (keyed hash)
 * On the embedded database the bot must be stopped first (PGlite belongs to one process).
 */
import { open, readFile, writeFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from '../config.ts';
import { fileFingerprint, newKey, sameHex, sha256 } from '../core/crypto/crypto.ts';
import { openDatabase, StorageError } from '../db/client.ts';
import { bundledDatasetPath, ensureDataset, loadDataset, readDatasetFile, replaceDataset } from '../db/dataset-store.ts';
import { verifyDataset } from '../core/dataset/verify.ts';
import { parseSourceAdd } from './source-add.ts';
import { addSource } from '../core/dataset/source-add.ts';
import { upgradeLegacySealing, legacyFingerprint } from '../db/legacy-sealing.ts';
import { compactErased, purge, rotateKeys } from '../db/maintenance.ts';
import { loadKeyring } from '../keys.ts';

const USAGE = `Usage: npm run admin -- <command>
  new-key                      print a fresh key for LANTERN_ENCRYPTION_KEYS ("id:<key>") or LANTERN_HASH_KEY
  dataset-export <file.json>   write the current dataset to a JSON file
  dataset-import <file.json>   validate and load a dataset JSON file (replaces the current dataset);
                               refused, naming each offending claim, if a quote is not verbatim in its source's text
  source-add <text-file> --publisher <name> --title <title> --date <YYYY-MM-DD|YYYY-MM|YYYY|unknown>
             [--url <https://…>] [--byline <author>] [--id <slug>] [--approximate]
                               add a source document; then export, add claims quoting it, and import
  rotate-key                   re-wrap every report's data key with the active key (and compact the old copies away)
                               (put the new key first in LANTERN_ENCRYPTION_KEYS, keep the old one after it)
  purge                        delete closed reports older than REPORT_RETENTION_DAYS, expired drafts
  evidence-check <R-ID> <file> whether the file is the original upload of one of the report's images`;

const COMMANDS = ['new-key', 'dataset-export', 'dataset-import', 'source-add', 'rotate-key', 'purge', 'evidence-check'];

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
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
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
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.includes(0) || !text.startsWith('{'))
    return `admin: ${file} is not a JSON dataset file (a dataset starts with "{"; this looks like ${head.includes(0) || /\uFFFD/.test(text) ? 'binary data, such as an image' : 'other text'}). Give the .json file written by dataset-export.`;
  return null;
}

/** Runs one admin command; returns the exit code. */
export async function admin(argv: string[], out: (s: string) => void = console.log): Promise<number> {
  const [command, arg] = argv;
  if (command === 'new-key') {
    out(newKey());
    return 0;
  }
  const needsFile =
    command === 'dataset-export' || command === 'dataset-import' || command === 'source-add' || command === 'evidence-check';
  const problem = usageProblem(command, command === 'evidence-check' ? argv[2] && arg : arg, needsFile);
  if (problem !== undefined) {
    out(problem ? `${problem}\n\n${USAGE}` : USAGE);
    return 2;
  }
  // Checked before the database is opened: a typo costs nothing.
  const sourceArgs = command === 'source-add' ? await parseSourceAdd(argv.slice(1)) : undefined;
  if (sourceArgs && !sourceArgs.ok) {
    out(`${sourceArgs.error}\n\n${USAGE}`);
    return 2;
  }
  let importing: Awaited<ReturnType<typeof readDatasetFile>> | undefined;
  if (command === 'dataset-import') {
    const notJson = await notJsonFile(arg!);
    if (notJson) throw new AdminInputError(notJson);
    importing = await readDatasetFile(arg!);
    const problems = verifyDataset(importing);
    if (problems.length) {
      out(`Refused ${arg}: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed.`);
      for (const p of problems) out(`- ${p}`);
      return 1;
    }
  }
  const config = loadConfig();
  const db = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    if (command === 'rotate-key') {
      const { keyring } = loadKeyring(config);
      // Values sealed before envelope encryption get their data key first, or they would stay
      // sealed by the old master key, and be lost with it.
      await upgradeLegacySealing(db.prisma, keyring);
      const n = await rotateKeys(db.prisma, keyring);
      await compactErased(db); // the old wrapped copies leave the disk now, not at some later vacuum
      out(
        `Re-wrapped ${n} report data keys with key "${keyring.activeId}" (old copies compacted away). Older keys can be removed from LANTERN_ENCRYPTION_KEYS once every process runs with the new list.`,
      );
      return 0;
    }
    if (command === 'evidence-check') return await evidenceCheck(db, loadKeyring(config).keyring, arg!, argv[2]!, out);
    if (command === 'purge') {
      const r = await purge(db.prisma, { now: new Date(), retentionDays: config.reports.retentionDays });
      await compactErased(db);
      out(
        `Purged ${r.reports} closed reports older than ${config.reports.retentionDays} days, ${r.drafts} expired drafts (${r.draftEvidence} draft images).`,
      );
      return 0;
    }
    // A new data directory has no dataset until the bot first starts: seed the bundled one.
    if (command !== 'dataset-import') await ensureDataset(db.prisma, await readDatasetFile(bundledDatasetPath));
    if (sourceArgs?.ok) {
      const added = addSource(await loadDataset(db.prisma), sourceArgs.value);
      if (!added.ok) {
        out(added.error);
        return 1;
      }
      await replaceDataset(db.prisma, added.value.dataset, 'import');
      const id = added.value.source.id;
      out(
        `Added source "${id}" (${added.value.source.text?.length ?? 0} characters of text). Next: npm run admin -- dataset-export dataset.json, add claims with "sourceId": "${id}" and a verbatim "quote", then npm run admin -- dataset-import dataset.json (every quote is checked against this text).`,
      );
      return 0;
    }
    if (command === 'dataset-export') {
      const d = await loadDataset(db.prisma);
      await writeFile(arg!, JSON.stringify(d, null, 2) + '\n');
      out(`Exported ${d.stations.length} stations, ${d.claims.length} claims, ${d.sources.length} sources to ${arg}`);
    } else {
      const d = importing!;
      await replaceDataset(db.prisma, d, 'import');
      out(
        `Imported ${d.stations.length} stations, ${d.claims.length} claims, ${d.sources.length} sources (version ${d.version}). Restart the bot to serve it.`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}

/**
 * The stored fingerprint of an original upload is keyed (HMAC with the hash key): only here, with
 * the key, can someone holding a file learn whether it is the original of a report's image.
 */
async function evidenceCheck(
  db: Awaited<ReturnType<typeof openDatabase>>,
  ring: ReturnType<typeof loadKeyring>['keyring'],
  publicId: string,
  file: string,
  out: (s: string) => void,
): Promise<number> {
  const report = await db.prisma.report.findUnique({
    where: { publicId: publicId.toUpperCase() },
    include: { evidence: { select: { sha256Original: true } } },
  });
  if (!report) {
    out(`No report ${publicId} (it may have been erased or purged).`);
    return 1;
  }
  const data = await readFile(file);
  // Images recorded before keyed fingerprints keep a keyed form of their plain hash.
  const mine = [fileFingerprint(ring, data), legacyFingerprint(ring, sha256(data))];
  const n = report.evidence.findIndex((e) => mine.some((m) => sameHex(e.sha256Original, m)));
  out(
    n >= 0
      ? `${file} is the original of image ${n + 1} of ${report.publicId}.`
      : `${file} is not the original of any of the ${report.evidence.length} images of ${report.publicId}.`,
  );
  return n >= 0 ? 0 : 1;
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
