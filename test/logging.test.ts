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
      log.warn({ report: 'R-ABC123', text: 'my parents would suffer', userId: '424242', job: 'notices' }, 'something happened');
      const line = out.text();
      expect(line).toContain('something happened');
      expect(line).toContain('notices');
      expect(line).toContain('[redacted]');
      expect(line).not.toMatch(/my parents|424242|R-ABC123/);
      if (format === 'json') expect(() => JSON.parse(line)).not.toThrow();
      else expect(line).not.toContain('{"level"');
    });
  }
});
