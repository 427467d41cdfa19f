import { GroupCommitQueue } from './group-commit.queue';

describe('GroupCommitQueue', () => {
  it('commits items in groups by size and settles each caller with its own result', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        batches.push(items);
        return items.map((n) => n * 10);
      },
      { maxBatch: 3, maxDelayMs: 1000, concurrency: 1 },
    );
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => queue.push(n)));
    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('flushes a partial group after the delay', async () => {
    const queue = new GroupCommitQueue<string, string>(async (items) => items, {
      maxBatch: 100,
      maxDelayMs: 5,
      concurrency: 1,
    });
    await expect(queue.push('alone')).resolves.toBe('alone');
  });

  it('gathers items while a commit runs, and fails every caller of a failed batch', async () => {
    let release: () => void = () => undefined;
    const batches: string[][] = [];
    const queue = new GroupCommitQueue<string, string>(
      async (items) => {
        batches.push(items);
        if (items[0] === 'first') await new Promise<void>((r) => (release = r));
        if (items.includes('bad')) throw new Error('database down');
        return items;
      },
      { maxBatch: 10, maxDelayMs: 1, concurrency: 1 },
    );
    const first = queue.push('first');
    await new Promise((r) => setTimeout(r, 10));
    const later = [queue.push('a'), queue.push('bad'), queue.push('c')].map((p) =>
      p.then(
        () => 'ok',
        () => 'failed',
      ),
    );
    release();
    await first;
    expect(await Promise.all(later)).toEqual(['failed', 'failed', 'failed']);
    expect(batches).toEqual([['first'], ['a', 'bad', 'c']]);
  });
});
