import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ADMIT, LOCKED_FOR, PURGE_EXPIRED, RELEASE } from './attempt.sql';

/** attempt_counts: attempts per (hashed) key within a window, and the keys' locks. */
@Injectable()
export class AttemptCountsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Counts one attempt on every key, unless one is locked or would go over its limit: then the seconds until it opens. */
  async admit(keys: string[], limits: number[], windowSeconds: number): Promise<number | null> {
    const [{ seconds }]: Array<{ seconds: number | null }> = await this.db.query(ADMIT, [keys, limits, windowSeconds]);
    return seconds;
  }

  async release(keys: string[]): Promise<void> {
    await this.db.query(RELEASE, [keys]);
  }

  /** The seconds until the last of these keys' locks ends; null when none is locked. */
  async lockedFor(keys: string[]): Promise<number | null> {
    const [{ seconds }]: Array<{ seconds: number | null }> = await this.db.query(LOCKED_FOR, [keys]);
    return seconds;
  }

  async purgeExpired(windowSeconds: number): Promise<number> {
    const [{ n }] = await this.db.query(PURGE_EXPIRED, [windowSeconds]);
    return n;
  }
}
