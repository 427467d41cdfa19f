import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { BROKER_HOOK_KEY, PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import type { Role } from './role';

export interface RouteRule {
  route: string;
  rule: 'public' | 'broker' | Role[] | null;
}

type Handler = (...args: unknown[]) => unknown;

/** Method names of a prototype and its ancestors (handlers may be inherited), as Nest itself scans them. */
function handlerNames(proto: object): Set<string> {
  const names = new Set<string>();
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object) {
    for (const name of Object.getOwnPropertyNames(p)) names.add(name);
  }
  return names;
}

/** Every route of the given controllers with the rule that guards it (null: none, which is refused). */
export function routeRules(controllers: Array<new (...args: never[]) => unknown>): RouteRule[] {
  const reflector = new Reflector();
  const rules: RouteRule[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of handlerNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const full = `/${[base, ...[path].flat()].join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
      const targets = [handler as Handler, controller];
      const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
      const roles = reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
      const isBroker = reflector.getAllAndOverride<boolean>(BROKER_HOOK_KEY, targets);
      rules.push({ route: `${method} ${full}`, rule: isPublic ? 'public' : isBroker ? 'broker' : (roles ?? null) });
    }
  }
  return rules.sort((a, b) => a.route.localeCompare(b.route));
}

/** Refuses to start a service in which any route has no explicit access rule. */
export function assertEveryRouteHasRule(controllers: Array<new (...args: never[]) => unknown>): void {
  const open = routeRules(controllers).filter((r) => r.rule === null);
  if (open.length > 0) {
    throw new Error(`Routes without an access rule (add @Roles or @Public): ${open.map((r) => r.route).join(', ')}`);
  }
}
