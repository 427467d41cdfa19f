import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Failures counted per key within a window; reaching the limit locks the key for the window's length. */
const WINDOW = '15 minutes';
export const LIMITS = { user: 5, address: 20 } as const;

/**
 * Throttles password guessing: failed sign-ins are counted per username and per client address in the
 * database (so every instance sees them); after too many the key is locked out for 15 minutes, when
 * even the right password gets 429 with Retry-After.
 */
@Injectable()
export class SignInThrottle {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Seconds until the first of these keys is unlocked, or null when none is locked. */
  async lockedFor(keys: string[]): Promise<number | null> {
    const [row] = await this.db.query(
      `SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS seconds
         FROM sign_in_failures WHERE key = ANY($1) AND locked_until > now()`,
      [keys],
    );
    return row?.seconds ?? null;
  }

  async recordFailure(keys: Array<{ key: string; limit: number }>): Promise<void> {
    await this.db.query(
      `INSERT INTO sign_in_failures AS f (key, failures, window_start, locked_until)
       SELECT k.key, 1, now(), CASE WHEN k.lim <= 1 THEN now() + interval '${WINDOW}' END
         FROM unnest($1::text[], $2::int[]) AS k(key, lim)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN f.window_start < now() - interval '${WINDOW}' THEN 1 ELSE f.failures + 1 END,
         window_start = CASE WHEN f.window_start < now() - interval '${WINDOW}' THEN now() ELSE f.window_start END,
         locked_until = CASE WHEN f.window_start >= now() - interval '${WINDOW}'
                              AND f.failures + 1 >= (SELECT k.lim FROM unnest($1::text[], $2::int[]) AS k(key, lim) WHERE k.key = f.key)
                             THEN now() + interval '${WINDOW}' ELSE f.locked_until END`,
      [keys.map((k) => k.key), keys.map((k) => k.limit)],
    );
  }

  async clear(key: string): Promise<void> {
    await this.db.query(`DELETE FROM sign_in_failures WHERE key = $1`, [key]);
  }
}
