import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { ActiveSessionsCache } from './active-sessions.cache';
import { AuthSessionEntity } from './auth-session.entity';

@Injectable()
export class SessionsRepository {
  constructor(
    @InjectRepository(AuthSessionEntity) private readonly sessions: Repository<AuthSessionEntity>,
    private readonly activeSessions: ActiveSessionsCache,
  ) {}

  open(userId: string, refreshHash: string, expiresAt: Date): Promise<AuthSessionEntity> {
    return this.sessions.save(this.sessions.create({ userId, refreshHash, expiresAt }));
  }

  /**
   * Whether the session is neither revoked nor expired: asked on every authenticated request, so answered
   * from the cache of sessions known active when it can, else by plain SQL on the primary key.
   */
  async isActive(id: string): Promise<boolean> {
    if (this.activeSessions.isKnownActive(id)) return true;
    const generation = this.activeSessions.generation;
    const [row]: Array<{ expires_at: Date }> = await this.sessions.query(
      'SELECT expires_at FROM auth_sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()',
      [id],
    );
    if (row) this.activeSessions.remember(id, row.expires_at, generation);
    return row !== undefined;
  }

  /** The session if it is neither revoked nor expired. */
  active(id: string): Promise<AuthSessionEntity | null> {
    return this.sessions.findOneBy({ id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
  }

  /** Swaps the refresh hash only if it is still the one presented, so a refresh token works once. */
  async rotate(id: string, presentedHash: string, nextHash: string): Promise<boolean> {
    const result = await this.sessions.update(
      { id, refreshHash: presentedHash, revokedAt: IsNull() },
      { refreshHash: nextHash, previousRefreshHash: presentedHash },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Whether this was the session's refresh token before its last rotation (a replay, not a guess). */
  async wasRotatedFrom(id: string, presentedHash: string): Promise<boolean> {
    return this.sessions.existsBy({ id, previousRefreshHash: presentedHash });
  }

  // Other instances hear of a revocation from the database (a trigger notifies); this one forgets at once.
  async revoke(id: string): Promise<void> {
    await this.sessions.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    this.activeSessions.forget(id);
  }

  /** Forgets sessions that ended (revoked or expired) before `cutoff`; answers how many. */
  async purgeEndedBefore(cutoff: Date): Promise<number> {
    const [rows]: [unknown[], number] = await this.sessions.query(
      'DELETE FROM auth_sessions WHERE revoked_at < $1 OR expires_at < $1 RETURNING 1',
      [cutoff],
    );
    return rows.length;
  }

  async revokeAllOf(userId: string): Promise<void> {
    const [rows]: [Array<{ id: string }>, number] = await this.sessions.query(
      'UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id',
      [userId],
    );
    for (const { id } of rows) this.activeSessions.forget(id);
  }
}
