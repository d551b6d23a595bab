/** Attachments a person sends (evidence), fetched with the evidence limit as a byte cap. */
import type { Attachment } from 'discord.js';
import type { IncomingFile } from '../../core/incoming-file.ts';
import { downloadCapped, incomingFile } from '../kit/capped-download.ts';

/**
 * The attachment as an IncomingFile: downloaded when it fits `maxBytes`; over it (by Discord's
 * declared size, or by what arrived), not kept, with its size, so the core says it is too large.
 */
export async function downloadAttachment(
  a: Pick<Attachment, 'url' | 'size' | 'contentType' | 'name'>,
  maxBytes: number,
): Promise<IncomingFile> {
  const d = await downloadCapped(a.url, { maxBytes, declaredBytes: a.size, timeoutMs: 30_000, what: 'attachment' });
  return incomingFile(d, { declaredMime: a.contentType ?? undefined, name: a.name });
}
