import { ArgumentsHost, Body, Catch, Controller, ExceptionFilter, HttpCode, Post, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { BrokerHook } from '@poc/auth';
import { InvalidFieldsError } from '@poc/common';
import { BrokerAclRequest, BrokerAuthRequest, BrokerVerdictResponse } from './broker-hook.dto';
import { BrokerAccess, BrokerHookRules } from './broker-hook.rules';

// mosquitto-go-auth's `acc`: 1 read (receive on a topic), 2 write, 3 both, 4 subscribe (a filter).
const GO_AUTH_ACCESS: Record<number, BrokerAccess[]> = {
  1: ['read'],
  2: ['publish'],
  3: ['read', 'publish'],
  4: ['subscribe'],
};

const verdict = (allowed: boolean): BrokerVerdictResponse => ({
  result: allowed ? 'allow' : 'deny',
  ok: allowed,
  is_superuser: false,
});

/** A question the hook cannot read (too long, unknown fields) is answered with a refusal, not a 400. */
@Catch(InvalidFieldsError)
class UnreadableQuestionIsDenied implements ExceptionFilter {
  catch(_error: InvalidFieldsError, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(200).json(verdict(false));
  }
}

/**
 * The authentication and authorization hook an external broker calls (EMQX, mosquitto-go-auth): always
 * 200 with a verdict, so that a refusal is a refusal and never "ask the next authenticator".
 */
@ApiTags('broker')
@Controller('v1/broker')
@BrokerHook()
@UseFilters(UnreadableQuestionIsDenied)
export class BrokerHookController {
  constructor(private readonly rules: BrokerHookRules) {}

  @Post('auth')
  @HttpCode(200)
  @ApiOkResponse({ type: BrokerVerdictResponse })
  async auth(@Body() body: BrokerAuthRequest): Promise<BrokerVerdictResponse> {
    // Optional fields may come as null (a template with nothing to fill in): taken as absent.
    return verdict(await this.rules.authenticate(body.clientid, body.username ?? '', body.password ?? ''));
  }

  @Post('acl')
  @HttpCode(200)
  @ApiOkResponse({ type: BrokerVerdictResponse })
  async acl(@Body() body: BrokerAclRequest): Promise<BrokerVerdictResponse> {
    const wants: BrokerAccess[] = body.action ? [body.action] : (GO_AUTH_ACCESS[body.acc ?? 0] ?? []);
    if (wants.length === 0) return verdict(false);
    for (const access of wants) {
      if (!(await this.rules.authorize(body.clientid, body.username ?? '', body.topic, access, body.retain ?? false))) {
        return verdict(false);
      }
    }
    return verdict(true);
  }
}
