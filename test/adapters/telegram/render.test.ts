/**
 * Reply -> Telegram HTML: escaping of every outside text, links only for http(s), splitting at
 * 4096 characters on block boundaries, the one-message form for inline results, and keyboards.
 */
import { CallbackTokens } from '../../../src/adapters/telegram/callback-tokens.ts';
import { describe, expect, it } from 'vitest';
import { choiceKeyboard, escapeHtml, MESSAGE_LIMIT, renderMessages, renderSingle, tHtml } from '../../../src/adapters/telegram/render.ts';
import type { Citation, Reply } from '../../../src/core/reply.ts';

const citation = (n: number, extra: Partial<Citation> = {}): Citation => ({
  n,
  claimId: `c${n}`,
  sourceId: `s${n}`,
  publisher: 'Publisher & Co <script>',
  title: 'A "title" with <b>markup</b>',
  date: '2023-04-17',
  dateApproximate: false,
  url: 'https://example.org/a?b=1&c="2"',
  quote: 'He said: <i>“we will find you”</i> & left.',
  ...extra,
});

const reply = (over: Partial<Reply> = {}): Reply => ({ private: false, kind: 'answer', blocks: [], citations: [], ...over });

/** The HTML with the renderer's own tags removed. */
const bare = (html: string) => html.replace(/<\/?(b|i|blockquote)>|<a href="[^"<>]*">|<\/a>/g, '');

describe('telegram render', () => {
  describe('escaping', () => {
    it('escapes the four characters Telegram’s HTML knows', () => {
      expect(escapeHtml(`<a href="x">&amp;</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;');
    });

    it('escapes every block, title, line and citation field, and keeps only its own tags', () => {
      const [html, ...more] = renderMessages(
        reply({
          blocks: [
            { type: 'title', text: 'Title <b>x</b>' },
            { type: 'text', text: 'Text & <i>', cites: [1] },
            { type: 'notice', text: 'Notice </blockquote>' },
            { type: 'item', title: 'Item <a href="javascript:alert(1)">', lines: [{ text: 'Line <tg-spoiler>', cites: [1] }] },
          ],
          citations: [citation(1)],
        }),
        'en',
      );
      expect(more).toEqual([]);
      expect(html).toBe(
        [
          '<b>Title &lt;b&gt;x&lt;/b&gt;</b>',
          '',
          'Text &amp; &lt;i&gt; [1]',
          '',
          '<i>Notice &lt;/blockquote&gt;</i>',
          '',
          '<b>Item &lt;a href=&quot;javascript:alert(1)&quot;&gt;</b>',
          '• Line &lt;tg-spoiler&gt; [1]',
          '',
          '<b>Sources</b>',
          '',
          '[1] Publisher &amp; Co &lt;script&gt;, “A &quot;title&quot; with &lt;b&gt;markup&lt;/b&gt;” (2023-04-17). <a href="https://example.org/a?b=1&amp;c=&quot;2&quot;">https://example.org/a?b=1&amp;c=&quot;2&quot;</a>',
          '<blockquote>He said: &lt;i&gt;“we will find you”&lt;/i&gt; &amp; left.</blockquote>',
        ].join('\n'),
      );
      expect(bare(html!)).not.toMatch(/[<>"]/);
    });

    it('links only http(s) URLs; others stay text, unknown ones say so, approximate dates are marked', () => {
      const html = renderMessages(
        reply({
          citations: [
            citation(1, { url: 'javascript:alert(1)' }),
            citation(2, { url: 'tg://user?id=42' }),
            citation(3, { url: null, date: '2022-09', dateApproximate: true }),
            citation(4, { date: 'unknown' }),
          ],
        }),
        'en',
      ).join('\n');
      expect(html).not.toContain('<a href="javascript');
      expect(html).not.toContain('<a href="tg:');
      expect(html).toContain('(2023-04-17). javascript:alert(1)');
      expect(html).toContain('(c. 2022-09). Link unknown.');
      expect(html).toContain('(date unknown).');
    });

    it('fills catalog messages with escaped parameters, and escapes the catalog text too', () => {
      expect(tHtml('en', 'error.triage_suggest_usage')).toContain('&lt;station id or new&gt;');
      expect(tHtml('en', 'lookup.title', { query: '<b>', count: 2 })).toBe(
        'Reported “overseas police service stations” for “&lt;b&gt;” (2)',
      );
      expect(tHtml('zh-Hant', 'citation.title')).toBe('來源');
    });
  });

  describe('splitting', () => {
    const long = reply({
      blocks: [
        { type: 'title', text: 'Many' },
        ...Array.from({ length: 30 }, (_, i) => ({
          type: 'item' as const,
          title: `Station ${i}`,
          lines: [{ text: 'x'.repeat(150), cites: [i + 1] }, { text: 'y & z '.repeat(20) }],
        })),
      ],
      citations: Array.from({ length: 30 }, (_, i) => citation(i + 1)),
    });

    it('splits at 4096 characters between blocks, never inside a tag, and loses nothing', () => {
      const messages = renderMessages(long, 'en');
      expect(messages.length).toBeGreaterThan(2);
      for (const m of messages) {
        expect(m.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
        expect(m.startsWith('\n')).toBe(false);
        for (const tag of ['b', 'i', 'blockquote']) expect(m.split(`<${tag}>`).length).toBe(m.split(`</${tag}>`).length);
        // a heading is never left alone at the end of a message
        expect(m).not.toMatch(/<b>Station \d+<\/b>$/);
      }
      const joined = messages.join('\n');
      for (let i = 0; i < 30; i++) expect(joined).toContain(`<b>Station ${i}</b>`);
      for (let i = 1; i <= 30; i++) expect(joined).toMatch(new RegExp(`^\\[${i}\\] `, 'm'));
    });

    it('splits a single oversized block as plain text without cutting an entity', () => {
      const messages = renderMessages(reply({ blocks: [{ type: 'text', text: 'a & b '.repeat(2000) }] }), 'en', 1000);
      expect(messages.length).toBeGreaterThan(5);
      for (const m of messages) {
        expect(m.length).toBeLessThanOrEqual(1000);
        expect(m).not.toMatch(/&(?!amp;)/);
        expect(m).not.toMatch(/&am?$|&amp?$/);
      }
    });

    it('fits one message for inline results: all of it when it fits, else shortened with every item kept', () => {
      const short = reply({ blocks: [{ type: 'text', text: 'hello', cites: [1] }], citations: [citation(1)] });
      expect(renderSingle(short, 'en')).toEqual({ html: renderMessages(short, 'en')[0], shortened: false });
      const { html, shortened } = renderSingle(long, 'en');
      expect(shortened).toBe(true);
      expect(html.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(html).not.toContain('<blockquote>');
      expect(html).toContain('Shortened to fit one message');
      for (const m of html.matchAll(/\[(\d+)\](?! )/g)) expect(html).toMatch(new RegExp(`^\\[${m[1]}\\] `, 'm')); // every mark has its source
    });
  });

  describe('keyboards', () => {
    it('puts short labels three to a row and long ones alone', () => {
      expect(
        choiceKeyboard([
          { id: 'a:1', label: 'Yes' },
          { id: 'a:2', label: 'No' },
        ]).markup,
      ).toEqual({
        inline_keyboard: [
          [
            { text: 'Yes', callback_data: 'a:1' },
            { text: 'No', callback_data: 'a:2' },
          ],
        ],
      });
      const long = choiceKeyboard([
        { id: 'a:1', label: 'Pressure or threats against family in China' },
        { id: 'a:2', label: 'No' },
      ]).markup!;
      expect(long.inline_keyboard.map((r) => r.length)).toEqual([1, 1]);
    });

    it('sends an id over 64 bytes as a short token that maps back, instead of leaving it out', () => {
      const tokens = new CallbackTokens();
      const long = 'tr:link:R-ABCDEF:' + 'station-with-a-very-long-identifier-'.repeat(2);
      const { markup, dropped } = choiceKeyboard(
        [
          { id: long, label: 'Prato (Italy)' },
          { id: 'ok:1', label: 'Fine' },
        ],
        (id) => tokens.short(id),
      );
      expect(dropped).toBe(0);
      const data = markup!.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''));
      expect(data[1]).toBe('ok:1');
      expect(Buffer.byteLength(data[0]!, 'utf8')).toBeLessThanOrEqual(64);
      expect(tokens.resolve(data[0]!)).toBe(long);
      expect(tokens.resolve('~unknown')).toBe('');
    });

    it('keeps at most 100 buttons, as Telegram allows', () => {
      const many = Array.from({ length: 150 }, (_, i) => ({ id: `c:${i}`, label: `Choice number ${i}` }));
      const { markup, dropped } = choiceKeyboard(many, (id) => id);
      expect(markup!.inline_keyboard.flat()).toHaveLength(100);
      expect(dropped).toBe(50);
    });

    it('leaves out choices whose id Telegram cannot carry (over 64 bytes) when no tokens are given', () => {
      const { markup, dropped } = choiceKeyboard([
        { id: 'é'.repeat(33), label: 'Too long' },
        { id: 'ok:1', label: 'Fine' },
      ]);
      expect(dropped).toBe(1);
      expect(markup).toEqual({ inline_keyboard: [[{ text: 'Fine', callback_data: 'ok:1' }]] });
    });
  });
});
