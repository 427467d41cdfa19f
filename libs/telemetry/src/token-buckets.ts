interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key (a device's serial): `perSecond` sustained, `burst` at once. A take beyond the
 * tokens may run into debt up to `maxQueued` takes, each paid for by waiting (the delay returned);
 * beyond that it is refused (null). In memory: a device talks to one instance at a time.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly maxQueued = 0,
  ) {}

  /** Milliseconds to wait before the take may proceed (0: now), or null when refused. */
  take(key: string, now = performance.now()): number | null {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens - 1 < -this.maxQueued) {
      this.buckets.set(key, bucket);
      return null;
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / this.perSecond) * 1000);
  }

  /** Forgets the buckets that have refilled: they behave as new ones (memory stays with the active keys). */
  sweep(now = performance.now()): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
