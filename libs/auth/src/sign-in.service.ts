import { Injectable } from '@nestjs/common';
import { DomainError } from '@poc/common';
import { UNKNOWN_USER_HASH, verifyPassword } from './password.hasher';
import { TokenPair, TokenService } from './token.service';
import { UsersRepository } from './users.repository';

@Injectable()
export class SignInService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
  ) {}

  async signIn(username: string, password: string): Promise<TokenPair> {
    const user = await this.users.byUsername(username);
    const valid = await verifyPassword(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !valid) throw new DomainError('unauthenticated', 'Wrong username or password');
    await this.users.touch(user.id);
    return this.tokens.openSession(user);
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.tokens.refresh(refreshToken, (id) => this.users.byId(id));
  }

  signOut(sessionId: string): Promise<void> {
    return this.tokens.revoke(sessionId);
  }
}
