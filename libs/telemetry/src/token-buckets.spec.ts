import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  it('lets a burst through, then delays takes by the time their tokens need, then refuses', () => {
    const buckets = new TokenBuckets(2, 3, 2); // 2/s, burst 3, up to 2 queued
    expect([0, 0, 0].map(() => buckets.take('a', 0))).toEqual([0, 0, 0]);
    expect(buckets.take('a', 0)).toBe(500); // one token short at 2/s
    expect(buckets.take('a', 0)).toBe(1000);
    expect(buckets.take('a', 0)).toBeNull(); // a third in debt: refused
    expect(buckets.take('b', 0)).toBe(0); // other keys are not affected
  });

  it('refills at the sustained rate, never above the burst', () => {
    const buckets = new TokenBuckets(2, 3);
    for (let i = 0; i < 3; i++) buckets.take('a', 0);
    expect(buckets.take('a', 0)).toBeNull();
    expect(buckets.take('a', 500)).toBe(0);
    expect(buckets.take('a', 500)).toBeNull();
    expect([0, 0, 0, null]).toEqual([1, 2, 3, 4].map(() => buckets.take('a', 60_000)));
  });

  it('sweeps only the buckets that have refilled', () => {
    const buckets = new TokenBuckets(1, 2);
    buckets.take('a', 0);
    buckets.take('b', 0);
    buckets.take('b', 0);
    buckets.sweep(1000);
    expect(buckets.size).toBe(1);
    buckets.sweep(2000);
    expect(buckets.size).toBe(0);
  });
});
