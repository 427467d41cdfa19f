import { Controller, Get, Post } from '@nestjs/common';
import { Public, Roles } from './access.decorators';
import { assertEveryRouteHasRule, routeRules } from './route-rules';

@Controller('v1/things')
@Roles('admin')
class GuardedController {
  @Get() list(): void {}
  @Post(':id') @Roles('support') act(): void {}
}

@Controller('open')
class MixedController {
  @Get('ping') @Public() ping(): void {}
  @Get('forgotten') forgotten(): void {}
}

describe('route rules', () => {
  it('reads method-level rules over class-level ones', () => {
    expect(routeRules([GuardedController])).toEqual([
      { route: 'GET /v1/things', rule: ['admin'] },
      { route: 'POST /v1/things/:id', rule: ['support'] },
    ]);
  });

  it('refuses to start with a route that has no rule', () => {
    expect(() => assertEveryRouteHasRule([GuardedController])).not.toThrow();
    expect(() => assertEveryRouteHasRule([GuardedController, MixedController])).toThrow(/GET \/open\/forgotten/);
  });
});
