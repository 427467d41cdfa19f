import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, secretsEqual } from '@poc/common';
import type { Request } from 'express';
import { AppConfig } from '@poc/config';
import { BROKER_HOOK_KEY, PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import type { Principal } from './principal';
import type { Role } from './role';
import { TokenService } from './token.service';

/** Global guard, fail-closed: a route with no rule is refused even if it slipped past the boot check. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    if (this.reflector.getAllAndOverride<boolean>(BROKER_HOOK_KEY, targets)) return this.isBroker(request);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new DomainError('forbidden', 'This route has no access rule');

    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new DomainError('unauthenticated', 'A bearer token is required');
    const principal = await this.tokens.verifyAccessToken(token);
    if (!roles.includes(principal.role)) {
      throw new DomainError('forbidden', `This route is for ${roles.join(', ')}`);
    }
    request.principal = principal;
    return true;
  }

  private isBroker(request: Request): true {
    const secret = this.config.BROKER_HOOK_SECRET;
    if (!secret) throw new DomainError('not_found', 'Not found');
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token || !secretsEqual(token, secret)) {
      throw new DomainError('unauthenticated', 'The broker secret is required');
    }
    return true;
  }
}
