/** SnippetStore on Prisma (ReplySnippet), changes audited in their transaction. */
import type { Snippet, SnippetStore } from '../core/triage/snippets.ports.ts';
import type { PrismaClient } from './client.ts';

const toSnippet = (r: { slug: string; en: string; zhHans: string; zhHant: string }): Snippet => ({
  slug: r.slug,
  text: { en: r.en, 'zh-Hans': r.zhHans, 'zh-Hant': r.zhHant },
});

/** The Prisma SnippetStore. */
export function prismaSnippets(prisma: PrismaClient): SnippetStore {
  return {
    list: async () => (await prisma.replySnippet.findMany({ orderBy: { slug: 'asc' } })).map(toSnippet),
    async get(slug) {
      const r = await prisma.replySnippet.findUnique({ where: { slug } });
      return r && toSnippet(r);
    },
    async put(s, actorHash) {
      const data = { en: s.text.en, zhHans: s.text['zh-Hans'], zhHant: s.text['zh-Hant'] };
      await prisma.$transaction([
        prisma.replySnippet.upsert({ where: { slug: s.slug }, create: { slug: s.slug, ...data }, update: data }),
        prisma.auditEvent.create({ data: { actorHash, action: 'snippet.saved', details: { slug: s.slug } } }),
      ]);
    },
    async remove(slug, actorHash) {
      const [gone] = await prisma.$transaction([
        prisma.replySnippet.deleteMany({ where: { slug } }),
        prisma.auditEvent.create({ data: { actorHash, action: 'snippet.removed', details: { slug } } }),
      ]);
      return gone.count > 0;
    },
  };
}
