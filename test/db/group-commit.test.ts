/** Group commit (src/db/group-commit.ts): what waits, what goes together, what fails together. */
import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/db/group-commit.ts';

/** A store whose writes finish when the test says so. */
function controlledStore() {
  const batches: string[][] = [];
  const finish: (() => void)[] = [];
  const write = async (items: string[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => finish.push(resolve));
    return items.map((i) => `ok:${i}`);
  };
  return { batches, finish, write };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('writes a call at once when nothing is being written', async () => {
    const s = controlledStore();
    const save = groupCommit(s.write, { maxBatch: 10, keyOf: (k) => k });
    const done = save('a');
    await tick();
    expect(s.batches).toEqual([['a']]);
    s.finish.shift()!();
    expect(await done).toBe('ok:a');
  });

  it('sends the calls made during a write together in the next one, each answered with its own result', async () => {
    const s = controlledStore();
    const save = groupCommit(s.write, { maxBatch: 10, keyOf: (k) => k });
    const first = save('a');
    const rest = ['b', 'c', 'd'].map((k) => save(k));
    await tick();
    expect(s.batches).toEqual([['a']]);
    s.finish.shift()!();
    await first;
    await tick();
    expect(s.batches).toEqual([['a'], ['b', 'c', 'd']]);
    s.finish.shift()!();
    expect(await Promise.all(rest)).toEqual(['ok:b', 'ok:c', 'ok:d']);
  });

  it('never puts two calls for the same key in one batch, and respects the batch size', async () => {
    const s = controlledStore();
    const save = groupCommit(s.write, { maxBatch: 2, keyOf: (k) => k.split('#')[0]! });
    const all = [save('x#0'), save('x#1'), save('y#1'), save('z#1'), save('x#2')];
    for (let i = 0; i < 4; i++) {
      await tick();
      s.finish.shift()?.();
    }
    await Promise.all(all);
    expect(s.batches).toEqual([['x#0'], ['x#1', 'y#1'], ['z#1', 'x#2']]);
  });

  it('fails every call of a failed batch with its error, and carries on with the next', async () => {
    let calls = 0;
    const save = groupCommit(
      async (items: string[]) => {
        calls++;
        await tick();
        if (calls === 2) throw new Error('database unreachable');
        return items;
      },
      { maxBatch: 10, keyOf: (k) => k },
    );
    const first = save('a');
    const failing = [save('b'), save('c')];
    await first;
    const settled = await Promise.allSettled(failing);
    expect(settled.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.value))).toEqual([
      'database unreachable',
      'database unreachable',
    ]);
    expect(await save('d')).toBe('d');
  });
});
