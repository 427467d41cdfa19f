import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError } from '@poc/common';
import { AttemptCountsRepository } from './attempt-counts.repository';

/** Attempts are counted per key within this window; going over a key's limit locks it for as long. */
export const WINDOW_SECONDS = 15 * 60;

/** A key attempts are counted on (`user:jane`, `address:10.0.0.7`, ...) and how many the window allows. */
export interface AttemptKey {
  key: string;
  limit: number;
}

// Stored as a hash: the table never holds what someone typed as a username, nor an address.
const hashed = (key: string): string => createHash('sha256').update(key).digest('base64url');

/**
 * Limits guesses and costly requests (sign-ins, registrations, device links) across every instance. Where a
 * guess is cheap to make in parallel and each one matters (a password), `admit` counts the attempt,
 * atomically, before it is checked, and a success is taken back: fifty guesses at once are checked five
 * at most. Elsewhere (`assertOpen` before, `recordFailure` after) only failures count, so that many
 * legitimate requests in flight at once are not refused for being many. A key over its limit is locked
 * for the window, when even a right guess gets 429 with Retry-After.
 */
@Injectable()
export class AttemptLimiter {
  constructor(private readonly counts: AttemptCountsRepository) {}

  /**
   * Counts one attempt on every key, or refuses it (429) when any key is locked or this attempt would take
   * it over its limit (that key is then locked). A refused attempt counts on no key: it was never checked.
   */
  async admit(keys: AttemptKey[]): Promise<void> {
    const seconds = await this.count(keys);
    if (seconds !== null) throw tooMany(seconds);
  }

  /** Takes a successful attempt back from the keys it was counted on. */
  async release(keys: string[]): Promise<void> {
    await this.counts.release(keys.map(hashed));
  }

  /** Refuses (429) while any of these keys is locked; counts nothing. */
  async assertOpen(keys: string[]): Promise<void> {
    const seconds = await this.counts.lockedFor(keys.map(hashed));
    if (seconds !== null) throw tooMany(seconds);
  }

  /** Counts a failed attempt; the failure that reaches a key's limit locks it. */
  async recordFailure(keys: AttemptKey[]): Promise<void> {
    // Counted as an attempt allowed one fewer: the limit-th failure is the one that locks.
    await this.count(keys.map(({ key, limit }) => ({ key, limit: limit - 1 })));
  }

  /** Forgets counts whose window and lock are over (run by the retention job); answers how many went. */
  async purgeExpired(): Promise<number> {
    return this.counts.purgeExpired(WINDOW_SECONDS);
  }

  private count(keys: AttemptKey[]): Promise<number | null> {
    return this.counts.admit(
      keys.map((k) => hashed(k.key)),
      keys.map((k) => k.limit),
      WINDOW_SECONDS,
    );
  }
}

const tooMany = (seconds: number) =>
  new DomainError('too_many', 'Too many attempts; try again later', undefined, seconds);
