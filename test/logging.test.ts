/**
 * Log lines: human-readable on a terminal, JSON elsewhere or in production, and redacted in
 * both formats (a reporter's words, ids and receipts never reach a line).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logFormatFor } from '../src/logging.ts';

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({ write: (c, _e, done) => (chunks.push(String(c)), done()) });
  return { stream, text: () => chunks.join('') };
}

describe('logging', () => {
  it('is pretty on a terminal, JSON when not a terminal or in production, as LOG_FORMAT forces', () => {
    expect(logFormatFor({ isTTY: true }, {})).toBe('pretty');
    expect(logFormatFor({ isTTY: false }, {})).toBe('json');
    expect(logFormatFor({ isTTY: true }, { NODE_ENV: 'production' })).toBe('json');
    expect(logFormatFor({ isTTY: false }, { LOG_FORMAT: 'pretty' })).toBe('pretty');
  });

  for (const format of ['pretty', 'json'] as const) {
    it(`redacts report content and ids in ${format} lines`, () => {
      const out = capture();
      const log = createLogger('info', out.stream, format);
      log.warn(
        { text: 'my parents would suffer', userId: '424242', receipt: '7KQ2-M9XD-4HJW-PR3T-ZB6C', job: 'notices' },
        'something happened',
      );
      const line = out.text();
      expect(line).toContain('something happened');
      expect(line).toContain('notices');
      expect(line).toContain('[redacted]');
      expect(line).not.toMatch(/my parents|424242|7KQ2/);
      if (format === 'json') expect(() => JSON.parse(line)).not.toThrow();
      else expect(line).not.toContain('{"level"');
    });
  }

  describe('diagnostics stay readable', () => {
    const jsonLine = (fields: Record<string, unknown>) => {
      const out = capture();
      createLogger('info', out.stream, 'json').warn(fields, 'diagnostic');
      return JSON.parse(out.text()) as Record<string, unknown>;
    };

    it('shows the public report id of "report submitted", and still redacts what the report says', () => {
      const line = jsonLine({ report: 'R-7K2M9Q', category: 'harassment', text: 'my parents would suffer', where: 'Prato' });
      expect(line.report).toBe('R-7K2M9Q');
      expect(line.category).toBe('harassment');
      expect(line.text).toBe('[redacted]');
      expect(line.where).toBe('[redacted]');
    });

    it('shows a Telegram API error code, at the top and inside err, and a core or errno code', () => {
      expect(jsonLine({ method: 'sendMessage', code: 429, retryAfter: 3 })).toMatchObject({
        method: 'sendMessage',
        code: 429,
        retryAfter: 3,
      });
      expect(
        jsonLine({ err: { name: 'GrammyError', method: 'sendMessage', code: 403, description: 'Forbidden: bot was blocked by the user' } }),
      ).toMatchObject({ err: { code: 403 } });
      expect(jsonLine({ code: 'REPORT.NO_DRAFT' }).code).toBe('REPORT.NO_DRAFT');
      expect(jsonLine({ err: { code: 'ECONNRESET' } })).toMatchObject({ err: { code: 'ECONNRESET' } });
    });

    it('redacts a field named report or code that is not an id or an error code (a report object, a receipt)', () => {
      const line = jsonLine({
        report: { what: 'followed home', publicId: 'R-7K2M9Q' },
        code: '7KQ2M9XD4HJWPR3TZB6C',
        nested: { code: '7kq2-m9xd-4hjw-pr3t-zb6c' },
      });
      expect(line.report).toBe('[redacted]');
      expect(line.code).toBe('[redacted]');
      expect(line.nested).toEqual({ code: '[redacted]' });
      expect(JSON.stringify(line)).not.toMatch(/followed home|7KQ2|7kq2/);
    });
  });
});
