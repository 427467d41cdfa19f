export { BrokerHook, CurrentUser, Public, Roles } from './access.decorators';
export { AccountsService } from './accounts.service';
export { AccountCorrectionDto, OwnAccountResponse } from './auth.dto';
export { AttemptKey, AttemptLimiter } from './attempt.limiter';
export { AuthModule } from './auth.module';
export type { Principal } from './principal';
export { requireRecentSignIn, STEP_UP_SECONDS } from './recent-sign-in';
export { INTERNAL_ROLES, Role, ROLES } from './role';
export { routeRules, RouteRule } from './route-rules';
