/** Rendering a Reply as Discord messages: Discord's limits, citations, components, escaping. */
import { describe, expect, it } from 'vitest';
import {
  DISCORD_LIMITS,
  escapeText,
  packFiles,
  parsePromptId,
  promptButtonId,
  promptModal,
  renderReply,
  splitText,
  toMessage,
  toPayload,
  type DiscordMessage,
} from '../../../src/adapters/discord/render.ts';
import { t } from '../../../src/core/i18n/catalog.ts';
import type { Citation, Reply } from '../../../src/core/reply.ts';

const reply = (extra: Partial<Reply> = {}): Reply => ({ private: false, kind: 'answer', blocks: [], citations: [], ...extra });
const citation = (n: number, extra: Partial<Citation> = {}): Citation => ({
  n,
  claimId: `c${n}`,
  sourceId: `s${n}`,
  publisher: `Publisher ${n}`,
  title: `Title ${n}`,
  date: '2023-04-17',
  dateApproximate: false,
  url: `https://example.org/${n}`,
  quote: `Quote number ${n}.`,
  ...extra,
});
const embedChars = (m: DiscordMessage) => m.embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0), 0);
const allText = (ms: DiscordMessage[]) =>
  ms.flatMap((m) => m.embeds.map((e) => [e.title, e.description].filter(Boolean).join('\n'))).join('\n');

function expectWithinLimits(ms: DiscordMessage[]) {
  for (const m of ms) {
    expect(m.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
    expect(embedChars(m)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    for (const e of m.embeds) {
      expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
      expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
      expect(e.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.embedFields);
    }
    expect(m.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
    expect(m.files.length).toBeLessThanOrEqual(DISCORD_LIMITS.filesPerMessage);
  }
}

describe('Discord rendering', () => {
  describe('limits', () => {
    it('splits a huge reply into messages within every limit, keeping all text in order', () => {
      const lines = Array.from({ length: 40 }, (_, i) => ({ text: `Line ${i} ` + 'x'.repeat(280), cites: [i + 1] }));
      const r = reply({
        blocks: [
          { type: 'title', text: 'A title' },
          ...Array.from({ length: 30 }, (_, i) => ({ type: 'item' as const, title: `Item ${i}`, lines })),
          { type: 'text', text: 'y'.repeat(9000) },
          { type: 'notice', text: 'The end.' },
        ],
        citations: Array.from({ length: 120 }, (_, i) => citation(i + 1, { quote: `Quote ${i + 1} ` + 'q'.repeat(600) })),
      });
      const ms = renderReply(r, 'en');
      expect(ms.length).toBeGreaterThan(10);
      expectWithinLimits(ms);
      const text = allText(ms);
      let at = 0;
      for (const marker of [
        'A title',
        'Item 0',
        'Item 29',
        'Line 39',
        'y'.repeat(4000),
        '*The end.*',
        'Sources',
        '[1] Publisher 1',
        '[120] Publisher 120',
        'Quote 120',
      ]) {
        const next = text.indexOf(marker, at);
        expect(next, marker).toBeGreaterThanOrEqual(at);
        at = next;
      }
      expect(text.split('y').length - 1).toBe(9000);
    });

    it('splits text at line breaks, and hard-splits a line longer than the limit', () => {
      expect(splitText('a\nb\nc', 3)).toEqual(['a\nb', 'c']);
      expect(splitText('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    });

    it('puts a title longer than Discord allows into the description', () => {
      const [m] = renderReply(reply({ blocks: [{ type: 'title', text: 'T'.repeat(300) }] }), 'en');
      expect(m!.embeds[0]!.title).toBeUndefined();
      expect(m!.embeds[0]!.description).toBe(`**${'T'.repeat(300)}**`);
    });
  });

  describe('citations', () => {
    it('numbers each citation with publisher, title, date and link, and quotes it verbatim', () => {
      const ms = renderReply(
        reply({
          blocks: [{ type: 'text', text: 'Claim', cites: [1, 2] }],
          citations: [citation(1), citation(2, { url: null, date: '2022-09', dateApproximate: true }), citation(3, { date: 'unknown' })],
        }),
        'en',
      );
      const [main, sources] = ms[0]!.embeds;
      expect(main!.description).toBe('Claim [1][2]');
      expect(sources!.title).toBe('Sources');
      expect(sources!.description).toBe(
        [
          '[1] Publisher 1, “Title 1” (2023-04-17). https://example.org/1\n> “Quote number 1.”',
          '[2] Publisher 2, “Title 2” (c. 2022-09). Link unknown.\n> “Quote number 2.”',
          '[3] Publisher 3, “Title 3” (date unknown). https://example.org/3\n> “Quote number 3.”',
        ].join('\n\n'),
      );
    });

    it('renders in the reader’s language', () => {
      const ms = renderReply(reply({ citations: [citation(1, { url: null, date: 'unknown' })] }), 'zh-Hant');
      expect(ms[0]!.embeds[0]!.title).toBe('來源');
      expect(ms[0]!.embeds[0]!.description).toContain('日期不詳');
    });

    it('escapes headings, quotes and lists at line starts but leaves links intact', () => {
      expect(escapeText('# Title\n> quoted\n- item\n12. twelfth\nhttps://example.org/a_b_(c)*d')).toBe(
        '\\# Title\n\\> quoted\n\\- item\n12\\. twelfth\nhttps://example.org/a_b_(c)*d',
      );
      const long = 'word_with *stars* '.repeat(2000);
      const started = performance.now();
      expect(escapeText(long).length).toBeGreaterThan(long.length);
      expect(performance.now() - started).toBeLessThan(50);
    });

    it('escapes Markdown so quotes and people’s text show exactly as written', () => {
      const ms = renderReply(
        reply({
          blocks: [{ type: 'text', text: 'see [this](https://evil.example) *now* @everyone' }],
          citations: [citation(1, { quote: 'a *b* _c_ ~~d~~' })],
        }),
        'en',
      );
      const text = allText(ms);
      expect(text).toContain('see \\[this\\](https://evil.example) \\*now\\* @everyone');
      expect(text).toContain('> “a \\*b\\* \\_c\\_ \\~\\~d\\~\\~”');
    });
  });

  describe('components', () => {
    const choices = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `language:c${i}`, label: `Choice ${i}` }));

    it('shows up to five choices as one row of buttons', () => {
      const [m] = renderReply(reply({ blocks: [{ type: 'text', text: 'Pick' }], choices: choices(5) }), 'en');
      expect(m!.components).toHaveLength(1);
      expect(m!.components[0]!.components.map((c) => [c.type, 'custom_id' in c ? c.custom_id : null])).toEqual(
        choices(5).map((c) => [2, c.id]),
      );
    });

    it('shows more than five choices as a string select, several when more than 25', () => {
      const [six] = renderReply(reply({ choices: choices(6) }), 'en');
      expect(six!.components).toHaveLength(1);
      expect(six!.components[0]!.components[0]).toMatchObject({
        type: 3,
        custom_id: 'dc:s:0',
        placeholder: 'Choose…',
        options: choices(6).map((c) => ({ label: c.label, value: c.id })),
      });
      const [many] = renderReply(reply({ choices: choices(60) }), 'en');
      expect(many!.components.map((r) => (r.components[0] as { custom_id: string }).custom_id)).toEqual(['dc:s:0', 'dc:s:1', 'dc:s:2']);
    });

    it('puts a prompt button first, and components only on the last message', () => {
      const ms = renderReply(
        reply({
          blocks: [{ type: 'text', text: 'z'.repeat(7000) }],
          choices: choices(2),
          prompt: { field: 'what', label: 'Description', maxLength: 2000, multiline: true },
        }),
        'en',
      );
      expect(ms).toHaveLength(2);
      expect(ms[0]!.components).toEqual([]);
      expect(ms[1]!.components[0]!.components[0]).toMatchObject({
        type: 2,
        style: 1,
        custom_id: 'dc:p:2000:m:Description',
        label: 'Type your answer: Description',
      });
      expect(ms[1]!.components[1]!.components).toHaveLength(2);
    });

    it('refuses a core choice id Discord could not send back', () => {
      expect(() => renderReply(reply({ choices: [{ id: 'x'.repeat(101), label: 'too long' }] }), 'en')).toThrow(/cannot be rendered/);
      expect(() => renderReply(reply({ choices: [{ id: 'dc:s:0', label: 'ours' }] }), 'en')).toThrow(/cannot be rendered/);
    });

    it('round-trips a prompt through its button id, and builds the modal', () => {
      const prompt = { field: 'where', label: '地點：城市: 或地方', maxLength: 200, multiline: false };
      const id = promptButtonId(prompt);
      expect(id.length).toBeLessThanOrEqual(100);
      expect(parsePromptId(id)).toEqual({ maxLength: 200, multiline: false, label: prompt.label });
      expect(parsePromptId('dc:p:10:x:When')).toBeUndefined();
      expect(parsePromptId('language:en')).toBeUndefined();
      expect(promptButtonId({ ...prompt, label: 'L'.repeat(80), maxLength: 99999 })).toBe(`dc:p:4000:s:${'L'.repeat(44)}…`);
      expect(promptModal({ maxLength: 2000, multiline: true, label: 'Description' }, 'zh-Hans').toJSON()).toEqual({
        custom_id: 'dc:modal',
        title: '您的回答',
        components: [
          { type: 18, label: 'Description', component: { type: 4, custom_id: 'dc:text', style: 2, max_length: 2000, required: true } },
        ],
      });
    });
  });

  describe('payloads', () => {
    it('never mentions anyone, and sets the ephemeral flag only when asked', () => {
      const [m] = renderReply(reply({ blocks: [{ type: 'text', text: 'hi' }] }), 'en');
      expect(toMessage(m!).allowedMentions).toEqual({ parse: [] });
      expect(toPayload(m!, true)).toMatchObject({ allowedMentions: { parse: [] }, flags: 64 });
      expect(toPayload(m!, false)).not.toHaveProperty('flags');
    });

    it('sends at most ten files per message, after the text', () => {
      const files = Array.from({ length: 12 }, (_, i) => ({ name: `f${i}.json`, mime: 'application/json', bytes: new Uint8Array([i]) }));
      const ms = renderReply(reply({ private: true, blocks: [{ type: 'text', text: 'Export' }], files }), 'en');
      expect(ms.map((m) => m.files.length)).toEqual([10, 2]);
      expectWithinLimits(ms);
    });
  });
});

describe('packing files within Discord’s upload limits', () => {
  const file = (name: string, bytes: number) => ({ name, attachment: Buffer.alloc(bytes) });
  const MiB = 1024 * 1024;
  it('puts at most 10 files in a message and keeps each request under 25 MiB less room for its JSON', () => {
    const limits = { fileBytes: 10 * MiB, requestBytes: 25 * MiB };
    const small = packFiles(
      Array.from({ length: 11 }, (_, k) => file(`s${k}`, 10)),
      limits,
    );
    expect(small.groups.map((g) => g.length)).toEqual([10, 1]);
    const big = packFiles([file('a', 9 * MiB), file('b', 9 * MiB), file('c', 7 * MiB), file('d', 6 * MiB)], limits);
    // 9 + 9 + 7 = 25 MiB leaves no room for the message itself
    expect(big.groups.map((g) => g.map((f) => f.name))).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    for (const g of big.groups)
      expect(g.reduce((n, f) => n + f.attachment.byteLength, 0)).toBeLessThanOrEqual(25 * MiB - DISCORD_LIMITS.requestReserve);
    expect(big.unsent).toEqual([]);
  });

  it('leaves out a file over the per-file limit and says so in the reply, in its language', () => {
    const bytes = new Uint8Array(3 * MiB);
    const r = reply({
      private: true,
      files: [
        { name: 'x.jpg', mime: 'image/jpeg', bytes },
        { name: 'y.jpg', mime: 'image/jpeg', bytes: new Uint8Array(10) },
      ],
    });
    const ms = renderReply(r, 'zh-Hans', { fileBytes: 2 * MiB, requestBytes: 25 * MiB });
    expect(ms.flatMap((m) => m.files.map((f) => f.name))).toEqual(['y.jpg']);
    expect(allText(ms)).toContain(t('zh-Hans', 'discord.file_too_large', { name: 'x.jpg', size: '3.0', limit: '2.0' }));
  });
});
