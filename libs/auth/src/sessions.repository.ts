import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { AuthSessionEntity } from './auth-session.entity';

@Injectable()
export class SessionsRepository {
  constructor(@InjectRepository(AuthSessionEntity) private readonly sessions: Repository<AuthSessionEntity>) {}

  open(userId: string, refreshHash: string, expiresAt: Date): Promise<AuthSessionEntity> {
    return this.sessions.save(this.sessions.create({ userId, refreshHash, expiresAt }));
  }

  /**
   * Whether the session is neither revoked nor expired: asked on every authenticated request, so plain SQL
   * on the primary key (the query builder's own work cost as much as the query).
   */
  async isActive(id: string): Promise<boolean> {
    const rows: unknown[] = await this.sessions.query(
      'SELECT 1 FROM auth_sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()',
      [id],
    );
    return rows.length === 1;
  }

  /** The session if it is neither revoked nor expired. */
  active(id: string): Promise<AuthSessionEntity | null> {
    return this.sessions.findOneBy({ id, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) });
  }

  /** Swaps the refresh hash only if it is still the one presented, so a refresh token works once. */
  async rotate(id: string, presentedHash: string, nextHash: string): Promise<boolean> {
    const result = await this.sessions.update(
      { id, refreshHash: presentedHash, revokedAt: IsNull() },
      { refreshHash: nextHash },
    );
    return (result.affected ?? 0) === 1;
  }

  async revoke(id: string): Promise<void> {
    await this.sessions.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  async revokeAllOf(userId: string): Promise<void> {
    await this.sessions.update({ userId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }
}
