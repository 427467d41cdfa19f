import { Injectable } from '@nestjs/common';
import { DomainError } from '@poc/common';
import { AttemptLimiter } from './attempt.limiter';
import { PasswordHashingLane } from './password-hashing.lane';
import { TokenPair, TokenService } from './token.service';
import { UsersRepository } from './users.repository';

/** Failed sign-ins allowed per username, and per client address, within the limiter's window. */
export const SIGN_IN_LIMITS = { user: 5, address: 20 } as const;

@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly attempts: AttemptLimiter,
    private readonly passwords: PasswordHashingLane,
  ) {}

  async signIn(username: string, password: string, address: string): Promise<TokenPair> {
    const userKey = `sign-in:user:${username}`;
    const addressKey = { key: `sign-in:address:${address}`, limit: SIGN_IN_LIMITS.address };
    // Counted before the password is checked: parallel guesses at one username cannot outrun its lockout.
    await this.attempts.admit([{ key: userKey, limit: SIGN_IN_LIMITS.user }]);
    const user = await this.users.byUsername(username);
    // The address (guesses spread over many usernames) is asked when the hash's turn comes, two at a time,
    // and charged only for failures: a clinic's staff signing in together behind one address is no attack.
    const valid = await this.passwords.verify(password, user?.passwordHash ?? this.passwords.nobodysHash, {
      check: () => this.attempts.assertOpen([addressKey.key]),
      charge: () => this.attempts.recordFailure([addressKey]),
    });
    if (!user || !valid) throw new DomainError('unauthenticated', 'Wrong username or password');
    await this.attempts.release([userKey]);
    // Told only to whoever knows the password: the account exists, and its holder turned it off.
    if (user.deactivatedAt) {
      throw new DomainError('forbidden', 'This account is deactivated: the privacy office can reactivate it');
    }
    if (this.passwords.isOutdated(user.passwordHash)) {
      await this.users.setPasswordHash(user.id, await this.passwords.hash(password, 'sign_in'));
    }
    await this.users.touch(user.id);
    return this.tokens.openSession(user);
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.tokens.refresh(refreshToken, async (id) => {
      const user = await this.users.byId(id);
      return user && !user.deactivatedAt ? user : null;
    });
  }

  signOut(sessionId: string): Promise<void> {
    return this.tokens.revoke(sessionId);
  }

  /** A new password ends every session of the account, this one included: a thief's tokens stop too. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const key = `password-change:user:${userId}`;
    await this.attempts.admit([{ key, limit: SIGN_IN_LIMITS.user }]);
    const user = await this.users.byId(userId);
    if (!user || !(await this.passwords.verify(currentPassword, user.passwordHash))) {
      throw new DomainError('forbidden', 'The current password is wrong', 'currentPassword');
    }
    await this.attempts.release([key]);
    await this.users.setPasswordHash(user.id, await this.passwords.hash(newPassword, 'sign_in'));
    await this.tokens.revokeAllOf(user.id);
  }
}
