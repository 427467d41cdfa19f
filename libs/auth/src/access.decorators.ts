import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Principal } from './principal';
import type { Role } from './role';

export const ROLES_KEY = 'poc:roles';
export const PUBLIC_KEY = 'poc:public';
export const BROKER_HOOK_KEY = 'poc:broker-hook';

/** Who may call a route; also its OpenAPI security entry. Every route has this or `@Public()`. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or bad token' }),
    ApiForbiddenResponse({ description: `Only ${roles.join(', ')}` }),
  );

/** A route anyone may call without a token (sign-in, health, metrics). Stated, never assumed. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

/**
 * A route only the MQTT broker calls (its authentication and authorization hook): it proves itself with the
 * shared BROKER_HOOK_SECRET as a bearer token, not a user's token; without the setting the route is absent.
 */
export const BrokerHook = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(BROKER_HOOK_KEY, true),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or wrong broker secret' }),
  );

export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
