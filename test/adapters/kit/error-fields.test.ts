import { describe, expect, it } from 'vitest';
import { errorFields } from '../../../src/adapters/kit/error-fields.ts';

class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
  ) {
    super(`call ${method} failed: the text the person sent`);
  }
}
const apiFields = (e: unknown) => (e instanceof ApiError ? { name: 'ApiError', method: e.method, code: e.code } : undefined);

describe('errorFields', () => {
  it('describes a platform error by its API method and code', () => {
    expect(errorFields(new ApiError('sendMessage', 403), apiFields)).toEqual({ name: 'ApiError', method: 'sendMessage', code: 403 });
  });

  it('describes any other error by its name, code and code locations, never its message', () => {
    const e = Object.assign(new TypeError('value "my secret report text" is not valid'), { code: 'ERR_X' });
    const f = errorFields(e, apiFields);
    expect(f).toMatchObject({ name: 'TypeError', code: 'ERR_X' });
    expect((f.at as string[]).length).toBeGreaterThan(0);
    expect((f.at as string[]).every((l) => l.startsWith('at '))).toBe(true);
    expect(JSON.stringify(f)).not.toContain('secret');
  });

  it('names what was thrown when it is not an Error', () => {
    expect(errorFields('the text the person sent')).toEqual({ name: 'string' });
    expect(errorFields(undefined)).toEqual({ name: 'undefined' });
  });
});
