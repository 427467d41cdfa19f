import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError } from '@poc/common';
import { DataSource } from 'typeorm';
import { ADMIT, LOCKED_FOR, PURGE_EXPIRED, RELEASE } from './attempt.sql';

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
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
    await this.db.query(RELEASE, [keys.map(hashed)]);
  }

  /** Refuses (429) while any of these keys is locked; counts nothing. */
  async assertOpen(keys: string[]): Promise<void> {
    const [{ seconds }]: Array<{ seconds: number | null }> = await this.db.query(LOCKED_FOR, [keys.map(hashed)]);
    if (seconds !== null) throw tooMany(seconds);
  }

  /** Counts a failed attempt; the failure that reaches a key's limit locks it. */
  async recordFailure(keys: AttemptKey[]): Promise<void> {
    // Counted as an attempt allowed one fewer: the limit-th failure is the one that locks.
    await this.count(keys.map(({ key, limit }) => ({ key, limit: limit - 1 })));
  }

  /** Forgets counts whose window and lock are over (run by the retention job); answers how many went. */
  async purgeExpired(): Promise<number> {
    const [{ n }] = await this.db.query(PURGE_EXPIRED, [WINDOW_SECONDS]);
    return n;
  }

  private async count(keys: AttemptKey[]): Promise<number | null> {
    const [{ seconds }]: Array<{ seconds: number | null }> = await this.db.query(ADMIT, [
      keys.map((k) => hashed(k.key)),
      keys.map((k) => k.limit),
      WINDOW_SECONDS,
    ]);
    return seconds;
  }
}

const tooMany = (seconds: number) =>
  new DomainError('too_many', 'Too many attempts; try again later', undefined, seconds);
