import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@poc/common';
import type { Request } from 'express';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import type { Principal } from './principal';
import type { Role } from './role';
import { TokenService } from './token.service';

/** Global guard, fail-closed: a route with no rule is refused even if it slipped past the boot check. */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new DomainError('forbidden', 'This route has no access rule');

    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new DomainError('unauthenticated', 'A bearer token is required');
    const principal = await this.tokens.verifyAccessToken(token);
    if (!roles.includes(principal.role)) {
      throw new DomainError('forbidden', `This route is for ${roles.join(', ')}`);
    }
    request.principal = principal;
    return true;
  }
}
