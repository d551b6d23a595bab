/**
 * Drives a report conversation through the Lantern facade, the way any adapter would. No test
 * framework inside: the benchmarks use it too.
 */
import type { CoreContext } from '../../src/core/context.ts';
import type { Lantern } from '../../src/core/lantern.ts';
import type { Reply } from '../../src/core/reply.ts';
import { decodeChoiceId } from '../../src/core/choice-id.ts';

/** What an intake choice id asks, without its version ("cat:surveillance", "yes"); any other id as it is. */
export function intakeAction(id: string): string {
  const d = decodeChoiceId(id);
  return d.ok && d.value.kind === 'intake' ? [d.value.action, ...(d.value.arg === undefined ? [] : [d.value.arg])].join(':') : id;
}

/** The id of the reply's choice for an intake action ("cat:surveillance", "yes", "submit"…). */
export function choice(reply: Reply, action: string): string {
  const found = reply.choices?.find((c) => intakeAction(c.id) === action);
  if (!found) throw new Error(`no choice "${action}" in ${JSON.stringify(reply.choices?.map((c) => c.id))}`);
  return found.id;
}

/** All the text a reply shows. */
export function textOf(reply: Reply): string {
  return [
    ...reply.blocks.flatMap((b) => (b.type === 'item' ? [b.title, ...b.lines.map((l) => l.text)] : [b.text])),
    ...(reply.choices ?? []).map((c) => c.label),
  ].join('\n');
}

/** What one complete report says. */
export interface ReportAnswers {
  category: string;
  when: string;
  where: string;
  what: string;
  contact: string;
  images?: Uint8Array[];
  consents?: [boolean, boolean, boolean];
  /** answers "I am in danger right now" at the first step */
  danger?: boolean;
  /** the optional details, added from the summary (a field left out is skipped) */
  details?: { who?: string; how?: string[]; family?: string; identifiers?: string };
}

/** From the summary: the optional details, each skipped unless given; back at the summary. */
async function addDetails(
  lantern: Lantern,
  ctx: CoreContext,
  r: Reply,
  d: NonNullable<ReportAnswers['details']>,
  step: (p: Promise<Reply>) => Promise<Reply>,
): Promise<Reply> {
  r = await step(lantern.choice(choice(r, 'details'), ctx));
  r = await step(lantern.choice(choice(r, d.who ? `who:${d.who}` : 'skip'), ctx));
  for (const c of d.how ?? []) r = await step(lantern.choice(choice(r, `how:${c}`), ctx));
  r = await step(lantern.choice(choice(r, d.how?.length ? 'done' : 'skip'), ctx));
  r = await step(lantern.choice(choice(r, d.family ? `family:${d.family}` : 'skip'), ctx));
  return step(d.identifiers ? lantern.text(d.identifiers, ctx) : lantern.choice(choice(r, 'skip'), ctx));
}

/** Files a complete report; returns the receipt code and public id from the final reply. */
export async function fileReport(
  lantern: Lantern,
  ctx: CoreContext,
  a: ReportAnswers,
): Promise<{ receipt: string; publicId: string; replies: Reply[] }> {
  const replies: Reply[] = [];
  const step = async (p: Promise<Reply>) => {
    const r = await p;
    replies.push(r);
    if (r.kind !== 'answer') throw new Error(`intake step answered ${r.code}: ${textOf(r)}`);
    if (!r.private) throw new Error('an intake reply was not private');
    return r;
  };
  let r = await step(lantern.command('report', {}, ctx));
  if (a.danger) r = await step(lantern.choice(choice(r, 'danger'), ctx));
  r = await step(lantern.choice(choice(r, `cat:${a.category}`), ctx));
  r = await step(lantern.text(a.when, ctx));
  r = await step(lantern.text(a.where, ctx));
  if (r.choices?.some((c) => /:st:0$/.test(c.id))) r = await step(lantern.choice(choice(r, 'st:0'), ctx));
  r = await step(lantern.text(a.what, ctx));
  for (const img of a.images ?? []) r = await step(lantern.file({ bytes: img }, ctx));
  r = await step(lantern.choice(choice(r, a.images?.length ? 'done' : 'skip'), ctx));
  r = await step(lantern.text(a.contact, ctx));
  const [c1, c2, c3] = a.consents ?? [true, false, false];
  r = await step(lantern.choice(choice(r, c1 ? 'yes' : 'no'), ctx));
  r = await step(lantern.choice(choice(r, c2 ? 'yes' : 'no'), ctx));
  r = await step(lantern.choice(choice(r, c3 ? 'yes' : 'no'), ctx));
  if (a.details) r = await addDetails(lantern, ctx, r, a.details, step);
  r = await step(lantern.choice(choice(r, 'submit'), ctx));
  const text = textOf(r);
  const receipt = /([0-9A-Z]{4}(?:-[0-9A-Z]{4}){4})/.exec(text)?.[1];
  const publicId = /(R-[0-9A-Z]{6})/.exec(text)?.[1];
  if (!receipt || !publicId) throw new Error(`no receipt in final reply: ${text}`);
  return { receipt, publicId, replies };
}
