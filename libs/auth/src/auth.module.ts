import { Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@poc/config';
import { AccessGuard } from './access.guard';
import { AttemptCountsRepository } from './attempt-counts.repository';
import { AttemptLimiter } from './attempt.limiter';
import { ActiveSessionsCache } from './active-sessions.cache';
import { AccountsService } from './accounts.service';
import { AdminAccountsController } from './admin-accounts.controller';
import { AuthController } from './auth.controller';
import { AuthSessionEntity } from './auth-session.entity';
import { ProviderEntity } from './provider.entity';
import { ProvidersRepository } from './providers.repository';
import { assertEveryRouteHasRule } from './route-rules';
import { SessionsRepository } from './sessions.repository';
import { PasswordHashingLane } from './password-hashing.lane';
import { jwtOptions } from './signing-key';
import { SignInService } from './sign-in.service';
import { TokenService } from './token.service';
import { UserEntity } from './user.entity';
import { UsersRepository } from './users.repository';

/** At start-up: refuse to run with an unguarded route, and make sure the first admin exists. */
@Injectable()
class AuthBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly accounts: AccountsService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    assertEveryRouteHasRule(
      this.discovery.getControllers().map((wrapper) => wrapper.metatype as new (...args: never[]) => unknown),
    );
    await this.accounts.ensureUser({
      username: this.config.ADMIN_USERNAME,
      password: this.config.ADMIN_PASSWORD,
      role: 'admin',
    });
  }
}

@Module({
  imports: [
    DiscoveryModule,
    TypeOrmModule.forFeature([UserEntity, ProviderEntity, AuthSessionEntity]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: jwtOptions,
    }),
  ],
  controllers: [AuthController, AdminAccountsController],
  providers: [
    AccountsService,
    SignInService,
    AttemptLimiter,
    AttemptCountsRepository,
    PasswordHashingLane,
    TokenService,
    UsersRepository,
    ProvidersRepository,
    SessionsRepository,
    ActiveSessionsCache,
    AuthBootstrap,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AccountsService, AttemptLimiter],
})
export class AuthModule {}
