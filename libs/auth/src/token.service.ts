import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '@poc/common';
import { AppConfig } from '@poc/config';
import type { Principal } from './principal';
import type { Role } from './role';
import { SessionsRepository } from './sessions.repository';

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
}

interface AccessClaims {
  /** When the session's password sign-in happened (seconds since the epoch); refreshing keeps it. */
  auth_time: number;
  sub: string;
  role: Role;
  pid: string | null;
  sid: string;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** Short-lived signed access tokens bound to a revocable session; refresh tokens rotate on each use. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly sessions: SessionsRepository,
    private readonly config: AppConfig,
  ) {}

  async openSession(user: { id: string; role: Role; providerId: string | null }): Promise<TokenPair> {
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_SECONDS * 1000);
    const session = await this.sessions.open(user.id, sha256(secret), expiresAt);
    return this.pair({ ...this.claimsOf(session, user), sub: user.id }, secret);
  }

  async refresh(
    refreshToken: string,
    currentUser: (userId: string) => Promise<{ role: Role; providerId: string | null } | null>,
  ): Promise<TokenPair> {
    const [sessionId, secret] = refreshToken.split('.');
    const session = /^[0-9a-f-]{36}$/.test(sessionId ?? '') && secret ? await this.sessions.active(sessionId) : null;
    const user = session ? await currentUser(session.userId) : null;
    if (!session || !user) throw new DomainError('unauthenticated', 'The refresh token is invalid or expired');
    const next = randomBytes(32).toString('base64url');
    const presented = sha256(secret);
    if (!(await this.sessions.rotate(session.id, presented, sha256(next)))) {
      // A refresh token presented again after it was used means it leaked: end the whole session. A wrong
      // one proves nothing (anyone who saw an access token knows the session id) and ends nothing.
      if (await this.sessions.wasRotatedFrom(session.id, presented)) await this.sessions.revoke(session.id);
      throw new DomainError('unauthenticated', 'The refresh token is invalid or expired');
    }
    return this.pair({ ...this.claimsOf(session, user), sub: session.userId }, next);
  }

  async verifyAccessToken(token: string): Promise<Principal> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw new DomainError('unauthenticated', 'The token is invalid or expired');
    }
    // Checked on every request so that sign-out revokes at once, not at expiry.
    if (!(await this.sessions.isActive(claims.sid))) {
      throw new DomainError('unauthenticated', 'The session has ended');
    }
    return {
      userId: claims.sub,
      role: claims.role,
      providerId: claims.pid,
      sessionId: claims.sid,
      signedInAt: new Date((claims.auth_time ?? 0) * 1000),
    };
  }

  revoke(sessionId: string): Promise<void> {
    return this.sessions.revoke(sessionId);
  }

  revokeAllOf(userId: string): Promise<void> {
    return this.sessions.revokeAllOf(userId);
  }

  purgeEndedBefore(cutoff: Date): Promise<number> {
    return this.sessions.purgeEndedBefore(cutoff);
  }

  private claimsOf(
    session: { id: string; createdAt: Date },
    user: { role: Role; providerId: string | null },
  ): Omit<AccessClaims, 'sub'> {
    return {
      auth_time: Math.floor(session.createdAt.getTime() / 1000),
      role: user.role,
      pid: user.providerId,
      sid: session.id,
    };
  }

  private async pair(claims: AccessClaims, refreshSecret: string): Promise<TokenPair> {
    const expiresIn = this.config.ACCESS_TOKEN_TTL_SECONDS;
    return {
      accessToken: await this.jwt.signAsync(claims, { expiresIn, algorithm: 'HS256' }),
      tokenType: 'Bearer',
      expiresIn,
      refreshToken: `${claims.sid}.${refreshSecret}`,
    };
  }
}
