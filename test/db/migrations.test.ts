import { describe, expect, it } from 'vitest';
import { pendingSchemaSql } from '../../src/db/migrations.ts';

describe('migrations', () => {
  it('agree with schema.prisma (run `npm run db:migration -- <name>` after changing the schema)', async () => {
    const sql = await pendingSchemaSql();
    expect(sql, `schema.prisma has changes no migration covers:\n${sql}`).toBe('');
  });
});
