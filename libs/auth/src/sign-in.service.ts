import { Injectable } from '@nestjs/common';
import { DomainError } from '@poc/common';
import { hashPassword, UNKNOWN_USER_HASH, verifyPassword } from './password.hasher';
import { LIMITS, SignInThrottle } from './sign-in.throttle';
import { TokenPair, TokenService } from './token.service';
import { UsersRepository } from './users.repository';

@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly throttle: SignInThrottle,
  ) {}

  async signIn(username: string, password: string, address: string): Promise<TokenPair> {
    const keys = [`user:${username}`, `address:${address}`];
    const wait = await this.throttle.lockedFor(keys);
    if (wait !== null) {
      throw new DomainError('too_many', 'Too many failed sign-ins; try again later', undefined, wait);
    }
    const user = await this.users.byUsername(username);
    const valid = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !valid) {
      await this.throttle.recordFailure([
        { key: keys[0], limit: LIMITS.user },
        { key: keys[1], limit: LIMITS.address },
      ]);
      throw new DomainError('unauthenticated', 'Wrong username or password');
    }
    await this.throttle.clear(keys[0]);
    await this.users.touch(user.id);
    return this.tokens.openSession(user);
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.tokens.refresh(refreshToken, (id) => this.users.byId(id));
  }

  signOut(sessionId: string): Promise<void> {
    return this.tokens.revoke(sessionId);
  }

  /** A new password ends every session of the account, this one included: a thief's tokens stop too. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.byId(userId);
    if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new DomainError('forbidden', 'The current password is wrong', 'currentPassword');
    }
    await this.users.setPasswordHash(user.id, await hashPassword(newPassword));
    await this.tokens.revokeAllOf(user.id);
  }
}
